#include <catch2/catch.hpp>
#include <chrono>

#include "catalog/catalog_store.h"
#include "catalog/schedule.h"
#include "common/clock.h"
#include "common/vat.h"
#include "temp_dir.h"

// Scheduled prices (ManualClock), stock kept apart from versions, idempotent sales across restarts,
// low-stock events; on a real RocksDB in a temp dir.

using kiosk::ErrorCode;
using kiosk::catalog::CatalogStore;
using kiosk::catalog::ImportMode;
using kiosk::catalog::parse_utc_time;
using kiosk::catalog::SaleLine;

namespace {

std::int64_t at(const char* t) {
  auto ms = parse_utc_time(t);
  REQUIRE(ms);
  return *ms;
}

std::unique_ptr<CatalogStore> open_store(const std::filesystem::path& dir, const kiosk::Clock& clock) {
  auto s = CatalogStore::open(dir, clock);
  INFO((s ? "" : s.message()));
  REQUIRE(s);
  return std::move(*s);
}

void push(CatalogStore& store, const std::string& csv, ImportMode mode = ImportMode::kFull) {
  auto out = store.import_csv(csv, mode, "push.csv");
  REQUIRE(out);
  INFO((out->errors.empty() ? "" : out->errors[0].column + ": " + out->errors[0].message));
  REQUIRE(out->applied);
}

const std::string kProducts =
    "gtin,name_sv,price_ore,unit,vat_class,low_stock_threshold,new_price_ore,new_price_from\n"
    "7310000000010,Yoghurt,1000,each,food,5,1200,2026-06-01T00:00:00+02:00\n"
    "7310000000027,Chips,2500,each,food,2,,\n"
    "7300000040116,Bananer,2995,kg,food,1000,,\n";

}  // namespace

TEST_CASE("UTC times in pushes") {
  CHECK(at("1970-01-02") == 86'400'000);
  CHECK(at("2026-04-01T00:00Z") == at("2026-04-01"));
  CHECK(at("2026-04-01T02:00:00+02:00") == at("2026-04-01"));
  CHECK(at("2026-03-31T19:00:00-05:00") == at("2026-04-01"));
  CHECK(kiosk::catalog::format_utc_time(at("2026-04-01T06:07:08Z")) == "2026-04-01T06:07:08Z");
  for (const char* bad :
       {"", "2026-04-01T06:00", "2026-04-01T25:00Z", "2026-02-30", "01/04/2026", "2026-04-01T06:00+2"}) {
    INFO(bad);
    CHECK_FALSE(parse_utc_time(bad));
  }
}

TEST_CASE("a scheduled price is served from its moment on, across restarts, and shows in the versions") {
  kiosk::test::TempDir dir("kiosk-sched");
  kiosk::ManualClock clock(at("2026-05-31T21:59:59Z"));
  {
    auto store = open_store(dir.path(), clock);
    push(*store, kProducts);
    auto before = store->lookup("7310000000010");
    REQUIRE(before);
    CHECK(before->product.price_ore == 1000);
    REQUIRE(before->product.scheduled_price);
    CHECK(before->product.scheduled_price->price_ore == 1200);
    const auto v = store->version();
    CHECK(v.scheduled_price_count == 1);
    CHECK(v.price_change_unix_ms == std::vector<std::int64_t>{at("2026-05-31T22:00:00Z")});
    clock.advance(std::chrono::seconds(1));  // 2026-06-01 00:00 in Stockholm
    auto after = store->lookup("7310000000010");
    CHECK(after->product.price_ore == 1200);
    CHECK_FALSE(after->product.scheduled_price);
    CHECK(store->lookup("7310000000027")->product.price_ore == 2500);
  }
  auto store = open_store(dir.path(), clock);
  CHECK(store->lookup("7310000000010")->product.price_ore == 1200);
  auto versions = store->versions();
  REQUIRE(versions);
  CHECK(versions->front().scheduled_price_count == 1);
  // A newer push without the schedule replaces it; the diff names the columns.
  push(*store, "gtin,name_sv,price_ore,vat_class\n7310000000010,Yoghurt,1100,food\n", ImportMode::kDelta);
  CHECK(store->lookup("7310000000010")->product.price_ore == 1100);
  CHECK(store->version().scheduled_price_count == 0);
  auto d = store->diff(1, 2);
  REQUIRE(d);
  REQUIRE(d->changed.size() == 1);
  CHECK(d->changed[0].fields ==
        std::vector<std::string>{"price_ore", "low_stock_threshold", "new_price_ore", "new_price_from"});
}

