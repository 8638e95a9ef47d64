// The verification engine's rules (issue 5): learning, tolerance, zero tracking, bag allowance,
// no-weigh and light items, each alert kind, produce weighing, attendant-only clearing, and the
// persisted alert log. Injected clock, temp dirs, the simulator's noise model as the device.
#include <catch2/catch.hpp>

#include "alert_log.h"
#include "bagging_verifier.h"
#include "common/clock.h"
#include "control_command.h"
#include "produce_weighing.h"
#include "scale_engine.h"
#include "scale_store.h"
#include "stable_detector.h"
#include "temp_dir.h"
#include "verifier_driver.h"
#include "weight_learning.h"
#include "weight_model.h"
#include "zero_tracker.h"

using namespace std::chrono_literals;
using namespace kiosk::scale;
using kiosk::ErrorCode;

namespace {

// The verifier with default options, learning from `learner` when given.
struct Lane : scale_test::VerifierDriver {
  explicit Lane(WeightLearner* learner = nullptr, VerifierOptions o = {}) : VerifierDriver(o, learner) {}
};

// The simulator's load cell as a ScaleDevice, sampled at the manual clock's time.
class ModelDevice final : public ScaleDevice {
 public:
  ModelDevice(sim::WeightModel& m, const kiosk::ManualClock& c) : m_(m), c_(c) {}
  kiosk::Result<WeightSample> read_weight() override {
    if (offline) return kiosk::unavailable("unplugged");
    const auto s = m_.sample(c_.now_unix_ms());
    return WeightSample{s.net_mg, s.stable};
  }
  kiosk::Status zero() override { return kiosk::Status::ok(); }
  kiosk::Result<std::int64_t> tare() override { return std::int64_t{0}; }
  DeviceStatus status() const override {
    return offline ? DeviceStatus{DeviceState::kOffline, "unplugged"} : DeviceStatus{DeviceState::kOnline, "ok"};
  }
  std::string name() const override { return "model"; }
  bool offline = false;

 private:
  sim::WeightModel& m_;
  const kiosk::ManualClock& c_;
};

}  // namespace

TEST_CASE("learning converges on the real weight and resists outliers") {
  auto l = WeightLearner::open({}, nullptr);
  REQUIRE(l);
  const std::string g = "07310865005120";
  // Catalog: 512 g ± 4 g; the shelf's packs weigh 516 g ± 2 g.
  CHECK_FALSE((*l)->estimate(g, 512000, 4000, 18000));
  for (int i = 0; i < 7; ++i) REQUIRE((*l)->observe(g, 512000, {516000 + (i % 3 - 1) * 2000, false, i}));
  auto e = (*l)->estimate(g, 512000, 4000, 18000);
  REQUIRE(e);
  CHECK_FALSE(e->adopted);  // 7 < adopt_after (8)
  REQUIRE((*l)->observe(g, 512000, {516000, false, 8}));
  // Outliers: an item bagged with a bag handle caught under it, a dropped half.
  REQUIRE((*l)->observe(g, 512000, {900000, false, 9}));
  REQUIRE((*l)->observe(g, 512000, {50000, false, 10}));
  e = (*l)->estimate(g, 512000, 4000, 18000);
  REQUIRE(e);
  CHECK(e->adopted);
  CHECK(e->mean_mg == Approx(516000).margin(1000));
  CHECK(e->consistent == 8);
  CHECK(e->total == 10);
  CHECK(e->spread_mg >= 1000);
  CHECK(e->spread_mg <= 5000);  // pooled with the catalog's 4 g, not blown up by the outliers
}

