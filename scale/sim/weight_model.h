#pragma once
// The load cell of the simulated scale: a target load set from outside (the control socket), a shown
// weight that swings toward it as a damped oscillation over 300–600 ms, Gaussian noise of noise_mg
// (seeded, so runs repeat), rounding to the interval e, zero and tare, capacity limits and faults.
// Time is passed in (ms on any monotonic scale) so tests control it.
#include <cstdint>
#include <random>

#include "common/result.h"

namespace kiosk::scale::sim {

enum class Fault { kNone, kOverload, kUnderload, kOffline };

struct WeightModelOptions {
  std::int64_t interval_mg = 1000;  // display interval e
  std::int64_t noise_mg = 300;      // standard deviation of the load-cell noise
  std::uint64_t seed = 1;
  std::int64_t capacity_mg = 30'000'000;  // Max: 30 kg, a bagging-area platform
};

// What the display shows at one instant.
struct Shown {
  std::int64_t net_mg = 0;  // gross minus tare, rounded to e
  bool stable = false;      // the transition after the last load change has settled
  bool overload = false;
  bool underload = false;
};

class WeightModel {
 public:
  explicit WeightModel(WeightModelOptions options);

  // The load on the platform (mg, ≥ 0) changes at now_ms; the display starts settling toward it.
  void set_target(std::int64_t load_mg, std::int64_t now_ms);
  std::int64_t target_mg() const { return target_mg_; }

  // Samples the display at now_ms (draws noise). last() returns the latest sample without drawing.
  Shown sample(std::int64_t now_ms);
  const Shown& last() const { return last_; }
  bool settled(std::int64_t now_ms) const { return now_ms - change_ms_ >= settle_ms_; }

  enum class LimitResult { kDone, kAbove, kBelow };
  // Zero (Z/ZI): the present load becomes zero if within ±2 % of Max of the power-on zero; clears tare.
  LimitResult zero(std::int64_t now_ms);
  // Tare (T): the present gross becomes the tare, if within 0..Max; the tare taken is tare_mg().
  LimitResult tare(std::int64_t now_ms);
  // Preset tare (TA <value>), 0..Max.
  Status set_tare(std::int64_t tare_mg);
  void clear_tare() { tare_mg_ = 0; }
  std::int64_t tare_mg() const { return tare_mg_; }

  void set_fault(Fault f) { fault_ = f; }
  Fault fault() const { return fault_; }
  std::int64_t interval_mg() const { return options_.interval_mg; }

 private:
  double load_at(std::int64_t now_ms) const;  // the physical load the cell feels, mg
  std::int64_t round_to_interval(double mg) const;

  WeightModelOptions options_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> noise_;
  std::int64_t target_mg_ = 0;
  double from_mg_ = 0;  // the load when the last change began
  std::int64_t change_ms_ = -1'000'000;
  std::int64_t settle_ms_ = 0;
  std::int64_t zero_mg_ = 0;  // load that shows as zero
  std::int64_t tare_mg_ = 0;
  Shown last_;
  Fault fault_ = Fault::kNone;
};

}  // namespace kiosk::scale::sim
