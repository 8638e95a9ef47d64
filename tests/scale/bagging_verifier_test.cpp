#include <catch2/catch.hpp>

#include "bagging_verifier.h"
#include "common/clock.h"
#include "stable_detector.h"
#include "verifier_driver.h"

using namespace std::chrono_literals;
using namespace kiosk::scale;

namespace {

// The verifier with the options these cases are written for (10 g minimum tolerance, k 3, 20 s, 1.5 s re-settle,
// 3 s of evidence).
struct Bench : scale_test::VerifierDriver {
  Bench() : VerifierDriver({10000, 3, 20000ms, 1500ms, 3000ms}) {}
};

}  // namespace

TEST_CASE("a placed item of the expected weight is ACCEPTED and becomes the baseline") {
  Bench b;
  b.begin();
  auto tol = b.v.expect_item("s1/1", 500000, 5000, false);
  REQUIRE(tol);
  CHECK(*tol == 15075);  // max(10 g, 3 × sqrt((5 g)² + (0.5 g scale)²))
  b.moving(250000);
  b.hold(503000, 1000ms);
  REQUIRE(b.verdicts.size() == 1);
  CHECK(b.verdicts[0].kind == Verdict::Kind::kAccepted);
  CHECK(b.verdicts[0].expectation_id == "s1/1");
  CHECK(b.verdicts[0].measured_delta_mg == 503000);
  CHECK(b.verdicts[0].tolerance_mg == 15075);
  CHECK(b.v.baseline_mg() == 503000);
  CHECK(b.alerts.empty());
}

TEST_CASE("a wrong stable weight becomes MISMATCH only after the re-settle window") {
  Bench b;
  b.begin();
  REQUIRE(b.v.expect_item("s1/1", 500000, 0, false));
  b.hold(800000, 1200ms);  // stable after 400 ms, wrong for 800 ms: still in the re-settle window
  CHECK(b.verdicts.empty());
  b.hold(800000, 1500ms);
  REQUIRE(b.verdicts.size() == 1);
  CHECK(b.verdicts[0].kind == Verdict::Kind::kMismatch);
  CHECK(b.verdicts[0].measured_delta_mg == 800000);
  REQUIRE(b.alerts.size() == 1);
  const Alert& a = b.alerts[0];
  CHECK(a.kind == Alert::Kind::kWeightMismatch);
  CHECK(a.open);
  CHECK(a.expectation_id == "s1/1");
  CHECK(a.expected_mg == 500000);
  CHECK(a.tolerance_mg == 10000);
  CHECK(a.measured_delta_mg == 800000);
  REQUIRE_FALSE(a.trace.empty());  // evidence: the last seconds of readings
  CHECK(a.trace.back().weight_mg == 800000);
  CHECK(a.trace.back().at_unix_ms - a.trace.front().at_unix_ms <= 3000);
}

TEST_CASE("a mismatch clears when the wrong item leaves, and the right item is then ACCEPTED") {
  Bench b;
  b.begin();
  REQUIRE(b.v.expect_item("s1/1", 500000, 0, false));
  b.hold(800000, 2500ms);
  REQUIRE(b.alerts.size() == 1);
  b.hold(0, 1000ms);
  REQUIRE(b.alerts.size() == 2);
  CHECK_FALSE(b.alerts[1].open);
  b.hold(500000, 1000ms);
  REQUIRE(b.verdicts.size() == 2);
  CHECK(b.verdicts[1].kind == Verdict::Kind::kAccepted);
}

TEST_CASE("nothing placed within the bagging timeout is NOT_PLACED") {
  Bench b;
  b.begin();
  REQUIRE(b.v.expect_item("s1/1", 500000, 0, false));
  b.hold(0, 19800ms);
  CHECK(b.verdicts.empty());
  b.hold(0, 400ms);
  REQUIRE(b.verdicts.size() == 1);
  CHECK(b.verdicts[0].kind == Verdict::Kind::kNotPlaced);
  CHECK(b.v.pending_count() == 0);
}