TEST_CASE("a weight far from the catalog is adopted only on attendant confirmations, which count more") {
  auto l = WeightLearner::open({}, nullptr);
  REQUIRE(l);
  const std::string g = "07310865000001";
  // Catalog says 500 g; the product really weighs 650 g. Automatic observations alone: not adopted.
  for (int i = 0; i < 10; ++i) REQUIRE((*l)->observe(g, 500000, {650000 + i * 100, false, i}));
  auto e = (*l)->estimate(g, 500000, 5000, 22500);
  REQUIRE(e);
  CHECK_FALSE(e->adopted);
  auto l2 = WeightLearner::open({}, nullptr);
  // Three attendant confirmations weigh 9 ≥ 8: adopted.
  for (int i = 0; i < 2; ++i) REQUIRE((*l2)->observe(g, 500000, {650000, true, i}));
  CHECK_FALSE((*l2)->estimate(g, 500000, 5000, 22500)->adopted);
  REQUIRE((*l2)->observe(g, 500000, {651000, true, 3}));
  e = (*l2)->estimate(g, 500000, 5000, 22500);
  REQUIRE(e->adopted);
  CHECK(e->mean_mg == Approx(650333).margin(500));
}

TEST_CASE("learned weights survive a restart and drive the verifier's expectation") {
  kiosk::test::TempDir dir("scale-learn");
  const std::string g = "07310865005120";
  {
    auto store = ScaleStore::open(dir.path() / "scale");
    REQUIRE(store);
    auto l = WeightLearner::open({}, store->get());
    REQUIRE(l);
    for (int i = 0; i < 8; ++i) REQUIRE((*l)->observe(g, 512000, {520000, false, i}));
  }
  auto store = ScaleStore::open(dir.path() / "scale");
  REQUIRE(store);
  auto l = WeightLearner::open({}, store->get());
  REQUIRE(l);
  auto e = (*l)->estimate(g, 512000, 4000, 18000);
  REQUIRE(e);
  CHECK(e->adopted);
  CHECK(e->mean_mg == 520000);
  // The verifier now expects 520 g: 520 g is accepted, the verdict says what it expected.
  Lane lane(l->get());
  lane.begin();
  REQUIRE(lane.v.expect_item("s1/1", 512000, 4000, false, g));
  lane.hold(520000, 1200ms);
  REQUIRE(lane.verdicts.size() == 1);
  CHECK(lane.verdicts[0].kind == Verdict::Kind::kAccepted);
  CHECK(lane.verdicts[0].expected_mg == 520000);
}

TEST_CASE("tolerance is max(absolute minimum, k x combined spread)") {
  kiosk::ManualClock clock;
  VerifierOptions o;  // min 10 g, scale 0.5 g
  o.tolerance_k = 4.5;
  BaggingVerifier v(clock, o);
  CHECK(v.tolerance_for(0) == 10000);                                                           // 4.5 × 0.5 g < 10 g
  CHECK(v.tolerance_for(2000) == 10000);                                                        // 4.5 × 2.06 g = 9.3 g
  CHECK(v.tolerance_for(10000) == std::llround(4.5 * std::sqrt(10000.0 * 10000 + 500 * 500)));  // 45.06 g
  CHECK(v.tolerance_for(40000) == std::llround(4.5 * std::sqrt(40000.0 * 40000 + 500 * 500)));
}

TEST_CASE("stable weight: readings within ±1 e for 0.4 s, outside the band the run restarts") {
  StableDetector d({1000, 400ms});
  const auto t0 = std::chrono::steady_clock::time_point(std::chrono::seconds(100));
  CHECK_FALSE(d.update(500000, true, t0));
  CHECK_FALSE(d.update(502000, true, t0 + 100ms));  // 499..501 around 501: within ±1 e
  CHECK_FALSE(d.update(501000, true, t0 + 200ms));
  CHECK(d.update(501000, true, t0 + 400ms) == 501000);
  CHECK_FALSE(d.update(504000, true, t0 + 500ms));  // 3 e away
  CHECK(d.stable_mg() == std::nullopt);
  CHECK_FALSE(d.update(504000, true, t0 + 800ms));
  CHECK(d.update(504000, true, t0 + 900ms) == 504000);
}

TEST_CASE("zero tracking follows a creeping empty platform only while stable and near zero") {
  ZeroTracker z({true, 500, 500, 2000});
  z.update(300, 0);
  z.update(300, 1000);  // 1 s at ≤ 0.5 e/s: tracks the whole 0.3 g
  CHECK(z.offset_mg() == 300);
  CHECK(z.apply(1300) == 1000);
  z.update(std::nullopt, 2000);  // moving: nothing
  CHECK(z.offset_mg() == 300);
  z.update(5000, 3000);  // 5 g on the platform: that is a load, not drift
  CHECK(z.offset_mg() == 300);
  for (int i = 4; i < 20; ++i) z.update(400, i * 1000);  // keeps creeping: bounded by the range
  CHECK(z.offset_mg() == 2000);
  z.reset();
  CHECK(z.offset_mg() == 0);
}

