#include <catch2/catch.hpp>

#include "common/config.h"

TEST_CASE("config resolves relative paths against its own folder") {
  auto c = kiosk::Config::parse(R"(
[runtime]
dir = "run"
data_dir = "/var/lib/kiosk"
[scale]
device = "tty/scale"
interval_mg = 1000
)",
                                "/etc/kiosk");
  REQUIRE(c);
  CHECK(c->socket_path("catalog") == "/etc/kiosk/run/catalog.sock");
  CHECK(c->data_path("checkout") == "/var/lib/kiosk/checkout");
  CHECK(*c->get_path("scale", "device", "") == "/etc/kiosk/tty/scale");
  CHECK(*c->get_int("scale", "interval_mg", 0) == 1000);
  CHECK(*c->get_int("scale", "missing", 7) == 7);
}

TEST_CASE("config errors say where") {
  auto bad = kiosk::Config::parse("[runtime]\ndir = \n", "/");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.message(), Catch::Contains("line 2"));
  auto c = kiosk::Config::parse("[scale]\ninterval_mg = \"ten\"\n", "/");
  REQUIRE(c);
  auto v = c->get_int("scale", "interval_mg", 0);
  REQUIRE_FALSE(v);
  CHECK_THAT(v.message(), Catch::Contains("scale.interval_mg (line 2): expected an integer"));
}