TEST_CASE("a stable increase with nothing scanned raises UNEXPECTED_ITEM, closed when it leaves") {
  Bench b;
  b.begin();
  b.hold(300000, 2500ms);
  REQUIRE(b.alerts.size() == 1);
  CHECK(b.alerts[0].kind == Alert::Kind::kUnexpectedItem);
  CHECK(b.alerts[0].measured_delta_mg == 300000);
  CHECK(b.verdicts.empty());
  b.hold(300000, 3000ms);  // still there: no second alert
  CHECK(b.alerts.size() == 1);
  b.hold(0, 1000ms);
  REQUIRE(b.alerts.size() == 2);
  CHECK(b.alerts[1].alert_id == b.alerts[0].alert_id);
  CHECK_FALSE(b.alerts[1].open);
}

TEST_CASE("scanning the unexpected item explains it: ACCEPTED and the alert closes") {
  Bench b;
  b.begin();
  b.hold(300000, 2500ms);
  REQUIRE(b.alerts.size() == 1);
  REQUIRE(b.v.expect_item("s1/1", 300000, 0, false));
  b.collect();
  REQUIRE(b.verdicts.size() == 1);
  CHECK(b.verdicts[0].kind == Verdict::Kind::kAccepted);
  REQUIRE(b.alerts.size() == 2);
  CHECK_FALSE(b.alerts[1].open);
}

TEST_CASE("weight leaving the bagging area raises ITEM_REMOVED, the attendant's ITEM_REMOVED waits for its return") {
  Bench b;
  b.begin(0);
  REQUIRE(b.v.expect_item("s1/1", 700000, 0, false));
  b.hold(700000, 1000ms);
  REQUIRE(b.verdicts.size() == 1);
  b.hold(0, 2500ms);  // lifted out and held: within the removal re-settle (3 s), no alert yet
  CHECK(b.alerts.empty());
  b.hold(0, 1100ms);
  REQUIRE(b.alerts.size() == 1);
  CHECK(b.alerts[0].kind == Alert::Kind::kItemRemoved);
  CHECK(b.alerts[0].measured_delta_mg == -700000);
  REQUIRE(b.v.resolve_alert(b.alerts[0].alert_id, Decision::kItemRemoved, "att-7"));
  b.collect();
  CHECK(b.alerts.size() == 1);  // not back yet: still open
  b.hold(700000, 1000ms);
  REQUIRE(b.alerts.size() == 2);
  CHECK_FALSE(b.alerts[1].open);
  CHECK(b.v.open_alerts().empty());
}

TEST_CASE("an announced removal is ACCEPTED when the weight leaves") {
  Bench b;
  b.begin(0);
  REQUIRE(b.v.expect_item("s1/1", 700000, 0, false));
  b.hold(700000, 1000ms);
  REQUIRE(b.v.expect_removal("s1/1-void", 700000, 0));
  b.hold(0, 1000ms);
  REQUIRE(b.verdicts.size() == 2);
  CHECK(b.verdicts[1].kind == Verdict::Kind::kAccepted);
  CHECK(b.verdicts[1].measured_delta_mg == -700000);
  CHECK(b.alerts.empty());
}

TEST_CASE("no-weigh and too-light items are SKIPPED at once") {
  Bench b;
  b.begin();
  REQUIRE(b.v.expect_item("s1/1", 2000000, 0, true));
  REQUIRE(b.v.expect_item("s1/2", 4000, 0, false));  // 4 g: cannot be told from nothing
  b.collect();
  REQUIRE(b.verdicts.size() == 2);
  CHECK(b.verdicts[0].kind == Verdict::Kind::kSkipped);
  CHECK(b.verdicts[1].kind == Verdict::Kind::kSkipped);
  CHECK(b.v.pending_count() == 0);
}

