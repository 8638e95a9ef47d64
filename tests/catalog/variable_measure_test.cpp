#include <catch2/catch.hpp>

#include "catalog/catalog_store.h"
#include "catalog/variable_measure.h"
#include "common/clock.h"
#include "common/gtin.h"
#include "temp_dir.h"

using kiosk::ErrorCode;
using kiosk::catalog::CatalogOptions;
using kiosk::catalog::CatalogStore;
using kiosk::catalog::ImportMode;
using kiosk::catalog::parse_gs1_element_string;
using kiosk::catalog::parse_variable_measure;
using kiosk::catalog::parse_variable_measure_rules;
using kiosk::catalog::VariableMeasureRule;

TEST_CASE("Swedish variable-measure codes carry a price or weight and name the zeroed code") {
  const auto rules = kiosk::catalog::swedish_variable_measure_rules();
  // 23: weight in kg with 3 decimals; article 12345, 01.234 kg.
  auto w = parse_variable_measure("2312345012340", rules);
  REQUIRE(w);
  REQUIRE(w->has_value());
  CHECK((*w)->gtin14 == "02312345000002");
  CHECK((*w)->weight_mg == 1'234'000);
  CHECK_FALSE((*w)->price_ore);
  // 20: price in kronor with 2 decimals: 019.95 kr.
  auto p = parse_variable_measure("2012345019959", rules);
  REQUIRE(p);
  REQUIRE(p->has_value());
  CHECK((*p)->price_ore == 1995);
  CHECK((*p)->gtin14.substr(0, 9) == "020123450");
  // 21 (1 decimal), 22 (0 decimals), 24 (2), 25 (1): the same value digits 00123.
  const auto value_of = [&](std::string prefix) {
    std::string body = prefix + "12345" + "00123";
    auto r = parse_variable_measure(body + kiosk::gtin_check_digit(body), rules);
    REQUIRE(r);
    REQUIRE(r->has_value());
    return (*r)->price_ore ? *(*r)->price_ore : *(*r)->weight_mg;
  };
  CHECK(value_of("21") == 1230);        // 12.3 kr
  CHECK(value_of("22") == 12300);       // 123 kr
  CHECK(value_of("24") == 1'230'000);   // 1.23 kg
  CHECK(value_of("25") == 12'300'000);  // 12.3 kg
  // Not a rule's prefix: an ordinary EAN-13.
  auto plain = parse_variable_measure("7310865004703", rules);
  REQUIRE(plain);
  CHECK_FALSE(plain->has_value());
  // A rule's prefix with a wrong check digit.
  auto bad = parse_variable_measure("2312345012341", rules);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::kInvalidArgument);
  CHECK_THAT(bad.message(), Catch::Contains("check digit"));
}

TEST_CASE("variable-measure rules come from configuration") {
  CHECK(*parse_variable_measure_rules("") == kiosk::catalog::swedish_variable_measure_rules());
  CHECK(parse_variable_measure_rules("none")->empty());
  auto custom = parse_variable_measure_rules("28:weight:3:4, 29:price:2");
  REQUIRE(custom);
  REQUIRE(custom->size() == 2);
  CHECK((*custom)[0] == VariableMeasureRule{"28", VariableMeasureRule::Kind::kWeight, 3, 4});
  CHECK((*custom)[1].kind == VariableMeasureRule::Kind::kPrice);
  // Four value digits: article 123456, 1.234 kg.
  std::string body =
      "28123456"
      "1234";
  auto r = parse_variable_measure(body + kiosk::gtin_check_digit(body), *custom);
  REQUIRE(r);
  REQUIRE(r->has_value());
  CHECK((*r)->weight_mg == 1'234'000);
  CHECK((*r)->gtin14.substr(0, 9) == "028123456");

  for (const char* bad :
       {"20:price", "30:price:2", "20:volume:2", "20:price:3", "20:price:2,20:weight:1", "23:weight:x"}) {
    INFO(bad);
    auto e = parse_variable_measure_rules(bad);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kInvalidArgument);
  }
  CHECK_THAT(parse_variable_measure_rules("20:volume:2").message(), Catch::Contains("volume"));
}