TEST_CASE("own bags before the first scan become the baseline, after it, weight with no scan is UNEXPECTED_ITEM") {
  Lane lane;
  lane.begin();
  lane.hold(120000, 2000ms);  // a shopping bag
  CHECK(lane.alerts.empty());
  CHECK(lane.v.baseline_mg() == 120000);
  REQUIRE(lane.v.expect_item("s1/1", 500000, 5000, false));
  lane.hold(620000, 1200ms);
  REQUIRE(lane.verdicts.size() == 1);
  CHECK(lane.verdicts[0].kind == Verdict::Kind::kAccepted);
  lane.hold(740000, 2500ms);  // another 120 g, nothing scanned
  REQUIRE(lane.alerts.size() == 1);
  CHECK(lane.alerts[0].kind == Alert::Kind::kUnexpectedItem);
  CHECK(lane.alerts[0].measured_delta_mg == 120000);
  CHECK(lane.alerts[0].baseline_mg == 620000);
  CHECK(lane.alerts[0].measured_mg == 740000);
  CHECK_FALSE(lane.alerts[0].trace.empty());  // the evidence
}

TEST_CASE("no-weigh items are SKIPPED, light items and weighed store bags are absorbed when they arrive") {
  Lane lane;
  lane.begin();
  REQUIRE(lane.v.expect_item("s1/1", 0, 0, true));          // flowers: no weight at all
  REQUIRE(lane.v.expect_item("s1/2", 30000, 8000, false));  // 30 g ± 8 g: within its tolerance of nothing
  REQUIRE(lane.v.expect_item("s1/3", 25000, 3000, true));   // a store bag the catalog weighs
  lane.collect();
  REQUIRE(lane.verdicts.size() == 3);
  for (const auto& v : lane.verdicts) CHECK(v.kind == Verdict::Kind::kSkipped);
  CHECK(lane.v.light_pending_count() == 2);
  lane.hold(25000, 2500ms);  // the bag goes down
  lane.hold(55000, 2500ms);  // and the light item
  CHECK(lane.alerts.empty());
  CHECK(lane.v.baseline_mg() == 55000);
  CHECK(lane.v.light_pending_count() == 0);
  // A heavy no-weigh item (a crate left in the cart) gives no allowance.
  REQUIRE(lane.v.expect_item("s1/4", 9000000, 50000, true));
  CHECK(lane.v.light_pending_count() == 0);
}

TEST_CASE("ITEM_REMOVED only after the longer removal re-settle: an item lifted out and put back is no alert") {
  Lane lane;
  lane.begin();
  REQUIRE(lane.v.expect_item("s1/1", 800000, 8000, false));
  lane.hold(800000, 1200ms);
  REQUIRE(lane.verdicts.size() == 1);
  lane.hold(0, 2500ms);       // lifted out for 2.5 s …
  lane.hold(800000, 1000ms);  // … and put back
  CHECK(lane.alerts.empty());
  lane.hold(0, 3600ms);  // taken away for good
  REQUIRE(lane.alerts.size() == 1);
  CHECK(lane.alerts[0].kind == Alert::Kind::kItemRemoved);
  CHECK(lane.alerts[0].measured_delta_mg == -800000);
}

TEST_CASE("WEIGHT_MISMATCH carries the expected and the measured weight") {
  Lane lane;
  lane.begin();
  REQUIRE(lane.v.expect_item("s1/1", 500000, 5000, false, "07310865005120"));
  lane.hold(700000, 2500ms);
  REQUIRE(lane.alerts.size() == 1);
  CHECK(lane.alerts[0].kind == Alert::Kind::kWeightMismatch);
  CHECK(lane.alerts[0].expected_mg == 500000);
  CHECK(lane.alerts[0].measured_delta_mg == 700000);
  CHECK(lane.alerts[0].gtin14 == "07310865005120");
  CHECK(lane.alerts[0].tolerance_mg == lane.v.tolerance_for(5000));
}

