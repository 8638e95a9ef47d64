#pragma once
// Stable weight: readings that stay within ±1 interval (e) of the first reading of a run for at
// least stable_ms are stable; the stable weight is the mean of the run's recent readings (mg).
// A reading the device flags as dynamic, or one outside the band, starts a new run.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace kiosk::scale {

struct StableDetectorOptions {
  std::int64_t interval_mg = 1000;        // the scale's display interval e
  std::chrono::milliseconds stable{400};  // how long the run must last
};

class StableDetector {
 public:
  explicit StableDetector(StableDetectorOptions options) : options_(options) {}

  // Feeds one reading taken at `now`; returns the stable weight (mg) when the run is stable.
  std::optional<std::int64_t> update(std::int64_t weight_mg, bool device_stable,
                                     std::chrono::steady_clock::time_point now);
  // Forgets the run (device offline, zeroed).
  void reset() { run_.clear(); }

 private:
  struct Sample {
    std::chrono::steady_clock::time_point at;
    std::int64_t weight_mg;
  };
  StableDetectorOptions options_;
  std::int64_t anchor_mg_ = 0;
  std::chrono::steady_clock::time_point run_start_{};
  std::deque<Sample> run_;  // the run's readings within the last 2 × stable (for the mean)
};

}  // namespace kiosk::scale