TEST_CASE("a scheduled price needs both columns and a valid time") {
  auto parsed = kiosk::catalog::parse_catalog_csv(
      "gtin,name_sv,price_ore,vat_class,new_price_ore,new_price_from\n"
      "7310000000010,Yoghurt,1000,food,1200,\n"
      "7310000000027,Chips,2500,food,,2026-06-01\n"
      "7310000000034,Dipp,1500,food,1400,next week\n");
  CHECK(parsed.products.empty());
  REQUIRE(parsed.errors.size() == 3);
  CHECK((parsed.errors[0].line == 2 && parsed.errors[0].column == "new_price_from"));
  CHECK((parsed.errors[1].line == 3 && parsed.errors[1].column == "new_price_ore"));
  CHECK((parsed.errors[2].line == 4 && parsed.errors[2].column == "new_price_from"));
}

TEST_CASE("sales take stock off once per receipt line, also after a restart") {
  kiosk::test::TempDir dir("kiosk-stock");
  kiosk::ManualClock clock(at("2026-05-03T12:00:00Z"));
  {
    auto store = open_store(dir.path(), clock);
    push(*store, kProducts);
    CHECK_FALSE(store->stock().get("07310000000010")->quantity);  // never counted
    REQUIRE(store->stock().set("07310000000010", 20));
    REQUIRE(store->stock().set("07300000040116", 5000));  // grams of bananas
    auto sale = store->stock().record_sale(
        "R-1001", {{1, "07310000000010", 3, 0}, {2, "07300000040116", 0, 1'234'400}, {3, "07310000000027", 1, 0}});
    REQUIRE(sale);
    REQUIRE(sale->size() == 3);
    CHECK((*sale)[0].quantity == 17);
    CHECK((*sale)[1].quantity == 5000 - 1234);
    CHECK_FALSE((*sale)[2].quantity);  // chips never counted: the sale is recorded, no count made up
    CHECK_FALSE((*sale)[0].already_recorded);
    auto again = store->stock().record_sale("R-1001", {{1, "07310000000010", 3, 0}});
    REQUIRE(again);
    CHECK((*again)[0].already_recorded);
    CHECK((*again)[0].quantity == 17);
    CHECK(store->lookup("7310000000010")->product.stock_quantity == 17);
  }
  auto store = open_store(dir.path(), clock);
  auto retry = store->stock().record_sale("R-1001", {{1, "07310000000010", 3, 0}, {4, "07310000000010", 1, 0}});
  REQUIRE(retry);
  CHECK((*retry)[0].already_recorded);
  CHECK_FALSE((*retry)[1].already_recorded);
  CHECK(store->stock().get("07310000000010")->quantity == 16);
  // The same line for another product is refused and changes nothing.
  auto clash = store->stock().record_sale("R-1001", {{5, "07310000000010", 1, 0}, {1, "07310000000027", 3, 0}});
  REQUIRE_FALSE(clash);
  CHECK(clash.error().code == ErrorCode::kFailedPrecondition);
  CHECK(store->stock().get("07310000000010")->quantity == 16);
  auto fresh = store->stock().record_sale("R-1001", {{5, "07310000000010", 1, 0}});
  REQUIRE(fresh);
  CHECK_FALSE((*fresh)[0].already_recorded);  // line 5 was not kept from the refused call
  // Bad input names the receipt and line.
  auto bad = store->stock().record_sale("R-1002", {{1, "07310000000010", 0, 0}});
  REQUIRE_FALSE(bad);
  CHECK(bad.message().find("R-1002 line 1") != std::string::npos);
  CHECK(store->stock().set("07310000000058", 5).error().code == ErrorCode::kNotFound);
}

