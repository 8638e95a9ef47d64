#include <catch2/catch.hpp>

#include "catalog/catalog_store.h"
#include "common/clock.h"
#include "temp_dir.h"

using kiosk::ErrorCode;
using kiosk::catalog::CatalogStore;
using kiosk::catalog::ImportMode;

namespace {

constexpr const char* kHeader =
    "gtin,name_sv,name_en,brand,price_ore,unit,vat_class,expected_weight_mg,weight_spread_mg,plu\n";

// Products in every GTIN form: EAN-13, EAN-8, UPC-A, UPC-E (01234565 is also a valid EAN-8, which is
// tried first and not found, so the lookup falls back to UPC-E),
// GTIN-14, and a PLU item.
std::string sample_csv() {
  return std::string(kHeader) +
         "7310865004703,Mellanmjölk 1 l,Milk 1 l,Arla,1695,each,food,1035000,8000,\n"
         "96385074,Tuggummi,Chewing gum,Wrigley,1495,each,food,27000,1500,\n"
         "036000291452,Näsdukar,Tissues,Kleenex,2995,each,standard,90000,3000,\n"
         "012345000065,Läsk,Soda,Acme,995,each,food,350000,4000,\n"
         "10012345678902,Mjölk kartong 10 st,Milk case of 10,Arla,15900,each,food,10400000,80000,\n"
         "7300000040116,Bananer,Bananas,,2995,kg,food,,,4011\n";
}

std::unique_ptr<CatalogStore> open_store(const std::filesystem::path& dir, const kiosk::Clock& clock) {
  auto s = CatalogStore::open(dir, clock);
  INFO((s ? "" : s.message()));
  REQUIRE(s);
  return std::move(*s);
}

}  // namespace

TEST_CASE("an import is served as version 1 and found by every GTIN form") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock(1'790'000'000'000);
  auto store = open_store(dir.path() / "catalog", clock);
  CHECK(store->version().version == 0);
  CHECK(store->lookup("7310865004703").error().code == ErrorCode::kNotFound);

  auto out = store->import_csv(sample_csv(), ImportMode::kFull, "sample.csv");
  REQUIRE(out);
  INFO((out->errors.empty() ? "" : out->errors[0].message));
  REQUIRE(out->applied);
  CHECK(out->version.version == 1);
  CHECK(out->version.product_count == 6);
  CHECK(out->version.applied_unix_ms == 1'790'000'000'000);
  CHECK(out->version.source_name == "sample.csv");

  CHECK(store->lookup("7310865004703")->product.name_sv == "Mellanmjölk 1 l");  // EAN-13
  CHECK(store->lookup("07310865004703")->product.gtin14 == "07310865004703");   // GTIN-14
  CHECK(store->lookup("96385074")->product.name_en == "Chewing gum");           // EAN-8
  CHECK(store->lookup("036000291452")->product.brand == "Kleenex");             // UPC-A
  CHECK(store->lookup("0036000291452")->product.brand == "Kleenex");            // UPC-A as EAN-13
  CHECK(store->lookup("01234565")->product.name_en == "Soda");                  // UPC-E
  CHECK(store->lookup("012345000065")->product.name_en == "Soda");              // its UPC-A
  CHECK(store->lookup("10012345678902")->product.price_ore == 15900);           // GTIN-14
  CHECK(store->lookup("4011")->product.name_sv == "Bananer");                   // PLU
  CHECK(store->lookup("4011")->catalog_version == 1);

  const auto milk = store->lookup("7310865004703");
  CHECK(milk->product.expected_weight_mg == 1'035'000);
  CHECK(milk->product.weight_spread_mg == 8'000);
  CHECK(milk->product.vat_class == kiosk::VatClass::kFood);
}

TEST_CASE("malformed codes are invalid arguments, unknown ones not found") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock;
  auto store = open_store(dir.path(), clock);
  REQUIRE(store->import_csv(sample_csv(), ImportMode::kFull, "s.csv")->applied);
  const auto wrong = store->lookup("7310865004704");
  CHECK(wrong.error().code == ErrorCode::kInvalidArgument);
  CHECK_THAT(wrong.message(), Catch::Contains("check digit is 4, expected 3"));
  CHECK(store->lookup("73108650047x3").error().code == ErrorCode::kInvalidArgument);
  CHECK(store->lookup("").error().code == ErrorCode::kInvalidArgument);
  CHECK(store->lookup("12345678901").error().code == ErrorCode::kInvalidArgument);  // 11 digits
  CHECK(store->lookup("7310865005120").error().code == ErrorCode::kNotFound);
  CHECK(store->lookup("4173").error().code == ErrorCode::kNotFound);
  // Eight digits valid as neither EAN-8 nor UPC-E.
  CHECK(store->lookup("96385075").error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("a rejected import changes nothing and keeps the version served") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock;
  auto store = open_store(dir.path(), clock);
  REQUIRE(store->import_csv(sample_csv(), ImportMode::kFull, "good.csv")->applied);
  const auto before = store->version();

  // One good row that would replace the milk's price, and one bad row.
  const std::string bad = std::string(kHeader) +
                          "7310865004703,Mellanmjölk 1 l,Milk 1 l,Arla,9999,each,food,1035000,8000,\n"
                          "7310865005121,Smör,Butter,Arla,6495,each,food,512000,4000,\n";
  for (auto mode : {ImportMode::kFull, ImportMode::kDelta}) {
    auto out = store->import_csv(bad, mode, "bad.csv");
    REQUIRE(out);
    CHECK_FALSE(out->applied);
    REQUIRE(out->errors.size() == 1);
    CHECK(out->errors[0].line == 3);
    CHECK(out->errors[0].column == "gtin");
    CHECK(out->version == before);
    CHECK(store->version() == before);
    CHECK(store->lookup("7310865004703")->product.price_ore == 1695);
    CHECK(store->lookup("96385074"));
  }
}

