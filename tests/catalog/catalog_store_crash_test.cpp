#include <rocksdb/db.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "catalog/catalog_store.h"
#include "common/clock.h"
#include "temp_dir.h"

// What a crash or concurrent readers can see of the versioned layout.

using kiosk::catalog::CatalogStore;
using kiosk::catalog::ImportMode;

namespace {

const std::string kCsv =
    "gtin,name_sv,price_ore,vat_class\n7310865004703,Mellanmjölk,1695,food\n7310865005120,Smör,6495,food\n";

std::vector<std::string> keys_in(const std::filesystem::path& dir) {
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::Options(), dir.string(), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<std::string> keys;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) keys.push_back(it->key().ToString());
  return keys;
}

}  // namespace

TEST_CASE("keys of a version a crash left behind are dropped at open, the served version stays") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock;
  {
    auto store = CatalogStore::open(dir.path(), clock);
    REQUIRE(store);
    REQUIRE((*store)->import_csv(kCsv, ImportMode::kFull, "a.csv")->applied);
  }
  {
    // What a crash between an import's flip and its cleanup leaves: keys of another version, and
    // keys of a version that was being written but never flipped to.
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::Options(), dir.path().string(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    REQUIRE(db->Put(rocksdb::WriteOptions(), "v/00000000000000000000/p/07310865004703", "old").ok());
    REQUIRE(db->Put(rocksdb::WriteOptions(), "v/00000000000000000002/p/07310865004703", "unflipped").ok());
  }
  auto store = CatalogStore::open(dir.path(), clock);
  REQUIRE(store);
  CHECK((*store)->version().version == 1);
  CHECK((*store)->lookup("7310865004703")->product.name_sv == "Mellanmjölk");
  store->reset();
  const auto keys = keys_in(dir.path());
  CHECK(keys == std::vector<std::string>{"meta/current", "meta/version/00000000000000000001",
                                         "v/00000000000000000001/p/07310865004703",
                                         "v/00000000000000000001/p/07310865005120"});
}

TEST_CASE("lookups during imports always find a product present in every version") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  kiosk::ManualClock clock;
  auto opened = CatalogStore::open(dir.path(), clock);
  REQUIRE(opened);
  CatalogStore& store = **opened;
  REQUIRE(store.import_csv(kCsv, ImportMode::kFull, "a.csv")->applied);

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> lookups{0};
  std::thread reader([&] {
    while (!stop.load()) {
      auto hit = store.lookup("7310865004703");
      if (!hit || hit->product.gtin14 != "07310865004703") failures.fetch_add(1);
      lookups.fetch_add(1);
    }
  });
  for (int i = 0; i < 20; ++i) {
    const auto mode = i % 2 == 0 ? ImportMode::kFull : ImportMode::kDelta;
    auto out = store.import_csv(kCsv, mode, "again.csv");
    REQUIRE(out);
    REQUIRE(out->applied);
  }
  stop.store(true);
  reader.join();
  CHECK(failures.load() == 0);
  CHECK(lookups.load() > 0);
  CHECK(store.version().version == 21);
  CHECK(store.version().product_count == 2);
}
