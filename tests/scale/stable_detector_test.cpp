#include <catch2/catch.hpp>
#include <cstdlib>

#include "stable_detector.h"

using namespace std::chrono_literals;
using kiosk::scale::StableDetector;

namespace {
const auto t0 = std::chrono::steady_clock::time_point(std::chrono::seconds(1000));
}

TEST_CASE("readings within one interval for stable_ms are stable, with their mean") {
  StableDetector d({1000, 400ms});
  CHECK_FALSE(d.update(500000, true, t0));
  CHECK_FALSE(d.update(501000, true, t0 + 100ms));
  CHECK_FALSE(d.update(500000, true, t0 + 200ms));
  CHECK_FALSE(d.update(499000, true, t0 + 300ms));
  auto s = d.update(500000, true, t0 + 400ms);
  REQUIRE(s);
  CHECK(*s == 500000);
}

TEST_CASE("a reading outside the band restarts the run") {
  StableDetector d({1000, 400ms});
  d.update(500000, true, t0);
  d.update(500000, true, t0 + 200ms);
  CHECK_FALSE(d.update(503000, true, t0 + 300ms));  // 3 e away: new run from here
  CHECK_FALSE(d.update(503000, true, t0 + 600ms));
  CHECK(d.update(503000, true, t0 + 700ms) == 503000);
  CHECK_FALSE(d.update(506000, true, t0 + 800ms));  // moved again
  CHECK_FALSE(d.update(506000, true, t0 + 1100ms));
  CHECK(d.update(506000, true, t0 + 1200ms) == 506000);
}

TEST_CASE("a dynamic flag withholds the stable weight but does not restart the window") {
  StableDetector d({1000, 400ms});
  // The device still says "moving" (its detector lags: a sway below ±1 e) while the readings
  // already lie within the band.
  CHECK_FALSE(d.update(503000, false, t0));
  CHECK_FALSE(d.update(504000, false, t0 + 100ms));
  CHECK_FALSE(d.update(503000, false, t0 + 200ms));
  CHECK_FALSE(d.update(503000, false, t0 + 400ms));  // 0.4 s in band, but the device says moving
  // Its flag turns stable: the readings have been within ±1 e for 0.5 s, stable at once.
  auto s = d.update(503000, true, t0 + 500ms);
  REQUIRE(s);
  CHECK(std::llabs(*s - 503200) <= 1);
  CHECK_FALSE(d.update(503000, false, t0 + 600ms));  // the scale itself says it moves
  CHECK_FALSE(d.stable_mg());
  // Out of the band while flagged dynamic: the window starts again from there.
  CHECK_FALSE(d.update(510000, false, t0 + 700ms));
  CHECK_FALSE(d.update(510000, true, t0 + 800ms));
  CHECK_FALSE(d.update(510000, true, t0 + 1099ms));
  CHECK(d.update(510000, true, t0 + 1100ms) == 510000);
}

TEST_CASE("stability needs the full stable_ms") {
  StableDetector d({10, 400ms});
  d.update(100, true, t0);
  CHECK_FALSE(d.update(100, true, t0 + 399ms));
  CHECK(d.update(100, true, t0 + 400ms));
}