TEST_CASE("two scans of overlapping weights bagged in the other order are re-settled, not alerted") {
  Lane lane;
  lane.begin();
  REQUIRE(lane.v.expect_item("s1/1", 1020000, 8000, false));   // rice, narrow
  REQUIRE(lane.v.expect_item("s1/2", 1015000, 20000, false));  // onions, wide
  lane.hold(1055000, 1200ms);                                  // onions first, at 1055 g: only the onions fit
  lane.hold(2070000, 3000ms);                                  // then the rice
  CHECK(lane.alerts.empty());
  REQUIRE(lane.verdicts.size() == 2);
  CHECK(lane.v.pending_count() == 0);
}

TEST_CASE("an alert is cleared only by an attendant id, ACCEPT_WEIGHT teaches the weight") {
  auto l = WeightLearner::open({}, nullptr);
  REQUIRE(l);
  Lane lane(l->get());
  lane.begin();
  REQUIRE(lane.v.expect_item("s1/1", 500000, 5000, false, "07310865000001"));
  lane.hold(650000, 2500ms);
  REQUIRE(lane.alerts.size() == 1);
  const auto s = lane.v.resolve_alert(lane.alerts[0].alert_id, Decision::kAcceptWeight, "");
  REQUIRE_FALSE(s);
  CHECK(s.error().code == ErrorCode::kPermissionDenied);
  CHECK(lane.v.open_alerts().size() == 1);
  REQUIRE(lane.v.resolve_alert(lane.alerts[0].alert_id, Decision::kAcceptWeight, "att-7"));
  CHECK(lane.v.open_alerts().empty());
  const auto e = (*l)->estimate("07310865000001", 500000, 5000, 22500);
  REQUIRE(e);
  CHECK(e->total == 3);  // an attendant's observation counts three times
  CHECK(e->mean_mg == 650000);
}