TEST_CASE("pushes, deltas and rollbacks keep the stock, a push may set counts") {
  kiosk::test::TempDir dir("kiosk-stock2");
  kiosk::ManualClock clock(at("2026-05-03T12:00:00Z"));
  auto store = open_store(dir.path(), clock);
  push(*store, kProducts);
  REQUIRE(store->stock().set("07310000000010", 40));
  push(*store, "gtin,name_sv,price_ore,vat_class,low_stock_threshold\n7310000000010,Yoghurt,1100,food,5\n",
       ImportMode::kDelta);
  CHECK(store->stock().get("07310000000010")->quantity == 40);
  push(*store, kProducts);  // a full push
  CHECK(store->stock().get("07310000000010")->quantity == 40);
  REQUIRE(store->rollback(1));
  CHECK(store->stock().get("07310000000010")->quantity == 40);
  // stock_quantity in a push sets that product's count and leaves the others.
  push(*store, "gtin,name_sv,price_ore,vat_class,stock_quantity\n7310000000027,Chips,2500,food,12\n",
       ImportMode::kDelta);
  CHECK(store->stock().get("07310000000027")->quantity == 12);
  CHECK(store->stock().get("07310000000010")->quantity == 40);
}

TEST_CASE("low-stock events when a count falls to the threshold") {
  kiosk::test::TempDir dir("kiosk-stock3");
  kiosk::ManualClock clock(at("2026-05-03T12:00:00Z"));
  auto store = open_store(dir.path(), clock);
  push(*store, kProducts);  // yoghurt threshold 5, chips 2
  auto& ledger = store->stock();
  const std::uint64_t start = ledger.last_seq();
  REQUIRE(ledger.set("07310000000010", 7));
  REQUIRE(ledger.set("07310000000027", 10));
  CHECK(ledger.wait_after(start, std::chrono::milliseconds(0)).empty());  // both above their thresholds
  REQUIRE(ledger.record_sale("R-1", {{1, "07310000000010", 1, 0}}));      // 6: still above
  CHECK(ledger.wait_after(start, std::chrono::milliseconds(0)).empty());
  REQUIRE(ledger.record_sale("R-2", {{1, "07310000000010", 1, 0}}));  // 5: at the threshold
  auto events = ledger.wait_after(start, std::chrono::milliseconds(1000));
  REQUIRE(events.size() == 1);
  CHECK(events[0].gtin14 == "07310000000010");
  CHECK(events[0].name_sv == "Yoghurt");
  CHECK(events[0].quantity == 5);
  CHECK(events[0].low_stock_threshold == 5);
  CHECK(events[0].cause == "sale R-2/1");
  // A repeated sale is no new event.
  REQUIRE(ledger.record_sale("R-2", {{1, "07310000000010", 1, 0}}));
  CHECK(ledger.wait_after(events[0].seq, std::chrono::milliseconds(0)).empty());
  REQUIRE(ledger.set("07310000000027", 1));
  auto set = ledger.wait_after(events[0].seq, std::chrono::milliseconds(1000));
  REQUIRE(set.size() == 1);
  CHECK(set[0].cause == "set");
  auto now_low = ledger.low_now();
  REQUIRE(now_low);
  CHECK(now_low->size() == 2);
  // stop() wakes a waiter at once.
  ledger.stop();
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(ledger.wait_after(ledger.last_seq(), std::chrono::seconds(30)).empty());
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}

TEST_CASE("Swedish food VAT drops to 6 % on 2026-04-01 and returns to 12 % on 2028-01-01") {
  const auto table = kiosk::VatTable::swedish();
  const auto rate = [&](kiosk::VatClass c, const char* t) { return *table.rate_bp(c, kiosk::day_from_unix_ms(at(t))); };
  CHECK(rate(kiosk::VatClass::kFood, "2026-03-31T23:59:59Z") == 1200);
  CHECK(rate(kiosk::VatClass::kFood, "2026-04-01T00:00:00Z") == 600);
  CHECK(rate(kiosk::VatClass::kFood, "2027-12-31T23:59:59Z") == 600);
  CHECK(rate(kiosk::VatClass::kFood, "2028-01-01T00:00:00Z") == 1200);
  CHECK(rate(kiosk::VatClass::kStandard, "2026-04-01T00:00:00Z") == 2500);
  CHECK(rate(kiosk::VatClass::kReduced, "2026-04-01T00:00:00Z") == 600);
}