TEST_CASE("two items scanned before bagging are matched in any order, or together") {
  SECTION("the later scan first") {
    Bench b;
    b.begin();
    REQUIRE(b.v.expect_item("s1/1", 500000, 0, false));
    REQUIRE(b.v.expect_item("s1/2", 1200000, 0, false));
    b.hold(1200000, 1000ms);
    REQUIRE(b.verdicts.size() == 1);
    CHECK(b.verdicts[0].expectation_id == "s1/2");
    b.hold(1701000, 1000ms);
    REQUIRE(b.verdicts.size() == 2);
    CHECK(b.verdicts[1].expectation_id == "s1/1");
    CHECK(b.verdicts[1].kind == Verdict::Kind::kAccepted);
    CHECK(b.verdicts[1].measured_delta_mg == 501000);
  }
  SECTION("both at once") {
    Bench b;
    b.begin();
    REQUIRE(b.v.expect_item("s1/1", 500000, 0, false));
    REQUIRE(b.v.expect_item("s1/2", 1200000, 0, false));
    b.hold(1695000, 1000ms);
    REQUIRE(b.verdicts.size() == 2);
    CHECK(b.verdicts[0].kind == Verdict::Kind::kAccepted);
    CHECK(b.verdicts[1].kind == Verdict::Kind::kAccepted);
    CHECK(b.verdicts[0].measured_delta_mg + b.verdicts[1].measured_delta_mg == 1695000);
    CHECK(b.v.baseline_mg() == 1695000);
  }
}

TEST_CASE("an attendant's ACCEPT_WEIGHT closes a mismatch and rebaselines at the present weight") {
  Bench b;
  b.begin();
  REQUIRE(b.v.expect_item("s1/1", 500000, 0, false));
  b.hold(800000, 2500ms);
  REQUIRE(b.alerts.size() == 1);
  REQUIRE(b.v.resolve_alert(b.alerts[0].alert_id, Decision::kAcceptWeight, "att-7"));
  b.collect();
  REQUIRE(b.alerts.size() == 2);
  CHECK_FALSE(b.alerts[1].open);
  CHECK(b.v.baseline_mg() == 800000);
  CHECK(b.v.pending_count() == 0);
  CHECK(b.v.resolve_alert(b.alerts[0].alert_id, Decision::kAcceptWeight, "att-7"));  // again: no-op
  CHECK_FALSE(b.v.resolve_alert("nope", Decision::kOverride, "att-7"));
  // The lane carries on from the new baseline.
  REQUIRE(b.v.expect_item("s1/2", 200000, 0, false));
  b.hold(1000000, 1000ms);
  REQUIRE(b.verdicts.size() == 2);
  CHECK(b.verdicts[1].kind == Verdict::Kind::kAccepted);
}

TEST_CASE("ExpectItem is idempotent by expectation_id and validates its input") {
  Bench b;
  CHECK_FALSE(b.v.expect_item("s1/1", 500000, 0, false));  // no session yet
  b.begin();
  REQUIRE(b.v.expect_item("s1/1", 500000, 0, false));
  REQUIRE(b.v.expect_item("s1/1", 500000, 0, false));
  CHECK(b.v.pending_count() == 1);
  auto bad = b.v.expect_item("s1/2", -5, 0, false);
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.message(), Catch::Contains("expected_mg"));
  CHECK_FALSE(b.v.expect_item("", 500000, 0, false));
  CHECK_FALSE(b.v.expect_item("s1/3", 500000, -1, false));
  CHECK(b.v.pending_count() == 1);
}

TEST_CASE("sessions: the same id resumes, another replaces and drops alerts") {
  Bench b;
  b.hold(100000, 600ms);
  REQUIRE(*b.v.begin_session("s1") == 100000);
  b.hold(400000, 2500ms);
  REQUIRE(b.alerts.size() == 1);
  CHECK(*b.v.begin_session("s1") == 100000);  // resumed
  CHECK(b.v.open_alerts().size() == 1);
  CHECK(*b.v.begin_session("s2") == 400000);
  b.collect();
  CHECK(b.v.open_alerts().empty());
  CHECK_FALSE(b.v.end_session("s1"));
  CHECK(b.v.end_session("s2"));
  CHECK_FALSE(b.v.session_open());
}

