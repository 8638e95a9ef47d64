#include <catch2/catch.hpp>

#include "kiosk/money_text.h"

using kiosk::ui::moneyText;

TEST_CASE("money is shown in kronor with a comma and space-grouped thousands", "[kiosk][money]") {
  CHECK(moneyText(1290) == "12,90 kr");
  CHECK(moneyText(123450) == "1 234,50 kr");
  CHECK(moneyText(5) == "0,05 kr");
  CHECK(moneyText(0) == "0,00 kr");
  CHECK(moneyText(-250) == "-2,50 kr");
  CHECK(moneyText(100000000) == "1 000 000,00 kr");
}

TEST_CASE("per-kg prices and weights", "[kiosk][money]") {
  CHECK(kiosk::ui::pricePerKgText(2990) == "29,90 kr/kg");
  CHECK(kiosk::ui::weightText(482300) == "0,482 kg");
  CHECK(kiosk::ui::weightText(482500) == "0,483 kg");  // whole grams, half up
  CHECK(kiosk::ui::weightText(1250000) == "1,250 kg");
}
