#include <catch2/catch.hpp>

#include "checkout/basket.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;

namespace {
Day day_of(const char* iso) {
  return *parse_iso_date(iso);
}
}  // namespace

TEST_CASE("a line carries the VAT rate in force on the sale's date", "[basket]") {
  const auto vat = VatTable::swedish();
  auto nov = price_line(milk(), 1, day_of("2026-11-27"), vat);
  REQUIRE(nov);
  CHECK(nov->vat_rate_bp() == 600);
  CHECK(nov->line_total_ore() == 1590);
  CHECK(nov->vat_ore() == 90);  // 1590 × 6/106 = 90.0
  auto later = price_line(milk(), 1, day_of("2028-02-01"), vat);
  REQUIRE(later);
  CHECK(later->vat_rate_bp() == 1200);
  CHECK(later->vat_ore() == 170);  // 1590 × 12/112 = 170.36
  auto b = price_line(beer(), 2, day_of("2026-11-27"), vat);
  REQUIRE(b);
  CHECK(b->vat_rate_bp() == 2500);
  CHECK(b->vat_ore() == 499);  // 2495 × 25/125 = 499.0
  CHECK(b->age_limit() == 18);
  CHECK(b->expected_weight_mg() == 380'000);
}

TEST_CASE("per-kg lines are priced from the label weight", "[basket]") {
  const auto vat = VatTable::swedish();
  auto l = price_line(bananas(532'000), 3, day_of("2026-11-27"), vat);
  REQUIRE(l);
  CHECK(l->unit() == v1::SALE_UNIT_PER_KG);
  CHECK(l->quantity() == 532'000);
  CHECK(l->line_total_ore() == 1325);  // 24,90/kg × 0,532 kg = 13,2468
  CHECK(l->vat_ore() == 75);
  CHECK(l->expected_weight_mg() == 532'000);

  auto unlabelled = bananas(0);
  unlabelled.embedded_weight_mg.reset();
  auto r = price_line(unlabelled, 4, day_of("2026-11-27"), vat);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kFailedPrecondition);
  CHECK_THAT(r.message(), Catch::Contains("per kg"));
}

TEST_CASE("a product without a VAT class is refused", "[basket]") {
  auto it = milk();
  it.product.set_vat_class(v1::VAT_CLASS_UNSPECIFIED);
  auto r = price_line(it, 1, day_of("2026-11-27"), VatTable::swedish());
  REQUIRE_FALSE(r);
  CHECK_THAT(r.message(), Catch::Contains("VAT class"));
}

TEST_CASE("totals sum VAT per rate over the lines that are not voided", "[basket]") {
  const auto vat = VatTable::swedish();
  const Day d = day_of("2026-11-27");
  google::protobuf::RepeatedPtrField<v1::BasketLine> lines;
  *lines.Add() = *price_line(milk(), 1, d, vat);
  *lines.Add() = *price_line(beer(), 2, d, vat);
  *lines.Add() = *price_line(bananas(532'000), 3, d, vat);
  auto voided = *price_line(card(), 4, d, vat);
  voided.set_voided(true);
  *lines.Add() = voided;

  const v1::Totals t = basket_totals(lines);
  CHECK(t.total_ore() == 1590 + 2495 + 1325);
  CHECK(t.item_count() == 3);
  REQUIRE(t.vat_size() == 2);
  CHECK(t.vat(0).rate_bp() == 600);
  CHECK(t.vat(0).gross_ore() == 2915);
  CHECK(t.vat(0).vat_ore() == 165);
  CHECK(t.vat(0).net_ore() == 2750);
  CHECK(t.vat(1).rate_bp() == 2500);
  CHECK(t.vat(1).gross_ore() == 2495);
  CHECK(t.vat(1).vat_ore() == 499);
  CHECK(t.vat(1).net_ore() == 1996);
}