TEST_CASE("a device fault during a session raises DEVICE_FAULT, closed when it answers again") {
  Bench b;
  b.begin();
  b.v.on_device(false, "no answer from /dev/ttyUSB0");
  b.collect();
  REQUIRE(b.alerts.size() == 1);
  CHECK(b.alerts[0].kind == Alert::Kind::kDeviceFault);
  b.v.on_device(true, "answering");
  b.collect();
  REQUIRE(b.alerts.size() == 2);
  CHECK_FALSE(b.alerts[1].open);
}

TEST_CASE("re-settling never swaps with a scan that came after the acceptance: an unscanned item stays caught") {
  Bench b;
  b.begin();
  REQUIRE(*b.v.expect_item("s1/1", 500000, 30000, false) == 90012);  // wide: 3 × 30 g
  b.hold(560000, 1000ms);
  REQUIRE(b.verdicts.size() == 1);
  CHECK(b.verdicts[0].kind == Verdict::Kind::kAccepted);
  // Next scan: a 560 g item of tight spread, put down with a 20 g unscanned one. The 580 g would
  // fit the first scan and the first 560 g the second, but the first acceptance happened before the
  // second scan existed, so it cannot have been taken for it.
  REQUIRE(*b.v.expect_item("s1/2", 560000, 2000, false) == 10000);
  b.hold(1140000, 3000ms);
  REQUIRE(b.verdicts.size() == 2);
  CHECK(b.verdicts[1].expectation_id == "s1/2");
  CHECK(b.verdicts[1].kind == Verdict::Kind::kMismatch);
  REQUIRE(b.alerts.size() == 1);
  CHECK(b.alerts[0].kind == Alert::Kind::kWeightMismatch);
}

TEST_CASE(
    "scale verifier staircase: an unscanned item put down just before or after a scanned one is caught in its "
    "tolerance") {
  // 500 g of wide spread: tolerance 3 × 30 g = 90 g, so 540 g in one step would be ACCEPTED.
  Bench b;
  b.begin();
  REQUIRE(*b.v.expect_item("s1/1", 500000, 30000, false) == 90012);
  SECTION("the scanned item first, the unscanned 40 g 0.3 s later") {
    b.moving(250000);
    b.moving_for(500000, 300ms);  // a plateau, never stable
    b.moving(520000);
  }
  SECTION("the unscanned 40 g first, the scanned item 0.3 s later") {
    b.moving(30000);
    b.moving_for(40000, 300ms);
    b.moving(300000);
  }
  SECTION("the unscanned 40 g first, stable but not yet alerted, then the scanned item") {
    b.hold(40000, 800ms);  // stable, unexplained, inside the re-settle window
    REQUIRE(b.alerts.empty());
    b.moving(300000);
  }
  b.hold(540000, 3000ms);
  REQUIRE(b.verdicts.size() == 1);
  CHECK(b.verdicts[0].kind == Verdict::Kind::kAccepted);
  CHECK(b.verdicts[0].measured_delta_mg == 500000);  // its own step, not the sum
  REQUIRE(b.alerts.size() == 1);
  CHECK(b.alerts[0].kind == Alert::Kind::kUnexpectedItem);
  CHECK(b.alerts[0].measured_delta_mg == 40000);
  CHECK(b.v.baseline_mg() == 500000);
  // Taking the unscanned item away closes the alert.
  b.hold(500000, 1000ms);
  REQUIRE(b.alerts.size() == 2);
  CHECK_FALSE(b.alerts[1].open);
}

TEST_CASE(
    "scale verifier staircase: what is put down at the very same instant still hides in the tolerance (weight alone)") {
  Bench b;
  b.begin();
  REQUIRE(b.v.expect_item("s1/1", 500000, 30000, false));
  b.moving(250000);
  b.hold(540000, 3000ms);
  REQUIRE(b.verdicts.size() == 1);
  CHECK(b.verdicts[0].kind == Verdict::Kind::kAccepted);
  CHECK(b.alerts.empty());
}