TEST_CASE("GS1 element strings give the GTIN, weight and price") {
  auto a = parse_gs1_element_string("(01)07310865004703(3103)001234");
  REQUIRE(a);
  CHECK(a->gtin14 == "07310865004703");
  CHECK(a->weight_mg == 1'234'000);
  CHECK_FALSE(a->price_ore);

  auto b = parse_gs1_element_string("(01)07310865004703(3922)4995(10)LOT7");
  REQUIRE(b);
  CHECK(b->price_ore == 4995);
  // Raw form: fixed-length fields run on, variable ones end with GS; scanner symbology prefix.
  auto c = parse_gs1_element_string(
      "]C101073108650047033102000750"
      "3921"
      "129\x1d"
      "10ABC");
  REQUIRE(c);
  CHECK(c->gtin14 == "07310865004703");
  CHECK(c->weight_mg == 7'500'000);  // 3102: 0007.50 kg
  CHECK(c->price_ore == 1290);       // 3921: 12.9 kr
  auto d = parse_gs1_element_string("01073108650047033105012345");
  REQUIRE(d);
  CHECK(d->weight_mg == 123'450);
  CHECK(kiosk::catalog::looks_like_gs1_element_string("01073108650047033105012345"));
  CHECK_FALSE(kiosk::catalog::looks_like_gs1_element_string("07310865004703"));
}

TEST_CASE("malformed GS1 element strings are rejected saying where and why") {
  const auto why = [](std::string_view code) {
    auto r = parse_gs1_element_string(code);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kInvalidArgument);
    return r.message();
  };
  CHECK_THAT(why("(01)07310865004704"), Catch::Contains("check digit"));
  CHECK_THAT(why("(3103)001234"), Catch::Contains("no (01)"));
  CHECK_THAT(why("(01)07310865004703(3103)12"), Catch::Contains("not 6 digits"));
  CHECK_THAT(why("(01)0731086500470"), Catch::Contains("14 digits"));
  CHECK_THAT(why("(01)07310865004703(3103"), Catch::Contains("never closed"));
  CHECK_THAT(why("(01)07310865004703(3925)1"), Catch::Contains("öre"));
  CHECK_THAT(why("0107310865004703990"), Catch::Contains("character 17"));
  CHECK_THAT(why("01073108650047033103001"), Catch::Contains("needs 6 digits"));
  CHECK_THAT(why("]X1010731086500470"), Catch::Contains("symbology"));
}

TEST_CASE("lookups return the product and the embedded price or weight") {
  kiosk::test::TempDir dir{"kiosk-catalog-vm"};
  kiosk::ManualClock clock(1'790'000'000'000);
  auto opened = CatalogStore::open(dir.path() / "catalog", clock);
  REQUIRE(opened);
  auto& store = **opened;
  const std::string csv =
      "gtin,name_sv,name_en,price_ore,unit,vat_class\n"
      "2312345000002,Skinka,Ham,24900,kg,food\n"
      "2054321000001,Ost bit,Cheese piece,0,each,food\n"
      "7310865004703,Mellanmjölk 1 l,Milk 1 l,1695,each,food\n";
  auto out = store.import_csv(csv, ImportMode::kFull, "vm.csv");
  REQUIRE(out);
  INFO((out->errors.empty() ? "" : out->errors[0].message));
  REQUIRE(out->applied);

  auto ham = store.lookup("2312345012340");
  REQUIRE(ham);
  CHECK(ham->product.name_en == "Ham");
  CHECK(ham->embedded_weight_mg == 1'234'000);
  CHECK_FALSE(ham->embedded_price_ore);

  std::string body = "205432103495";  // 34.95 kr of article 54321
  auto cheese = store.lookup(body + kiosk::gtin_check_digit(body));
  REQUIRE(cheese);
  CHECK(cheese->product.name_en == "Cheese piece");
  CHECK(cheese->embedded_price_ore == 3495);

  auto gs1 = store.lookup("(01)07310865004703(3922)1995");
  REQUIRE(gs1);
  CHECK(gs1->product.name_en == "Milk 1 l");
  CHECK(gs1->embedded_price_ore == 1995);
  auto plain = store.lookup("7310865004703");
  REQUIRE(plain);
  CHECK_FALSE(plain->embedded_price_ore);
  CHECK_FALSE(plain->embedded_weight_mg);

  CHECK(store.lookup("2312345012341").error().code == ErrorCode::kInvalidArgument);
  CHECK(store.lookup("(01)07310865004703(3103)12").error().code == ErrorCode::kInvalidArgument);
  std::string other = "231111101000";  // an article nobody sells
  auto missing = store.lookup(other + kiosk::gtin_check_digit(other));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE("with no variable-measure rules a 2X code is an ordinary EAN-13") {
  kiosk::test::TempDir dir{"kiosk-catalog-vm-none"};
  kiosk::ManualClock clock(1'790'000'000'000);
  CatalogOptions options;
  options.variable_measure = {};
  auto opened = CatalogStore::open(dir.path() / "catalog", clock, options);
  REQUIRE(opened);
  auto out = (*opened)->import_csv(
      "gtin,name_sv,name_en,price_ore,unit,vat_class\n"
      "2312345012340,Skinka 1234 g,Ham,30700,each,food\n",
      ImportMode::kFull, "vm.csv");
  REQUIRE(out);
  REQUIRE(out->applied);
  auto hit = (*opened)->lookup("2312345012340");
  REQUIRE(hit);
  CHECK(hit->product.name_en == "Ham");
  CHECK_FALSE(hit->embedded_weight_mg);
}
