#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "catalog/catalog_store.h"
#include "common/clock.h"
#include "temp_dir.h"

// deploy/demo/catalog.csv feeds the demo and the end-to-end tests; these are the promises they rely on.

using kiosk::catalog::CatalogStore;
using kiosk::catalog::ImportMode;
using kiosk::catalog::Product;
using kiosk::catalog::SaleUnit;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Terminal simulators decline amounts whose last three öre digits are one of these.
bool declined_ending(std::int64_t ore) {
  const auto end = ore % 1000;
  return (end >= 124 && end <= 128) || end == 134;
}

bool ordinary_weighable(const Product& p) {
  return p.unit == SaleUnit::kEach && !p.no_weigh && p.expected_weight_mg > 0 && p.age_limit == 0 &&
         p.deposit_code.empty();
}

}  // namespace

TEST_CASE("the demo catalog imports cleanly and keeps the promises the demo relies on") {
  const std::string csv = read_file(KIOSK_SOURCE_DIR "/deploy/demo/catalog.csv");
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock;
  auto store = CatalogStore::open(dir.path(), clock);
  REQUIRE(store);
  auto out = (*store)->import_csv(csv, ImportMode::kFull, "catalog.csv");
  REQUIRE(out);
  std::string errors;
  for (const auto& e : out->errors) errors += std::to_string(e.line) + ": " + e.column + ": " + e.message + "\n";
  INFO(errors);
  REQUIRE(out->applied);
  CHECK(out->version.product_count >= 55);
  CHECK(out->version.product_count <= 70);

  // Every row's code, as written in the file, finds its product.
  std::vector<Product> products;
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    const std::string code = line.substr(0, line.find(','));
    auto hit = (*store)->lookup(code);
    INFO(code);
    REQUIRE(hit);
    products.push_back(hit->product);
  }
  REQUIRE(products.size() == out->version.product_count);

  SECTION("(a) the first three ordinary weighable items make a basket the terminal approves") {
    std::vector<Product> basket;
    for (const auto& p : products) {
      if (ordinary_weighable(p) && basket.size() < 3) basket.push_back(p);
    }
    REQUIRE(basket.size() == 3);
    std::int64_t total = 0;
    for (const auto& p : basket) total += p.price_ore;
    INFO("basket total " << total);
    CHECK_FALSE(declined_ending(total));
    // The e2e scripted shopper scans these; the camera renders them as EAN-13.
    CHECK(basket[0].gtin14 == "07310865004703");
    CHECK(basket[1].gtin14 == "07310865005120");
    CHECK(basket[2].gtin14 == "07310112004500");
  }
  SECTION("(b) one ordinary item costs 11,24 kr, which the terminal declines") {
    const auto n = std::count_if(products.begin(), products.end(),
                                 [](const Product& p) { return p.price_ore == 1124 && ordinary_weighable(p); });
    CHECK(n == 1);
    CHECK((*store)->lookup("7318706003250")->product.price_ore == 1124);
  }
  SECTION("(c) some items are not weighed") {
    CHECK(std::any_of(products.begin(), products.end(), [](const Product& p) { return p.no_weigh; }));
  }
  SECTION("the catalog covers the cases a lane must handle") {
    const auto any = [&](auto pred) { return std::any_of(products.begin(), products.end(), pred); };
    CHECK(any([](const Product& p) { return p.unit == SaleUnit::kPerKg && !p.plu.empty(); }));
    CHECK(any([](const Product& p) { return !p.deposit_code.empty(); }));
    CHECK(any([](const Product& p) { return p.age_limit == 18 && p.vat_class == kiosk::VatClass::kFood; }));
    CHECK(any([](const Product& p) { return p.age_limit == 18 && p.vat_class == kiosk::VatClass::kStandard; }));
    CHECK(any([](const Product& p) { return p.vat_class == kiosk::VatClass::kReduced; }));
    CHECK(any([](const Product& p) { return p.gtin14.starts_with("000000"); }));  // EAN-8
    CHECK(
        any([](const Product& p) { return p.gtin14.starts_with("00") && !p.gtin14.starts_with("000000"); }));  // UPC-A
    for (const auto& p : products) {
      INFO(p.gtin14 << " " << p.name_sv);
      CHECK(!p.name_en.empty());
      CHECK(p.price_ore > 0);
      if (p.vat_class != kiosk::VatClass::kFood) CHECK(p.department != "Mejeri");
      if (p.unit == SaleUnit::kEach && !p.no_weigh) CHECK(p.expected_weight_mg > 0);
    }
  }
}
