#pragma once
// The load cell of the simulated scale, shared by scale-sim and bench_scale. A target load set from
// outside (the control socket, or the benchmark's shopper) plus the things that make a bagging area
// hard to read, each seeded so runs repeat:
//  - settling with damping: after a load change the display swings toward the new load as a damped
//    oscillation (≈ 4.5 Hz) and reaches it after 300–600 ms;
//  - load-cell noise: Gaussian, noise_mg standard deviation on every sample;
//  - zero drift: the empty platform creeps (temperature), a random walk of drift_mg_per_min;
//  - floor vibration bursts: Poisson arrivals (vibration_per_min), 10–16 Hz, 150–400 ms, up to
//    vibration_mg; also on demand (vibrate);
//  - bag sway: a bag swinging on its hook after a placement, an oscillation decaying with τ 0.1–0.3 s,
//    on a placement with probability sway_probability (up to sway_mg), or on demand (sway);
//  - a hand resting on the scale while placing: extra weight with tremor for a while (hand);
//  - an item lifted out and put back (lift);
//  - quantisation: the display rounds to the interval e.
// The device's own stability flag (settled) is what a real scale's motion detector says: false while
// the load settles, a hand or a vibration is on it, or a sway is larger than e/2. Time is passed in
// (ms on any monotonic scale) so tests and the benchmark control it.
#include <cstdint>
#include <random>
#include <vector>

#include "common/result.h"

namespace kiosk::scale::sim {

enum class Fault { kNone, kOverload, kUnderload, kOffline };

struct WeightModelOptions {
  std::int64_t interval_mg = 1000;  // display interval e
  std::int64_t noise_mg = 300;      // standard deviation of the load-cell noise
  std::uint64_t seed = 1;
  std::int64_t capacity_mg = 30'000'000;  // Max: 30 kg, a bagging-area platform
  // Disturbances that happen by themselves (all off by default: scale-sim's scripted tests want a
  // quiet scale; bench_scale turns them on).
  std::int64_t drift_mg_per_min = 0;  // zero drift, random walk
  double vibration_per_min = 0;       // burst rate
  std::int64_t vibration_mg = 0;      // burst amplitude, up to
  double sway_probability = 0;        // chance of sway after a load increase
  std::int64_t sway_mg = 0;           // sway amplitude, up to
};

// What the display shows at one instant.
struct Shown {
  std::int64_t net_mg = 0;  // gross minus tare, rounded to e
  bool stable = false;      // the device's motion detector: settled, nothing moving
  bool overload = false;
  bool underload = false;
};

class WeightModel {
 public:
  explicit WeightModel(WeightModelOptions options);

  // The load on the platform (mg, ≥ 0) changes at now_ms; the display starts settling toward it.
  void set_target(std::int64_t load_mg, std::int64_t now_ms);
  std::int64_t target_mg() const { return target_mg_; }

  // A hand rests on the platform with extra_mg for duration_ms from now_ms (with tremor).
  void hand(std::int64_t extra_mg, std::int64_t duration_ms, std::int64_t now_ms);
  // The bag sways from now_ms with amplitude_mg, decaying.
  void sway(std::int64_t amplitude_mg, std::int64_t now_ms);
  // An item of item_mg is lifted out at now_ms and put back duration_ms later (the target is unchanged).
  void lift(std::int64_t item_mg, std::int64_t duration_ms, std::int64_t now_ms);
  // A vibration burst of amplitude_mg for duration_ms.
  void vibrate(std::int64_t amplitude_mg, std::int64_t duration_ms, std::int64_t now_ms);

  // Samples the display at now_ms (draws noise). last() returns the latest sample without drawing.
  Shown sample(std::int64_t now_ms);
  const Shown& last() const { return last_; }
  // The device's stability flag at now_ms.
  bool settled(std::int64_t now_ms) const;

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
  // The physical load the cell feels at now_ms (mg, before noise, zero and rounding); for tests.
  double load_at(std::int64_t now_ms) const;

 private:
  // One disturbance: a step (hand on/off, lift out/back) settling like a load change, an oscillation
  // (sway, vibration) or tremor, active from start_ms to end_ms.
  struct Disturbance {
    enum class Kind { kStep, kSway, kVibration, kTremor };
    Kind kind = Kind::kStep;
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;  // steps: when settled; the rest: when over
    double amplitude_mg = 0;  // steps: the change
    double freq_hz = 0;
    double tau_ms = 0;  // sway decay; steps: settle time
    double phase = 0;
  };
  double disturbance_at(const Disturbance& d, std::int64_t now_ms) const;
  bool disturbance_moving(const Disturbance& d, std::int64_t now_ms) const;
  void add_step(double delta_mg, std::int64_t at_ms);
  void advance_background(std::int64_t now_ms);  // drift and random vibration bursts up to now
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
  std::vector<Disturbance> dist_;
  double drift_mg_ = 0;
  std::int64_t background_ms_ = 0;  // time up to which drift and bursts were drawn
  bool background_started_ = false;
  Shown last_;
  Fault fault_ = Fault::kNone;
};

}  // namespace kiosk::scale::sim
