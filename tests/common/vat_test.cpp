#include <catch2/catch.hpp>

#include "common/vat.h"

using kiosk::VatClass;

TEST_CASE("Swedish food VAT is 6 % only from 2026-04-01 to 2027-12-31") {
  const auto table = kiosk::VatTable::swedish();
  auto day = [](const char* d) { return *kiosk::parse_iso_date(d); };
  CHECK(*table.rate_bp(VatClass::kFood, day("2026-03-31")) == 1200);
  CHECK(*table.rate_bp(VatClass::kFood, day("2026-04-01")) == 600);
  CHECK(*table.rate_bp(VatClass::kFood, day("2027-12-31")) == 600);
  CHECK(*table.rate_bp(VatClass::kFood, day("2028-01-01")) == 1200);
  CHECK(*table.rate_bp(VatClass::kStandard, day("2026-11-27")) == 2500);
  CHECK(*table.rate_bp(VatClass::kReduced, day("2026-11-27")) == 600);
}

TEST_CASE("sale times map to UTC days") {
  CHECK(kiosk::day_from_unix_ms(0) == 0);
  CHECK(kiosk::day_from_unix_ms(-1) == -1);
  CHECK(kiosk::day_from_unix_ms(86'400'000) == 1);
  // 2026-04-01T00:00:00Z
  CHECK(kiosk::day_from_unix_ms(1'775'001'600'000) == *kiosk::parse_iso_date("2026-04-01"));
}

TEST_CASE("VAT classes and dates parse or say why not") {
  CHECK(*kiosk::parse_vat_class("food") == VatClass::kFood);
  CHECK(*kiosk::parse_vat_class("25") == VatClass::kStandard);
  CHECK_THAT(kiosk::parse_vat_class("luxury").message(), Catch::Contains("unknown VAT class 'luxury'"));
  CHECK_FALSE(kiosk::parse_iso_date("2026-02-30"));
  CHECK_FALSE(kiosk::parse_iso_date("26-02-01"));
}
