#include <catch2/catch.hpp>

#include "common/gtin.h"

using kiosk::normalize_gtin;

TEST_CASE("check digits follow GS1 mod 10") {
  CHECK(kiosk::gtin_check_digit("731012345678") == '7');  // 7310123456787
  CHECK(kiosk::gtin_check_digit("400638133393") == '1');  // 4006381333931
  CHECK(kiosk::gtin_check_digit("9638507") == '4');       // EAN-8 96385074
  CHECK(kiosk::gtin_check_digit("03600029145") == '2');   // UPC-A 036000291452
}

TEST_CASE("every GTIN form normalises to GTIN-14") {
  CHECK(*normalize_gtin("4006381333931") == "04006381333931");
  CHECK(*normalize_gtin("96385074") == "00000096385074");
  CHECK(*normalize_gtin("036000291452") == "00036000291452");
  CHECK(*normalize_gtin("10012345678902") == "10012345678902");
}

TEST_CASE("UPC-E expands to UPC-A before normalising") {
  // Each last-digit rule of the UPC-E zero suppression.
  CHECK(*kiosk::expand_upce("01234565") == "012345000065");
  CHECK(*kiosk::expand_upce("04252614") == "042100005264");
  CHECK(*kiosk::expand_upce("01234531") == "012300000451");
  CHECK(*kiosk::expand_upce("01234558") == "012345000058");
  CHECK(*normalize_gtin("01234565", true) == "00012345000065");
}

TEST_CASE("a wrong check digit is rejected with a clear error") {
  auto r = normalize_gtin("4006381333932");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == kiosk::ErrorCode::kInvalidArgument);
  CHECK_THAT(r.message(), Catch::Contains("check digit is 2, expected 1"));
  CHECK_FALSE(normalize_gtin("96385075"));
  CHECK_FALSE(normalize_gtin("01234566", true));
}

TEST_CASE("codes that are not GTINs are rejected and say why") {
  CHECK_THAT(normalize_gtin("12345").message(), Catch::Contains("not a GTIN length"));
  CHECK_THAT(normalize_gtin("40063813339A1").message(), Catch::Contains("character 12 is not a digit"));
  CHECK_FALSE(normalize_gtin(""));
  CHECK_THAT(kiosk::expand_upce("21234565").message(), Catch::Contains("number system"));
}
