#include <catch2/catch.hpp>

#include "checkout/receipt.h"
#include "common/stockholm_time.h"
#include "test_support.h"

using namespace kiosk::checkout;
using kiosk::stockholm_time_text;

TEST_CASE("receipts print Stockholm local time (CET/CEST)", "[receipt]") {
  CHECK(stockholm_time_text(test::kNov2026) == "2026-11-27 13:00:00");
  CHECK(stockholm_time_text(1'782'900'000'000) == "2026-07-01 12:00:00");  // 10:00 UTC in summer
  // 2026-03-29 01:00 UTC the clocks go from 02:00 to 03:00.
  CHECK(stockholm_time_text(1'774'745'999'000) == "2026-03-29 01:59:59");
  CHECK(stockholm_time_text(1'774'746'000'000) == "2026-03-29 03:00:00");
  // 2026-10-25 01:00 UTC they go back from 03:00 to 02:00.
  CHECK(stockholm_time_text(1'792'890'000'000) == "2026-10-25 02:00:00");
  CHECK(stockholm_time_text(1'792'889'999'000) == "2026-10-25 02:59:59");
}

TEST_CASE("the receipt lists seller lines total VAT per rate and payment", "[receipt]") {
  LaneInfo lane{3, "Exempelbutiken Centrum", "Storgatan 1, 111 22 Stockholm", "556000-0000", "SEK"};
  kiosk::v1::Sale sale;
  sale.set_receipt_number(42);
  sale.set_lane(3);
  sale.set_completed_unix_ms(test::kNov2026);
  auto* l = sale.add_lines();
  l->set_name_sv("Mellanmjölk 1,5 l");
  l->set_quantity(1);
  l->set_unit_price_ore(1590);
  l->set_line_total_ore(1590);
  auto* k = sale.add_lines();
  k->set_name_sv("Bananer");
  k->set_unit(kiosk::v1::SALE_UNIT_PER_KG);
  k->set_quantity(532'000);
  k->set_unit_price_ore(2490);
  k->set_line_total_ore(1325);
  sale.mutable_totals()->set_total_ore(2915);
  sale.mutable_totals()->set_item_count(2);
  auto* v = sale.mutable_totals()->add_vat();
  v->set_rate_bp(600);
  v->set_net_ore(2750);
  v->set_vat_ore(165);
  v->set_gross_ore(2915);
  auto* p = sale.mutable_payment();
  p->set_card_brand("VISA");
  p->set_masked_pan("**** **** **** 0004");
  p->set_poi_transaction_id("8816178952481411");
  p->set_amount_ore(2915);

  const std::string r = format_receipt(lane, sale);
  INFO(r);
  CHECK_THAT(r, Catch::Contains("Exempelbutiken Centrum"));
  CHECK_THAT(r, Catch::Contains("Org.nr 556000-0000"));
  CHECK_THAT(r, Catch::Contains("Kassa 3"));
  CHECK_THAT(r, Catch::Contains("Kvitto nr 42"));
  CHECK_THAT(r, Catch::Contains("2026-11-27 13:00:00"));
  CHECK_THAT(r, Catch::Contains("Mellanmjölk 1,5 l"));
  CHECK_THAT(r, Catch::Contains("0,532 kg x 24,90/kg"));
  CHECK_THAT(r, Catch::Contains("29,15 SEK"));
  CHECK_THAT(r, Catch::Contains("Moms %"));
  CHECK_THAT(r, Catch::Contains("   6,00       27,50        1,65       29,15"));
  CHECK_THAT(r, Catch::Contains("VISA"));
  CHECK_THAT(r, Catch::Contains("**** **** **** 0004"));
  CHECK_THAT(r, Catch::Contains("8816178952481411"));
  CHECK_THAT(r, Catch::EndsWith("Tack för ditt köp!\n"));
}