TEST_CASE(
    "scale verifier staircase: scanned items put down one after the other are ACCEPTED, however their steps pair up") {
  SECTION("two items, a plateau between") {
    Bench b;
    b.begin();
    REQUIRE(b.v.expect_item("s1/1", 500000, 0, false));
    REQUIRE(b.v.expect_item("s1/2", 300000, 0, false));
    b.moving_for(300000, 300ms);
    b.hold(801000, 1000ms);
    REQUIRE(b.verdicts.size() == 2);
    CHECK(b.verdicts[0].kind == Verdict::Kind::kAccepted);
    CHECK(b.verdicts[1].kind == Verdict::Kind::kAccepted);
    CHECK(b.alerts.empty());
  }
  SECTION("three items whose middle step fits a wrong pair best: several scans are judged whole") {
    // 1529 g fits 1000 + 525 best, after which the last 517 g would not fit 545 ± 24 g; the three
    // scans explain the whole 2046 g, so they are ACCEPTED together as scanned.
    Bench b;
    b.begin();
    REQUIRE(*b.v.expect_item("s1/1", 1000000, 0, false) == 10000);
    REQUIRE(*b.v.expect_item("s1/2", 545000, 8000, false) == 24047);
    REQUIRE(*b.v.expect_item("s1/3", 525000, 3000, false) == 10000);
    b.moving_for(1000000, 300ms);
    b.moving_for(1529000, 300ms);
    b.hold(2046000, 3000ms);
    REQUIRE(b.verdicts.size() == 3);
    for (const auto& v : b.verdicts) CHECK(v.kind == Verdict::Kind::kAccepted);
    CHECK(b.alerts.empty());
  }
  SECTION("a light item (SKIPPED) that arrives as the second step explains it") {
    Bench b;
    b.begin();
    REQUIRE(b.v.expect_item("s1/1", 500000, 30000, false));
    REQUIRE(b.v.expect_item("s1/2", 14000, 1000, false));  // light: SKIPPED, may still arrive
    b.moving_for(500000, 300ms);
    b.hold(514000, 3000ms);
    CHECK(b.alerts.empty());
    CHECK(b.v.baseline_mg() == 514000);
  }
}

TEST_CASE("scale verifier staircase: a flat stretch above the final weight (a hand resting, then lifted) is no step") {
  Bench b;
  b.begin();
  REQUIRE(b.v.expect_item("s1/1", 500000, 30000, false));
  b.moving_for(800000, 500ms);  // item and a steady hand
  b.hold(500000, 3000ms);
  REQUIRE(b.verdicts.size() == 1);
  CHECK(b.verdicts[0].kind == Verdict::Kind::kAccepted);
  CHECK(b.alerts.empty());
}

TEST_CASE("scale verifier staircase: off (plateau 0) judges the whole increase") {
  kiosk::ManualClock clock;
  VerifierOptions o{10000, 3, 20000ms, 1500ms, 3000ms};
  o.plateau = 0ms;
  BaggingVerifier v{clock, o};
  StableDetector d{{1000, 400ms}};
  auto feed = [&](std::int64_t mg, bool device_stable, int n) {
    for (int i = 0; i < n; ++i, clock.advance(100ms)) v.on_reading(mg, d.update(mg, device_stable, clock.steady_now()));
  };
  feed(0, true, 6);
  REQUIRE(v.begin_session("s1"));
  REQUIRE(v.expect_item("s1/1", 500000, 30000, false));
  feed(500000, false, 3);
  feed(540000, true, 30);
  int alerts = 0;
  for (auto& e : v.take_events()) alerts += std::holds_alternative<Alert>(e);
  CHECK(alerts == 0);
  CHECK(v.baseline_mg() == 540000);
}
