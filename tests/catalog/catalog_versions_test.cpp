#include <catch2/catch.hpp>

#include "catalog/catalog_store.h"
#include "common/clock.h"
#include "temp_dir.h"

// Versions kept, listed, diffed and rolled back, on a real RocksDB in a temp dir.

using kiosk::ErrorCode;
using kiosk::catalog::CatalogOptions;
using kiosk::catalog::CatalogStore;
using kiosk::catalog::ImportMode;

namespace {

constexpr const char* kHeader = "gtin,name_sv,name_en,price_ore,unit,vat_class,plu\n";
const std::string kV1 = std::string(kHeader) +
                        "7310865004703,Mellanmjölk,Milk,1695,each,food,\n"
                        "7310865005120,Smör,Butter,5995,each,food,\n"
                        "7300000040116,Bananer,Bananas,2995,kg,food,4011\n";
// Milk dearer and renamed in English, butter gone, coffee new, bananas the same.
const std::string kV2 = std::string(kHeader) +
                        "7310865004703,Mellanmjölk,Semi-skimmed milk,1895,each,food,\n"
                        "7310112004500,Kaffe,Coffee,6495,each,food,\n"
                        "7300000040116,Bananer,Bananas,2995,kg,food,4011\n";

std::unique_ptr<CatalogStore> open_store(const std::filesystem::path& dir, const kiosk::Clock& clock,
                                         std::uint32_t keep = 5) {
  CatalogOptions options;
  options.keep_versions = keep;
  auto s = CatalogStore::open(dir, clock, options);
  INFO((s ? "" : s.message()));
  REQUIRE(s);
  return std::move(*s);
}

void push(CatalogStore& store, const std::string& csv, const char* name) {
  auto out = store.import_csv(csv, ImportMode::kFull, name);
  REQUIRE(out);
  INFO((out->errors.empty() ? "" : out->errors[0].message));
  REQUIRE(out->applied);
}

}  // namespace

TEST_CASE("versions are listed newest first with their sources") {
  kiosk::test::TempDir dir{"kiosk-catalog-versions"};
  kiosk::ManualClock clock(1'790'000'000'000);
  auto store = open_store(dir.path(), clock);
  CHECK(store->versions()->empty());
  push(*store, kV1, "v1.csv");
  clock.advance(std::chrono::minutes(5));
  push(*store, kV2, "v2.csv");
  auto list = store->versions();
  REQUIRE(list);
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].version == 2);
  CHECK((*list)[0].source_name == "v2.csv");
  CHECK((*list)[0].applied_unix_ms == 1'790'000'300'000);
  CHECK((*list)[1].version == 1);
  CHECK((*list)[1].product_count == 3);
}

TEST_CASE("diff lists added, removed and changed products with the fields that changed") {
  kiosk::test::TempDir dir{"kiosk-catalog-versions"};
  kiosk::ManualClock clock(1'790'000'000'000);
  auto store = open_store(dir.path(), clock);
  push(*store, kV1, "v1.csv");
  push(*store, kV2, "v2.csv");
  auto d = store->diff(1, 2);
  REQUIRE(d);
  REQUIRE(d->added.size() == 1);
  CHECK(d->added[0].name_en == "Coffee");
  REQUIRE(d->removed.size() == 1);
  CHECK(d->removed[0].name_en == "Butter");
  REQUIRE(d->changed.size() == 1);
  CHECK(d->changed[0].before.price_ore == 1695);
  CHECK(d->changed[0].after.price_ore == 1895);
  CHECK(d->changed[0].fields == std::vector<std::string>{"name_en", "price_ore"});

  auto back = store->diff(2, 1);  // the other way round: added and removed swap
  REQUIRE(back);
  CHECK(back->added.at(0).name_en == "Butter");
  CHECK(back->removed.at(0).name_en == "Coffee");

  auto same = store->diff(2, 2);
  REQUIRE(same);
  CHECK((same->added.empty() && same->removed.empty() && same->changed.empty()));
  CHECK(store->diff(1, 7).error().code == ErrorCode::kNotFound);
}

TEST_CASE("rollback serves the old prices again as a new version, and survives a reopen") {
  kiosk::test::TempDir dir{"kiosk-catalog-versions"};
  kiosk::ManualClock clock(1'790'000'000'000);
  {
    auto store = open_store(dir.path(), clock);
    push(*store, kV1, "v1.csv");
    push(*store, kV2, "v2.csv");
    CHECK(store->lookup("7310865004703")->product.price_ore == 1895);
    CHECK(store->lookup("7310865005120").error().code == ErrorCode::kNotFound);

    auto v = store->rollback(1);
    REQUIRE(v);
    CHECK(v->version == 3);
    CHECK(v->product_count == 3);
    CHECK(v->source_name == "rollback to version 1 (v1.csv)");
    CHECK(store->version() == *v);
    auto milk = store->lookup("7310865004703");
    REQUIRE(milk);
    CHECK(milk->product.price_ore == 1695);
    CHECK(milk->catalog_version == 3);
    CHECK(store->lookup("7310865005120")->product.name_en == "Butter");
    CHECK(store->lookup("7310112004500").error().code == ErrorCode::kNotFound);
    CHECK(store->lookup("4011")->product.name_en == "Bananas");  // the PLU index came along

    auto d = store->diff(1, 3);
    REQUIRE(d);
    CHECK((d->added.empty() && d->removed.empty() && d->changed.empty()));
    CHECK(store->rollback(3).error().code == ErrorCode::kFailedPrecondition);
    CHECK(store->rollback(9).error().code == ErrorCode::kNotFound);
    CHECK(store->version().version == 3);
  }
  auto store = open_store(dir.path(), clock);
  CHECK(store->version().version == 3);
  CHECK(store->lookup("7310865004703")->product.price_ore == 1695);
  CHECK(store->versions()->size() == 3);
}

TEST_CASE("only the newest keep_versions versions are kept") {
  kiosk::test::TempDir dir{"kiosk-catalog-versions"};
  kiosk::ManualClock clock(1'790'000'000'000);
  {
    auto store = open_store(dir.path(), clock, 2);
    push(*store, kV1, "v1.csv");
    push(*store, kV2, "v2.csv");
    push(*store, kV1, "v3.csv");
    auto list = store->versions();
    REQUIRE(list);
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].version == 3);
    CHECK((*list)[1].version == 2);
    CHECK(store->rollback(1).error().code == ErrorCode::kNotFound);
    CHECK(store->diff(1, 3).error().code == ErrorCode::kNotFound);
    REQUIRE(store->rollback(2));
    CHECK(store->lookup("7310112004500")->product.name_en == "Coffee");
  }
  // Reopened keeping only one: the older is pruned at open.
  auto store = open_store(dir.path(), clock, 1);
  auto list = store->versions();
  REQUIRE(list);
  REQUIRE(list->size() == 1);
  CHECK((*list)[0].version == 4);
  CHECK(store->lookup("7310112004500")->product.name_en == "Coffee");
  CHECK(store->rollback(3).error().code == ErrorCode::kNotFound);
}