TEST_CASE("a full import replaces the catalog, versions increase") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock;
  auto store = open_store(dir.path(), clock);
  REQUIRE(store->import_csv(sample_csv(), ImportMode::kFull, "a.csv")->applied);
  clock.advance(std::chrono::minutes(5));
  auto out = store->import_csv(std::string(kHeader) + "7310865005120,Smör,Butter,Arla,6495,each,food,,,4011\n",
                               ImportMode::kFull, "b.csv");
  REQUIRE(out->applied);
  CHECK(out->version.version == 2);
  CHECK(out->version.product_count == 1);
  CHECK(store->lookup("7310865004703").error().code == ErrorCode::kNotFound);  // gone
  CHECK(store->lookup("7310865005120")->catalog_version == 2);
  CHECK(store->lookup("4011")->product.name_sv == "Smör");  // the PLU index follows the version
}

TEST_CASE("a delta import upserts its rows and keeps the rest") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock;
  auto store = open_store(dir.path(), clock);
  REQUIRE(store->import_csv(sample_csv(), ImportMode::kFull, "a.csv")->applied);
  auto out = store->import_csv(std::string(kHeader) +
                                   "7310865004703,Mellanmjölk 1 l,Milk 1 l,Arla,1795,each,food,1035000,8000,\n"
                                   "7310865005120,Smör,Butter,Arla,6495,each,food,512000,4000,\n",
                               ImportMode::kDelta, "prices.csv");
  REQUIRE(out->applied);
  CHECK(out->version.version == 2);
  CHECK(out->version.product_count == 7);
  CHECK(store->lookup("7310865004703")->product.price_ore == 1795);
  CHECK(store->lookup("7310865005120")->product.name_en == "Butter");
  CHECK(store->lookup("4011")->product.name_sv == "Bananer");  // carried over with its PLU

  // A PLU that another product already holds is an error with the row's line.
  auto clash = store->import_csv(std::string(kHeader) + "7310865002310,Potatis,Potatoes,,1995,kg,food,,,4011\n",
                                 ImportMode::kDelta, "clash.csv");
  REQUIRE(clash);
  CHECK_FALSE(clash->applied);
  REQUIRE(clash->errors.size() == 1);
  CHECK(clash->errors[0].line == 2);
  CHECK(clash->errors[0].column == "plu");
  CHECK(store->version().version == 2);
}

TEST_CASE("the catalog survives closing and reopening the database") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock;
  {
    auto store = open_store(dir.path(), clock);
    REQUIRE(store->import_csv(sample_csv(), ImportMode::kFull, "a.csv")->applied);
    REQUIRE(store->import_csv(sample_csv(), ImportMode::kFull, "b.csv")->applied);
  }
  auto store = open_store(dir.path(), clock);
  CHECK(store->version().version == 2);
  CHECK(store->version().product_count == 6);
  CHECK(store->version().source_name == "b.csv");
  CHECK(store->lookup("01234565")->product.name_en == "Soda");
  CHECK(store->lookup("4011")->catalog_version == 2);
  REQUIRE(store->import_csv(sample_csv(), ImportMode::kFull, "c.csv")->applied);
  CHECK(store->version().version == 3);
}

TEST_CASE("name search is case-insensitive over Swedish and English names, prefix matches first") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock;
  auto store = open_store(dir.path(), clock);
  REQUIRE(store->import_csv(sample_csv(), ImportMode::kFull, "a.csv")->applied);
  // Upper case Ö folds to ö; a name starting with the query ranks above one that only contains it.
  for (const char* q : {"MJÖLK", "mjölk"}) {
    auto milk = store->search(q, 10);
    REQUIRE(milk);
    REQUIRE(milk->size() == 2);
    CHECK((*milk)[0].name_sv == "Mjölk kartong 10 st");
    CHECK((*milk)[1].name_sv == "Mellanmjölk 1 l");
  }
  CHECK(store->search("banan", 10)->at(0).name_en == "Bananas");
  CHECK(store->search("soda", 10)->size() == 1);
  CHECK(store->search("zzz", 10)->empty());
  CHECK(store->search("a", 2)->size() == 2);  // the limit holds
}
