// Drives a BaggingVerifier as scaled does: one reading per 100 ms through the stable detector, on a manual
// clock, collecting the verdicts and alerts it hands out. Shared by the verifier and engine-rule tests.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <variant>
#include <vector>

#include "bagging_verifier.h"
#include "common/clock.h"
#include "stable_detector.h"

namespace scale_test {

struct VerifierDriver {
  explicit VerifierDriver(kiosk::scale::VerifierOptions o = {}, kiosk::scale::WeightLearner* learner = nullptr)
      : v(clock, o, learner) {}
  kiosk::ManualClock clock;
  kiosk::scale::StableDetector detector{{1000, std::chrono::milliseconds(400)}};
  kiosk::scale::BaggingVerifier v;
  std::vector<kiosk::scale::Verdict> verdicts;
  std::vector<kiosk::scale::Alert> alerts;

  void collect() {
    for (auto& e : v.take_events()) {
      if (auto* d = std::get_if<kiosk::scale::Verdict>(&e)) verdicts.push_back(*d);
      if (auto* a = std::get_if<kiosk::scale::Alert>(&e)) alerts.push_back(*a);
    }
  }
  // The platform shows `mg` (steady) for `d`.
  void hold(std::int64_t mg, std::chrono::milliseconds d) {
    for (auto t = std::chrono::milliseconds(0); t < d; t += kTick) {
      v.on_reading(mg, detector.update(mg, true, clock.steady_now()));
      v.tick();
      clock.advance(kTick);
    }
    collect();
  }
  // A hand on the platform: the scale reports motion.
  void moving(std::int64_t mg) {
    v.on_reading(mg, detector.update(mg, false, clock.steady_now()));
    clock.advance(kTick);
    collect();
  }
  // The scale still reports motion for `d` although the readings are flat: the first of two things
  // put down together has come to rest, the second lands before the 0.4 s of a stable weight.
  void moving_for(std::int64_t mg, std::chrono::milliseconds d) {
    for (auto t = std::chrono::milliseconds(0); t < d; t += kTick) moving(mg);
  }
  void begin(std::int64_t at_mg = 0) {
    hold(at_mg, std::chrono::milliseconds(600));
    REQUIRE(v.begin_session("s1"));
    collect();
  }
  // Weight alerts opened and not yet closed.
  int open_weight_alerts() const {
    int n = 0;
    for (const auto& a : alerts) n += a.open ? 1 : -1;
    return n;
  }

  static constexpr std::chrono::milliseconds kTick{100};
};

}  // namespace scale_test
