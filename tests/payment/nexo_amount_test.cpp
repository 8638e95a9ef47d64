#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "payment/nexo_amount.h"

using namespace kiosk::payment;

TEST_CASE("öre format as nexo decimal kronor without floats", "[payment][amount]") {
  CHECK(ore_to_decimal(1124) == "11.24");
  CHECK(ore_to_decimal(5) == "0.05");
  CHECK(ore_to_decimal(100000) == "1000.00");
  CHECK(ore_to_decimal(0) == "0.00");
  CHECK(ore_to_decimal(-5) == "-0.05");
  CHECK(ore_to_decimal(9'000'000'000'000'001) == "90000000000000.01");
}

TEST_CASE("decimal kronor parse to exact öre", "[payment][amount]") {
  CHECK(*decimal_to_ore("11.24") == 1124);
  CHECK(*decimal_to_ore("0.05") == 5);
  CHECK(*decimal_to_ore("1000") == 100000);
  CHECK(*decimal_to_ore("1.5") == 150);
  CHECK(*decimal_to_ore("1.500") == 150);
  CHECK(*decimal_to_ore("-0.05") == -5);
  auto bad = decimal_to_ore("1.005");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.message(), Catch::Contains("fractions of an öre"));
  CHECK_FALSE(decimal_to_ore("1.2.3"));
  CHECK_FALSE(decimal_to_ore("12a"));
  CHECK_FALSE(decimal_to_ore(""));
  CHECK_FALSE(decimal_to_ore("."));
}

TEST_CASE("JSON amounts convert exactly even where a double cannot hold them", "[payment][amount]") {
  using nlohmann::json;
  CHECK(*json_amount_to_ore(json::parse("10.99")) == 1099);
  CHECK(*json_amount_to_ore(json::parse("1.00")) == 100);
  CHECK(*json_amount_to_ore(json::parse("0.29")) == 29);   // 0.29 * 100 == 28.999999999999996 as a double
  CHECK(*json_amount_to_ore(json::parse("1.13")) == 113);  // 1.13 * 100 == 112.99999999999999
  CHECK(*json_amount_to_ore(json::parse("12")) == 1200);
  CHECK(*json_amount_to_ore(json::parse("\"4.56\"")) == 456);
  CHECK(*json_amount_to_ore(json::parse("123456789012.34")) == 12345678901234);
  // Every öre value from 0.00 to 99.99 survives the round trip through JSON text.
  for (kiosk::Ore ore = 0; ore < 10000; ++ore) {
    const auto parsed = json_amount_to_ore(json::parse(ore_to_decimal(ore)));
    REQUIRE(parsed);
    REQUIRE(*parsed == ore);
  }
  CHECK_FALSE(json_amount_to_ore(json::parse("0.001")));
  CHECK_FALSE(json_amount_to_ore(json::parse("1e300")));
  CHECK_FALSE(json_amount_to_ore(json::parse("true")));
}
