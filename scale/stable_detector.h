#pragma once
// Stable weight (the rule): the readings of the last stable_ms all lie within ±1 interval (e)
// of each other's middle (max − min ≤ 2 e), and the run has lasted at least stable_ms. The stable
// weight is the mean of the run's recent readings (mg), which resolves below e thanks to the noise.
// While the device flags a reading as dynamic there is no stable weight (it may see motion we do
// not), but the run goes on: the window counts readings within the band whatever the flag said, so
// a lagging motion flag does not add its delay to the 0.4 s. A reading outside the band drops the
// older readings that disagree with it, so the run restarts from there.
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
  // The last stable weight returned by update(), while the run still holds.
  std::optional<std::int64_t> stable_mg() const { return stable_; }

 private:
  struct Sample {
    std::chrono::steady_clock::time_point at;
    std::int64_t weight_mg;
  };
  StableDetectorOptions options_;
  std::chrono::steady_clock::time_point run_start_{};
  std::deque<Sample> run_;  // the run's readings within the last 2 × stable (band check and mean)
  std::optional<std::int64_t> stable_;
};

}  // namespace kiosk::scale
