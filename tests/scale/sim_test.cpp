#include <catch2/catch.hpp>

#include "control_command.h"
#include "mtsics.h"
#include "mtsics_responder.h"
#include "weight_model.h"

using namespace kiosk::scale::sim;

namespace {
std::vector<std::string> one(std::string s) {
  return {std::move(s)};
}
}  // namespace

TEST_CASE("scale-sim formats weights as MT-SICS does: value right-aligned in 10 characters") {
  CHECK(weight_line("S", 'S', 123450, 10) == "S S     123.45 g");
  CHECK(weight_line("S", 'D', 1234000, 1000) == "S D       1234 g");
  CHECK(weight_line("T", 'S', -20, 10) == "T S      -0.02 g");
  CHECK(format_grams(5, 1) == "0.005");
  // What the simulator sends, the driver's parser reads back exactly.
  auto r = kiosk::scale::parse_mtsics_response(weight_line("S", 'S', 123450, 10));
  REQUIRE(r);
  CHECK(r->weight_mg == 123450);
}

TEST_CASE("scale-sim answers SI with D while settling and S once settled") {
  WeightModel m({10, 0, 7, 30'000'000});
  MtSicsResponder rsp(m, {});
  CHECK(rsp.on_command("SI", 0) == one("S S       0.00 g"));
  CHECK(handle_control("place 123450", m, 1000) == "ok 123450");
  const auto moving = rsp.on_command("SI", 1050);
  REQUIRE(moving.size() == 1);
  CHECK(moving[0].rfind("S D ", 0) == 0);
  CHECK(rsp.on_command("SI", 1700) == one("S S     123.45 g"));
  CHECK(handle_control("get", m, 1700) == "ok 123450 123450 1");
}

TEST_CASE("scale-sim S waits for stability, Z zeroes, T tares, TA and @") {
  WeightModel m({10, 0, 7, 30'000'000});
  MtSicsResponder rsp(m, {});
  handle_control("set 200000", m, 0);
  CHECK(rsp.on_command("S", 10).empty());  // moving: the answer waits
  CHECK(rsp.poll(700) == one("S S     200.00 g"));
  CHECK(rsp.on_command("Z", 800) == one("Z A"));
  CHECK(rsp.on_command("SI", 810) == one("S S       0.00 g"));
  handle_control("place 50000", m, 900);
  CHECK(rsp.on_command("T", 1600) == one("T S      50.00 g"));
  CHECK(rsp.on_command("TA", 1610) == one("TA A      50.00 g"));
  CHECK(rsp.on_command("SI", 1620) == one("S S       0.00 g"));
  CHECK(rsp.on_command("@", 1630) == one("I4 A \"B123456789\""));
  CHECK(rsp.on_command("TA", 1640) == one("TA A       0.00 g"));
  CHECK(rsp.on_command("TA 12.5 g", 1650) == one("TA A      12.50 g"));
  CHECK(rsp.on_command("TA 12.5 lb", 1660) == one("TA L"));
}

TEST_CASE("scale-sim: Z beyond the zero range, unknown commands, parameters, identification") {
  WeightModel m({10, 0, 7, 30'000'000});
  MtSicsResponder rsp(m, {});
  handle_control("set 5000000", m, 0);  // 5 kg > 2 % of 30 kg
  CHECK(rsp.on_command("Z", 1000) == one("Z +"));
  CHECK(rsp.on_command("XYZ", 1000) == one("ES"));
  CHECK(rsp.on_command("SI 5", 1000) == one("EL"));
  CHECK(rsp.on_command(std::string(80, 'S'), 1000) == one("ET"));
  CHECK(rsp.on_command("I4", 1000) == one("I4 A \"B123456789\""));
  for (const char* c : {"I1", "I2", "I3"}) {
    auto r = rsp.on_command(c, 1000);
    REQUIRE(r.size() == 1);
    auto p = kiosk::scale::parse_mtsics_response(r[0]);
    REQUIRE(p);
    CHECK(p->id == c);
    CHECK_FALSE(p->texts.empty());
  }
}

TEST_CASE("scale-sim faults and SIR repeats") {
  WeightModel m({10, 0, 7, 30'000'000});
  MtSicsResponder rsp(m, {});
  CHECK(handle_control("fault overload", m, 0) == "ok");
  CHECK(rsp.on_command("SI", 0) == one("S +"));
  CHECK(handle_control("fault underload", m, 0) == "ok");
  CHECK(rsp.on_command("SI", 0) == one("S -"));
  CHECK(handle_control("fault offline", m, 0) == "ok");
  CHECK(rsp.on_command("SI", 0).empty());
  CHECK(handle_control("fault none", m, 0) == "ok");
  CHECK(rsp.on_command("SIR", 1000).size() == 1);
  CHECK(rsp.poll(1050).empty());
  CHECK(rsp.poll(1100).size() == 1);
  CHECK(rsp.on_command("SI", 1150).size() == 1);  // any command ends the repeat
  CHECK(rsp.poll(1400).empty());
}

TEST_CASE("scale-sim control protocol rejects bad lines with a reason") {
  WeightModel m({1000, 0, 7, 30'000'000});
  CHECK(handle_control("place 1000", m, 0) == "ok 1000");
  CHECK(handle_control("remove 400", m, 0) == "ok 600");
  CHECK(handle_control("remove 5000", m, 0).rfind("err cannot remove", 0) == 0);
  CHECK(handle_control("place -1", m, 0).rfind("err", 0) == 0);
  CHECK(handle_control("place 12g", m, 0).rfind("err", 0) == 0);
  CHECK(handle_control("fault fire", m, 0).rfind("err", 0) == 0);
  CHECK(handle_control("dance", m, 0).rfind("err unknown command", 0) == 0);
  CHECK(m.target_mg() == 600);
}

TEST_CASE("scale-sim noise is seeded and rounded to the interval") {
  WeightModel a({1000, 400, 42, 30'000'000}), b({1000, 400, 42, 30'000'000});
  a.set_target(500000, 0);
  b.set_target(500000, 0);
  for (int t = 1000; t < 3000; t += 100) {
    const auto sa = a.sample(t), sb = b.sample(t);
    CHECK(sa.net_mg == sb.net_mg);
    CHECK(sa.net_mg % 1000 == 0);
    CHECK(std::llabs(sa.net_mg - 500000) <= 3000);
  }
}
