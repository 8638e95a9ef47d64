#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "catalog/catalog_csv.h"
#include "common/gtin.h"

using kiosk::catalog::InputError;
using kiosk::catalog::parse_catalog_csv;
using kiosk::catalog::SaleUnit;

namespace {

bool has_error(const std::vector<InputError>& errors, std::uint32_t line, std::string_view column,
               std::string_view text) {
  for (const auto& e : errors) {
    if (e.line == line && e.column == column && e.message.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string dump(const std::vector<InputError>& errors) {
  std::string s;
  for (const auto& e : errors) s += std::to_string(e.line) + ": " + e.column + ": " + e.message + "\n";
  return s;
}

}  // namespace

TEST_CASE("a full row reads into a product with GTIN-14 and units") {
  const auto c = parse_catalog_csv(
      "gtin,name_sv,name_en,brand,department,price_ore,unit,vat_class,deposit_code,age_limit,"
      "expected_weight_mg,weight_spread_mg,no_weigh,plu,image\n"
      "7310865004703,\"Mellanmjölk 1,5 % 1 l\",Semi-skimmed milk,Arla,Mejeri,1695,each,food,,,1035000,8000,0,,"
      "milk.png\n"
      "73000000401 16,Bananer,Bananas,,Frukt,2995,kg,food,,,,,0,4011,\n");
  INFO(dump(c.errors));
  // The space inside the second GTIN is not trimmed away: it is an error.
  REQUIRE(c.errors.size() == 1);
  CHECK(has_error(c.errors, 3, "gtin", "not a digit"));
  CHECK(c.products.empty());  // nothing when anything is wrong
}

TEST_CASE("columns come in any order and optional ones may be left out") {
  const auto c = parse_catalog_csv(
      "vat_class,price_ore,name_sv,gtin,plu,unit\n"
      "food,2995,Bananer,7300000040116,4011,kg\n"
      "standard,300,Bärkasse,96385074,,\n"
      "food, 4495 ,Tabasco,011210000018,,each\n");
  INFO(dump(c.errors));
  REQUIRE(c.errors.empty());
  REQUIRE(c.products.size() == 3);
  CHECK(c.products[0].gtin14 == "07300000040116");
  CHECK(c.products[0].unit == SaleUnit::kPerKg);
  CHECK(c.products[0].plu == "4011");
  CHECK(c.products[1].gtin14 == "00000096385074");  // EAN-8
  CHECK(c.products[1].vat_class == kiosk::VatClass::kStandard);
  CHECK(c.products[1].unit == SaleUnit::kEach);
  CHECK(c.products[2].gtin14 == "00011210000018");  // UPC-A
  CHECK(c.products[2].price_ore == 4495);
  CHECK(c.lines == std::vector<std::uint32_t>{2, 3, 4});
}

TEST_CASE("an 8-digit GTIN that is not a valid EAN-8 is read as UPC-E") {
  const auto c = parse_catalog_csv("gtin,name_sv,price_ore,vat_class\n04252614,Soda,995,food\n");
  INFO(dump(c.errors));
  REQUIRE(c.products.size() == 1);
  CHECK(c.products[0].gtin14 == "00042100005264");
}

TEST_CASE("the header must name known columns, once, with every required one") {
  const auto c = parse_catalog_csv("gtin,name_sv,colour,gtin,vat_class\n7310865004703,Mjölk,vit,x,food\n");
  CHECK(has_error(c.errors, 1, "colour", "unknown column"));
  CHECK(has_error(c.errors, 1, "gtin", "appears twice"));
  CHECK(has_error(c.errors, 1, "price_ore", "required column"));
  CHECK(c.products.empty());
}

TEST_CASE("every row error is listed with its line and column, and nothing is returned") {
  const std::string csv =
      "gtin,name_sv,price_ore,unit,vat_class,deposit_code,age_limit,expected_weight_mg,weight_spread_mg,"
      "no_weigh,plu\n"
      "7310865004703,Mjölk,1695,each,food,,,1035000,8000,0,\n"         // 2 fine
      "7310865004704,Fel kontrollsiffra,100,each,food,,,,,0,\n"        // 3 check digit
      "7310865004703,Dubblett,100,each,food,,,,,0,\n"                  // 4 duplicate of line 2
      "7310865005120,Smör,12.50,each,food,,,,,0,\n"                    // 5 non-numeric price
      "7310112004500,Kaffe,-5,each,food,,,,,0,\n"                      // 6 negative price
      "7310865002310,Ost,100,styck,food,,,,,0,\n"                      // 7 unknown unit
      "7310865003485,Yoghurt,100,each,lyx,,,,,0,\n"                    // 8 unknown VAT class
      "7310865006226,Grädde,100,each,food,,,-3,,0,\n"                  // 9 negative weight
      "7310865007148,Bregott,100,each,food,,,1000,2000,0,\n"           // 10 spread > weight
      "7310865008206,Ägg,100,each,food,,,,,ja,\n"                      // 11 bad no_weigh
      "7318706001034,Bröd,100,each,food,,150,,,0,\n"                   // 12 age limit too big
      "7300000040116,Bananer,2995,kg,food,,,,,0,40x1\n"                // 13 bad PLU
      "7300000041731,Äpplen,3495,kg,food,,,,,0,4011\n"                 // 14 fine PLU
      "7300000046644,Tomater,4995,kg,food,,,,,0,4011\n"                // 15 duplicate PLU
      "7318690499534,Cola,2495,each,food,pant 2,,,,0,\n"               // 16 bad deposit code
      ",Tomt,100,each,food,,,,,0,\n"                                   // 17 empty gtin
      "7310000001154,,300,each,standard,,,,,1,\n"                      // 18 empty name
      "7310000002212,Kort rad,400\n"                                   // 19 field count
      "7310000003370,Sm\xF6r,100,each,food,,,,,0,\n"                   // 20 bad UTF-8 (Latin-1)
      "7310160000004,\"ok\"x,100,each,food,,,,,0,\n"                   // 21 junk after quote
      "7310011001129,\"Aftonbladet\n\xFF\",100,each,reduced,,,,,0,\n"  // 22-23 bad UTF-8 on line 23
      "7310011002287,\"öppen";                                         // 24 quote never closed
  const auto c = parse_catalog_csv(csv);
  INFO(dump(c.errors));
  CHECK(has_error(c.errors, 3, "gtin", "check digit is 4, expected 3"));
  CHECK(has_error(c.errors, 4, "gtin", "duplicate GTIN 07310865004703 (first on line 2)"));
  CHECK(has_error(c.errors, 5, "price_ore", "not a whole number"));
  CHECK(has_error(c.errors, 6, "price_ore", "negative"));
  CHECK(has_error(c.errors, 7, "unit", "unknown unit 'styck'"));
  CHECK(has_error(c.errors, 8, "vat_class", "unknown VAT class 'lyx'"));
  CHECK(has_error(c.errors, 9, "expected_weight_mg", "negative"));
  CHECK(has_error(c.errors, 10, "weight_spread_mg", "larger than expected_weight_mg"));
  CHECK(has_error(c.errors, 11, "no_weigh", "must be 0 or 1"));
  CHECK(has_error(c.errors, 12, "age_limit", "larger than the limit"));
  CHECK(has_error(c.errors, 13, "plu", "4 to 6 digits"));
  CHECK(has_error(c.errors, 15, "plu", "duplicate PLU 4011 (first on line 14)"));
  CHECK(has_error(c.errors, 16, "deposit_code", "only letters"));
  CHECK(has_error(c.errors, 17, "gtin", "empty"));
  CHECK(has_error(c.errors, 18, "name_sv", "empty"));
  CHECK(has_error(c.errors, 19, "", "has 3 fields but the header has 11"));
  CHECK(has_error(c.errors, 20, "name_sv", "invalid UTF-8 at byte 3"));
  CHECK(has_error(c.errors, 21, "name_sv", "after a closing quote"));
  CHECK(has_error(c.errors, 23, "name_sv", "invalid UTF-8 at byte 13"));
  CHECK(has_error(c.errors, 24, "name_sv", "not closed"));
  CHECK(c.errors.size() == 20);
  CHECK(c.products.empty());
  // File order, so a person can walk the file from the top.
  CHECK(std::is_sorted(c.errors.begin(), c.errors.end(),
                       [](const InputError& a, const InputError& b) { return a.line < b.line; }));
}

TEST_CASE("an empty file and a header without rows are errors") {
  CHECK(has_error(parse_catalog_csv("").errors, 0, "", "empty"));
  CHECK(has_error(parse_catalog_csv("gtin,name_sv,price_ore,vat_class\n").errors, 1, "", "no products"));
}

TEST_CASE("JSON Lines carry the same columns as keys, with the same checks") {
  const auto good = kiosk::catalog::parse_catalog_jsonl(
      "{\"gtin\": \"7310865004703\", \"name_sv\": \"Mellanmjölk\", \"price_ore\": 1695, \"vat_class\": \"food\","
      " \"expected_weight_mg\": 1035000, \"weight_spread_mg\": 8000, \"no_weigh\": false}\r\n"
      "\n"
      "{\"gtin\": \"96385074\", \"name_sv\": \"Tuggummi\", \"price_ore\": \"1495\", \"vat_class\": \"food\","
      " \"no_weigh\": true, \"plu\": null}\n");
  INFO(dump(good.errors));
  REQUIRE(good.errors.empty());
  REQUIRE(good.products.size() == 2);
  CHECK(good.products[0].expected_weight_mg == 1'035'000);
  CHECK(good.products[1].no_weigh);
  CHECK(good.lines == std::vector<std::uint32_t>{1, 3});

  const auto bad = kiosk::catalog::parse_catalog_jsonl(
      "{\"gtin\": \"7310865004703\", \"name_sv\": \"Mjölk\", \"price_ore\": 16.95, \"vat_class\": \"food\"}\n"
      "{\"gtin\": \"7310865004703\", \"name_sv\": \"Mjölk\", \"vat_class\": \"food\", \"colour\": \"vit\"}\n"
      "{\"gtin\": \"7310865005120\", \"name_sv\": [\"Smör\"], \"price_ore\": 6495, \"vat_class\": \"food\"}\n"
      "{\"gtin\": \"7310865005120\",\n"
      "[1, 2]\n"
      "{\"gtin\": \"7310865005120\", \"name_sv\": \"Sm\xF6r\", \"price_ore\": 6495, \"vat_class\": \"food\"}\n");
  INFO(dump(bad.errors));
  CHECK(has_error(bad.errors, 1, "price_ore", "not a whole number"));
  CHECK(has_error(bad.errors, 2, "colour", "unknown column"));
  CHECK(has_error(bad.errors, 2, "price_ore", "required field"));
  CHECK(has_error(bad.errors, 2, "gtin", "duplicate GTIN"));  // rows with other errors are still checked
  CHECK(has_error(bad.errors, 3, "name_sv", "must be a string"));
  CHECK(has_error(bad.errors, 4, "", "ends inside its JSON object"));  // cut off mid-object
  CHECK(has_error(bad.errors, 5, "", "expected a JSON object"));
  CHECK(has_error(bad.errors, 6, "", "invalid UTF-8 at byte"));
  CHECK(bad.errors.size() == 8);
  CHECK(bad.products.empty());
}

// Pushes over 4 MB without quotes are read in two halves on two threads: the products, their lines and
// every error must be those of reading the file in one piece.
TEST_CASE("a large push reads the same in two halves: products, lines and errors") {
  const auto gtin = [](int i) {
    const std::string body = fmt::format("73{:010}", i);
    return body + kiosk::gtin_check_digit(body);
  };
  constexpr int kRows = 80'000;  // ~5 MB
  std::vector<std::string> rows;
  for (int i = 0; i < kRows; ++i) {
    rows.push_back(fmt::format("{},Produkt nummer {} med ett ganska långt namn,{},food,{}\n", gtin(i), i, 100 + i,
                               i % 7 == 0 ? fmt::format("{}", 10000 + i) : std::string()));
  }
  const auto csv_of = [&](const std::vector<std::string>& r) {
    std::string csv = "gtin,name_sv,price_ore,vat_class,plu\n";
    for (std::size_t i = 0; i < r.size(); ++i) {
      csv += r[i];
      if (i % 1000 == 999) csv += "\n";  // a blank line now and then: line numbers must still be right
    }
    return csv;
  };
  // Line of row i: header, then i rows and i / 1000 blank lines before it.
  const auto line_of = [](int i) { return static_cast<std::uint32_t>(2 + i + i / 1000); };

  const std::string clean = csv_of(rows);
  REQUIRE(clean.size() > (4u << 20));
  const auto ok = parse_catalog_csv(clean);
  INFO(dump(ok.errors));
  REQUIRE(ok.errors.empty());
  REQUIRE(ok.products.size() == static_cast<std::size_t>(kRows));
  for (const int i : {0, 1, kRows / 2 - 1, kRows / 2, kRows / 2 + 1, kRows - 1}) {
    CHECK(ok.products[static_cast<std::size_t>(i)].gtin14 == "0" + gtin(i));
    CHECK(ok.lines[static_cast<std::size_t>(i)] == line_of(i));
  }

  SECTION("a GTIN in both halves") {
    auto dup = rows;
    dup[kRows - 10] = fmt::format("{},Dubblett,100,food,\n", gtin(5));
    const auto bad = parse_catalog_csv(csv_of(dup));
    INFO(dump(bad.errors));
    CHECK(bad.products.empty());
    REQUIRE(bad.errors.size() == 1);
    CHECK(has_error(bad.errors, line_of(kRows - 10), "gtin",
                    fmt::format("duplicate GTIN 0{} (first on line {})", gtin(5), line_of(5))));
  }
  SECTION("a PLU in both halves") {
    auto dup = rows;
    dup[kRows - 10] = fmt::format("{},Dubblett,100,food,10007\n", gtin(kRows - 10));
    const auto bad = parse_catalog_csv(csv_of(dup));
    REQUIRE(bad.errors.size() == 1);
    CHECK(has_error(bad.errors, line_of(kRows - 10), "plu", "duplicate PLU 10007 (first on line 9)"));
  }
  SECTION("errors in both halves, by their lines in the whole file") {
    auto bad_rows = rows;
    bad_rows[3] = fmt::format("{},Ost,-5,food,\n", gtin(3));
    bad_rows[kRows - 3] = fmt::format("{},Ost,100,lyx,\n", gtin(kRows - 3));
    const auto bad = parse_catalog_csv(csv_of(bad_rows));
    INFO(dump(bad.errors));
    REQUIRE(bad.errors.size() == 2);
    CHECK(has_error(bad.errors, line_of(3), "price_ore", "negative"));
    CHECK(has_error(bad.errors, line_of(kRows - 3), "vat_class", "unknown VAT class 'lyx'"));
  }
}
