// The whole appliance (real catalogd, scaled with scale-sim on a pseudo-terminal, paymentd with
// terminal-sim, checkoutd, visiond with a camera video): loose produce picked by PLU is weighed by the
// real scale service and sold by weight.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "appliance.h"
#include "common/money.h"
#include "demo_items.h"
#include "shopper.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace v1 = kiosk::v1;

TEST_CASE("loose bananas by PLU: the lane asks for them on the scale, weighs them and sells them by weight",
          "[e2e][weighing]") {
  const fs::path csv = fs::path(KIOSK_SOURCE_DIR) / "deploy/demo/catalog.csv";
  auto items = kiosk::demo::pick_demo_items(csv, 1);
  REQUIRE(items);
  kiosk::demo::ApplianceOptions o;
  o.bin_dir = KIOSK_BIN_DIR;
  o.work_dir = kiosk::test::make_temp_dir("kiosk-produce");  // kept: its logs outlive the test
  o.catalog_csv = csv;
  o.camera_codes = {items->front().code};
  kiosk::demo::Appliance appliance(o);
  auto started = appliance.start();
  INFO("logs: " << appliance.log_dir());
  REQUIRE(started.is_ok());
  kiosk::demo::ScriptedShopper shopper(appliance);

  // One scanned item in the bag first (the session's baseline then includes it).
  auto first = shopper.scan_and_bag(1, 60s);
  REQUIRE(first);

  // PLU 4011 (Bananer, 29,95 kr/kg in the demo catalog) from the look-up screen.
  v1::ActRequest enter;
  enter.mutable_enter_code()->set_code("4011");
  auto asked = shopper.act(enter);
  REQUIRE(asked);
  CHECK(asked->notice() == "place_on_scale");
  CHECK(asked->weighing().name_sv() == "Bananer");
  CHECK(asked->lines_size() == 1);

  REQUIRE(appliance.scale_command("place 482300"));
  auto weighed = shopper.wait_for([](const v1::Session& s) { return s.lines_size() == 2 && s.lines(1).bagged(); }, 30s,
                                  "the bananas weighed and bagged");
  REQUIRE(weighed);
  const auto& line = weighed->lines(1);
  CHECK(line.weighed());
  CHECK(line.unit() == v1::SALE_UNIT_PER_KG);
  CHECK(line.unit_price_ore() == 2995);
  // Stable, rounded to the scale interval e = 1 g, close to what was put down (noise ±0,3 g).
  CHECK(line.quantity() % 1000 == 0);
  CHECK(std::llabs(line.quantity() - 482'300) <= 1000);
  CHECK(line.line_total_ore() == kiosk::price_for_weight(2995, line.quantity()));
  CHECK(weighed->state() == v1::SESSION_STATE_SCANNING);
  CHECK(weighed->notice().empty());

  auto paid = shopper.pay(60s);
  REQUIRE(paid);
  REQUIRE(paid->state() == v1::SESSION_STATE_RECEIPT);
  CHECK_THAT(paid->receipt_text(), Catch::Contains("Bananer") && Catch::Contains("kg x 29,95/kg"));
}
