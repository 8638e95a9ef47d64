#include <catch2/catch.hpp>

#include "common/money.h"

TEST_CASE("öre format as Swedish kronor") {
  CHECK(kiosk::format_ore(0) == "0,00");
  CHECK(kiosk::format_ore(1290) == "12,90");
  CHECK(kiosk::format_ore(123456789) == "1 234 567,89");
  CHECK(kiosk::format_ore(-505) == "-5,05");
}

TEST_CASE("kronor text parses to öre or says why not") {
  CHECK(*kiosk::parse_kronor("12,90") == 1290);
  CHECK(*kiosk::parse_kronor("12.9") == 1290);
  CHECK(*kiosk::parse_kronor("7") == 700);
  CHECK(*kiosk::parse_kronor("-0,05") == -5);
  CHECK_THAT(kiosk::parse_kronor("1,234").message(), Catch::Contains("more than two decimals"));
  CHECK_THAT(kiosk::parse_kronor("12a").message(), Catch::Contains("unexpected 'a'"));
  CHECK_FALSE(kiosk::parse_kronor(""));
  CHECK_FALSE(kiosk::parse_kronor("1,2,3"));
}

TEST_CASE("VAT contained in a gross amount rounds half away from zero") {
  // 25 %: 100,00 kr contains 20,00 kr VAT.
  CHECK(kiosk::vat_included(10000, 2500) == 2000);
  // 12 %: 29,90 contains 3,2035.. -> 3,20.
  CHECK(kiosk::vat_included(2990, 1200) == 320);
  // 6 %: 53 öre contains 3,0000.. -> 3; 9 öre contains 0,509 -> 1 (rounds up at half and above).
  CHECK(kiosk::vat_included(53, 600) == 3);
  CHECK(kiosk::vat_included(9, 600) == 1);
  CHECK(kiosk::vat_included(-10000, 2500) == -2000);
  CHECK(kiosk::vat_included(1234, 0) == 0);
}

TEST_CASE("weighed prices round to öre") {
  // 0,482 kg at 29,90 kr/kg = 14,4118 kr -> 14,41.
  CHECK(kiosk::price_for_weight(2990, 482'000) == 1441);
  // 0,5 kg at 0,01 kr/kg = 0,005 kr -> rounds half up to 1 öre.
  CHECK(kiosk::price_for_weight(1, 500'000) == 1);
  CHECK(kiosk::mul_div_round(-5, 1, 10) == -1);
  CHECK(kiosk::mul_div_round(4, 1, 10) == 0);
}
