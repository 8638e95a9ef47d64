#include <catch2/catch.hpp>

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

TEST_CASE("a reading outside the band or a dynamic reading restarts the run") {
  StableDetector d({1000, 400ms});
  d.update(500000, true, t0);
  d.update(500000, true, t0 + 200ms);
  CHECK_FALSE(d.update(503000, true, t0 + 300ms));  // 3 e away: new run from here
  CHECK_FALSE(d.update(503000, true, t0 + 600ms));
  CHECK(d.update(503000, true, t0 + 700ms) == 503000);
  CHECK_FALSE(d.update(503000, false, t0 + 800ms));  // the scale itself says it moves
  CHECK_FALSE(d.update(503000, true, t0 + 900ms));
  CHECK(d.update(503000, true, t0 + 1300ms) == 503000);
}

TEST_CASE("stability needs the full stable_ms") {
  StableDetector d({10, 400ms});
  d.update(100, true, t0);
  CHECK_FALSE(d.update(100, true, t0 + 399ms));
  CHECK(d.update(100, true, t0 + 400ms));
}