TEST_CASE("produce weighing: stable, at least 20 e, at most Max, rounded to e") {
  const ProduceRules r{5000, 20, 15'000'000};  // e = 5 g, Min = 100 g, Max = 15 kg
  ProduceScaleState st{true, 1'234'400, 0};
  auto w = weigh_produce(r, st);
  REQUIRE(w);
  CHECK(w->net_mg == 1'235'000);  // 1234.4 g → 1235 g
  st.stable_mg = 1'232'400;
  CHECK(weigh_produce(r, st)->net_mg == 1'230'000);
  st.tare_mg = 400'000;  // what lay there before
  CHECK(weigh_produce(r, st)->net_mg == 830'000);
  st = {true, 97'000, 0};  // 95 g: below Min
  REQUIRE_FALSE(weigh_produce(r, st));
  CHECK(weigh_produce(r, st).error().code == ErrorCode::kFailedPrecondition);
  CHECK_THAT(weigh_produce(r, st).message(), Catch::Contains("minimum load"));
  st = {true, std::nullopt, 0};  // unstable
  CHECK_THAT(weigh_produce(r, st).message(), Catch::Contains("not stable"));
  st = {true, 15'100'000, 0};  // above Max
  CHECK_THAT(weigh_produce(r, st).message(), Catch::Contains("Max"));
  st = {false, 1'000'000, 0};  // offline
  CHECK(weigh_produce(r, st).error().code == ErrorCode::kUnavailable);
  CHECK(round_to_interval(2'500, 5'000) == 5'000);
  CHECK(round_to_interval(-2'500, 5'000) == -5'000);
}

TEST_CASE("alerts and decisions are recorded, persisted and listable") {
  kiosk::test::TempDir dir("scale-alerts");
  {
    auto store = ScaleStore::open(dir.path() / "scale");
    REQUIRE(store);
    auto log = AlertLog::open(store->get());
    REQUIRE(log);
    kiosk::ManualClock clock;
    sim::WeightModel model({1000, 200, 7});
    ModelDevice dev(model, clock);
    EngineOptions eo;
    ScaleEngine engine(dev, clock, eo, nullptr, log->get());
    auto poll = [&](std::chrono::milliseconds d) {
      for (auto t = 0ms; t < d; t += 100ms) {
        clock.advance(100ms);
        engine.poll_once();
      }
    };
    poll(1000ms);
    REQUIRE(engine.begin_session("s9"));
    REQUIRE(engine.expect_item("s9/1", 400000, 4000, false, "07310865000001"));
    model.set_target(400000, clock.now_unix_ms());
    poll(1500ms);
    model.set_target(900000, clock.now_unix_ms());  // 500 g more, nothing scanned
    poll(3000ms);
    const auto open = engine.open_alerts();
    REQUIRE(open.size() == 1);
    CHECK(open[0].kind == Alert::Kind::kUnexpectedItem);
    CHECK(engine.resolve_alert(open[0].alert_id, Decision::kOverride, "").error().code == ErrorCode::kPermissionDenied);
    REQUIRE(engine.resolve_alert(open[0].alert_id, Decision::kOverride, "att-3"));
    CHECK(engine.open_alerts().empty());
    // Produce on top of the bag: net of the session's baseline, rounded to e.
    model.set_target(1'237'400, clock.now_unix_ms());
    poll(1500ms);
    auto w = engine.weigh_produce();
    REQUIRE(w);
    CHECK(w->net_mg == 337000);
  }
  auto store = ScaleStore::open(dir.path() / "scale");
  REQUIRE(store);
  auto log = AlertLog::open(store->get());
  REQUIRE(log);
  auto recs = (*log)->list(0, 0);
  REQUIRE(recs);
  REQUIRE(recs->size() == 3);
  CHECK((*recs)[0].event == AlertRecord::Event::kRaised);
  CHECK((*recs)[0].session_id == "s9");
  CHECK((*recs)[0].alert.kind == Alert::Kind::kUnexpectedItem);
  CHECK((*recs)[0].alert.measured_delta_mg == Approx(500000).margin(1000));
  CHECK_FALSE((*recs)[0].alert.trace.empty());
  CHECK((*recs)[1].event == AlertRecord::Event::kDecision);
  CHECK((*recs)[1].decision == Decision::kOverride);
  CHECK((*recs)[1].attendant_id == "att-3");
  CHECK((*recs)[2].event == AlertRecord::Event::kClosed);
  CHECK((*log)->last_seq() == 3);
  auto after = (*log)->list(1, 1);
  REQUIRE(after->size() == 1);
  CHECK((*after)[0].seq == 2);
  REQUIRE((*log)->append(AlertRecord{}));
  CHECK((*log)->last_seq() == 4);  // the sequence continues after a restart
}

TEST_CASE("the noise model: hands, sway and vibration make the device report motion, lifts come back") {
  sim::WeightModel m({1000, 0, 3});
  m.set_target(500000, 0);
  CHECK_FALSE(m.settled(100));
  CHECK(m.settled(700));
  m.hand(300000, 800, 1000);
  CHECK_FALSE(m.settled(1400));
  CHECK(m.load_at(1600) > 700000);
  CHECK(m.settled(2400));
  CHECK(m.load_at(2400) == Approx(500000).margin(1));
  m.sway(20000, 3000);
  CHECK_FALSE(m.settled(3100));
  CHECK(m.settled(6000));
  m.lift(500000, 1000, 7000);
  CHECK(m.load_at(7700) == Approx(0).margin(1));
  CHECK(m.settled(7700));  // lifted out and held: the platform is still
  CHECK(m.load_at(8700) == Approx(500000).margin(1));
  m.vibrate(10000, 300, 9000);
  CHECK_FALSE(m.settled(9150));
  CHECK(m.settled(9400));
}

TEST_CASE("scale-sim's control socket drives the disturbances: hand, lift, vibrate, sway") {
  sim::WeightModel m({1000, 0, 5});
  CHECK(sim::handle_control("set 500000", m, 0) == "ok 500000");
  CHECK(m.settled(1000));
  CHECK(sim::handle_control("hand 300000 800", m, 1000) == "ok 500000");
  CHECK_FALSE(m.settled(1300));
  CHECK(sim::handle_control("lift 200000 500", m, 3000) == "ok 500000");
  CHECK(m.load_at(3400) == Approx(300000).margin(1));
  CHECK(sim::handle_control("vibrate 8000 300", m, 5000) == "ok 500000");
  CHECK_FALSE(m.settled(5100));
  CHECK(sim::handle_control("sway 20000", m, 6000) == "ok 500000");
  CHECK_FALSE(m.settled(6050));
  CHECK(sim::handle_control("lift 900000 500", m, 7000).rfind("err cannot lift", 0) == 0);
  CHECK(sim::handle_control("hand 300000", m, 7000) == "err usage: hand <mg> <ms>");
  CHECK(sim::handle_control("vibrate 8000 0", m, 7000).rfind("err", 0) == 0);
  CHECK(sim::handle_control("sway", m, 7000) == "err usage: sway <mg>");
}

TEST_CASE("scale engine staircase on the noise model: an unscanned 40 g put down 0.6 s after a scanned item") {
  // The whole engine (polled every 100 ms, stable detector, verifier) on the simulator's load
  // cell: the scanned 500 g (tolerance 4.5 × 30 g = 135 g) settles, and 0.6 s after it lands the
  // unscanned 40 g lands, before the first weight was stable (0.4 s after settling).
  auto unexpected = [](std::uint64_t seed, std::chrono::milliseconds plateau, bool at_once) {
    kiosk::ManualClock clock;
    sim::WeightModel model({1000, 300, seed});
    ModelDevice dev(model, clock);
    EngineOptions eo;
    eo.verifier.plateau = plateau;
    eo.verifier.tolerance_k = 4.5;
    ScaleEngine engine(dev, clock, eo);
    auto sub = engine.subscribe();
    auto poll = [&](std::chrono::milliseconds d) {
      for (auto t = 0ms; t < d; t += 100ms) {
        clock.advance(100ms);
        engine.poll_once();
      }
    };
    poll(1000ms);
    REQUIRE(engine.begin_session("s1"));
    REQUIRE(*engine.expect_item("s1/1", 500000, 30000, false) == 135019);
    if (at_once) {
      model.set_target(540000, clock.now_unix_ms());
    } else {
      model.set_target(500000, clock.now_unix_ms());
      poll(600ms);
      model.set_target(540000, clock.now_unix_ms());
    }
    poll(4000ms);
    int n = 0;
    while (auto e = sub->try_next())
      if (auto* a = std::get_if<Alert>(&*e); a && a->open && a->kind == Alert::Kind::kUnexpectedItem) ++n;
    return n;
  };
  // Over 16 seeded lanes: with the staircase most are caught (not those where the first item took
  // ≥ 0.5 s to settle: no flat stretch before the second lands); judged whole none is (540 g is
  // inside 500 ± 135 g), nor at the very same instant (weight alone cannot tell).
  int staircase = 0, whole = 0, at_once = 0;
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    staircase += unexpected(seed, 100ms, false);
    whole += unexpected(seed, 0ms, false);
    at_once += unexpected(seed, 100ms, true);
  }
  CHECK(staircase >= 8);
  CHECK(whole == 0);
  CHECK(at_once == 0);
}

TEST_CASE("scale learning: the learned spread can be taken at an upper confidence bound (spread_upper_z)") {
  auto spread = [](double z) {
    LearningOptions lo;
    lo.spread_upper_z = z;
    lo.prior_weight = 8;
    auto l = WeightLearner::open(lo, nullptr);
    REQUIRE(l);
    const std::string g = "07310865000001";
    for (int i = 0; i < 12; ++i) REQUIRE((*l)->observe(g, 500000, {500000 + (i % 5 - 2) * 3000, false, i}));
    const auto e = (*l)->estimate(g, 500000, 4000, 18000);
    REQUIRE(e);
    CHECK(e->adopted);
    return static_cast<double>(e->spread_mg);
  };
  const double plain = spread(0), upper = spread(1.645);
  // 12 observations and the catalog's prior worth 8: 19 degrees of freedom.
  CHECK(upper == Approx(plain * (1 + 1.645 / std::sqrt(2.0 * 19))).margin(2));
  CHECK(upper > plain * 1.2);
}
