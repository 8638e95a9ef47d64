#include <catch2/catch.hpp>

#include "catalog/catalog_store.h"
#include "catalog/csv_reader.h"
#include "catalog/promotions.h"
#include "catalog/schedule.h"
#include "common/clock.h"
#include "temp_dir.h"

// Promotions pushes: parsing with line/column errors, and applied atomically as catalog versions on a
// real RocksDB in a temp dir.

using kiosk::catalog::CatalogStore;
using kiosk::catalog::ImportMode;
using kiosk::catalog::InputError;
using kiosk::catalog::InputFormat;
using kiosk::catalog::parse_promotions;
using kiosk::catalog::PromotionKind;

namespace {

constexpr const char* kHeader = "id,kind,name_sv,gtins,quantity,pay_quantity,price_ore,from,until,members_only\n";

const std::string kProducts =
    "gtin,name_sv,name_en,price_ore,unit,vat_class\n"
    "7310000000010,Yoghurt,Yoghurt,1000,each,food\n"
    "7310000000027,Chips,Crisps,2500,each,food\n"
    "7310000000034,Dipp,Dip,1500,each,food\n"
    "7310000000041,Läsk,Soda,1200,each,food\n";

const std::string kPromotions = std::string(kHeader) +
                                "yog3,n_for_price,3 för 25 kr,7310000000010,3,,2500,2026-05-01,2026-05-08,0\n"
                                "party,mix_match,,7310000000027 7310000000034,2,,3000,2026-05-01,2026-05-08,\n"
                                "soda32,buy_x_pay_y,,7310000000041,3,2,,2026-05-01T06:00:00+02:00,2026-06-01,\n"
                                "m-yog,member_price,Medlemspris,7310000000010,,,900,2026-05-01,2026-05-08,\n";

bool has_error(const std::vector<InputError>& errors, std::uint32_t line, const std::string& column,
               const std::string& part) {
  for (const auto& e : errors) {
    if (e.line == line && e.column == column && e.message.find(part) != std::string::npos) return true;
  }
  return false;
}

std::string dump(const std::vector<InputError>& errors) {
  std::string s;
  for (const auto& e : errors) s += std::to_string(e.line) + ":" + e.column + ": " + e.message + "\n";
  return s;
}

std::unique_ptr<CatalogStore> open_store(const std::filesystem::path& dir, const kiosk::Clock& clock) {
  auto s = CatalogStore::open(dir, clock);
  INFO((s ? "" : s.message()));
  REQUIRE(s);
  return std::move(*s);
}

}  // namespace

TEST_CASE("a promotions push in CSV and in JSON Lines") {
  auto csv = parse_promotions(kPromotions, InputFormat::kCsv);
  INFO(dump(csv.errors));
  REQUIRE(csv.errors.empty());
  REQUIRE(csv.promotions.size() == 4);
  CHECK(csv.promotions[0].kind == PromotionKind::kNForPrice);
  CHECK(csv.promotions[0].gtins == std::vector<std::string>{"07310000000010"});
  CHECK(csv.promotions[1].gtins == std::vector<std::string>{"07310000000027", "07310000000034"});
  CHECK(csv.promotions[2].pay_quantity == 2);
  CHECK(csv.promotions[2].from_unix_ms == *kiosk::catalog::parse_utc_time("2026-05-01T04:00:00Z"));
  CHECK(csv.promotions[3].members_only);
  CHECK(csv.lines == std::vector<std::uint32_t>{2, 3, 4, 5});

  const std::string jsonl =
      R"({"id":"party","kind":"mix_match","gtins":["7310000000027","7310000000034"],"quantity":2,)"
      R"("price_ore":3000,"from":"2026-05-01","until":"2026-05-08"})"
      "\n";
  auto j = parse_promotions(jsonl, InputFormat::kJsonl);
  INFO(dump(j.errors));
  REQUIRE(j.promotions.size() == 1);
  CHECK(j.promotions[0] == csv.promotions[1]);
}

TEST_CASE("a bad promotions push lists every error by line and column") {
  const std::string bad = std::string(kHeader) +
                          "a,n_for_price,,7310000000010,3,,2500,2026-05-01,2026-05-08,\n"
                          "a,two_for_one,,7310000000010,2,,100,2026-05-01,2026-05-08,\n"     // 3: dup id, kind
                          "b,buy_x_pay_y,,7310000000011,3,3,,2026-05-01,2026-05-08,\n"       // 4: check digit, Y
                          "c,n_for_price,,7310000000010,1,,-5,2026-05-01,2026-05-08,\n"      // 5: N, price
                          "d,member_price,,7310000000010,,,900,2026-05-08,2026-05-01,yes\n"  // 6: dates, flag
                          "e,mix_match,,7310000000010,2,,1000,2026-13-01,tomorrow,\n";       // 7: times
  auto out = parse_promotions(bad, InputFormat::kCsv);
  INFO(dump(out.errors));
  CHECK(out.promotions.empty());
  CHECK(has_error(out.errors, 3, "id", "duplicate id a (first on line 2)"));
  CHECK(has_error(out.errors, 3, "kind", "unknown kind 'two_for_one'"));
  CHECK(has_error(out.errors, 4, "gtins", "7310000000011"));
  CHECK(has_error(out.errors, 4, "pay_quantity", "must be less than quantity 3"));
  CHECK(has_error(out.errors, 5, "quantity", "outside 2..1000"));
  CHECK(has_error(out.errors, 5, "price_ore", "outside 1.."));
  CHECK(has_error(out.errors, 6, "until", "is not after from"));
  CHECK(has_error(out.errors, 6, "members_only", "must be 0 or 1"));
  CHECK(has_error(out.errors, 7, "from", "not a time"));
  CHECK(has_error(out.errors, 7, "until", "not a time"));

  auto header = parse_promotions("id,kind,gtins,from,colour\n", InputFormat::kCsv);
  CHECK(has_error(header.errors, 1, "colour", "unknown column"));
  CHECK(has_error(header.errors, 1, "until", "missing from the header"));
}

TEST_CASE("a promotions push with bad encoding or an over-long record is rejected by line") {
  const std::string good_line =
      R"({"id":"a","kind":"n_for_price","gtins":"7310000000010","quantity":3,"price_ore":2500,)"
      R"("from":"2026-05-01","until":"2026-05-08"})";
  SECTION("JSON Lines: a Latin-1 byte, then a line longer than the record limit") {
    std::string jsonl = good_line + "\n";
    jsonl += R"({"id":"b","kind":"n_for_price","name_sv":"R)"
             "\xE4"
             R"(ksmörgås","gtins":"7310000000010",)"
             R"("quantity":2,"price_ore":100,"from":"2026-05-01","until":"2026-05-08"})"
             "\n";
    jsonl += R"({"id":"c","kind":"n_for_price","name_sv":")" + std::string(kiosk::catalog::kMaxRecordBytes, 'x') +
             R"(","gtins":"7310000000010","quantity":2,"price_ore":100,"from":"2026-05-01","until":"2026-05-08"})"
             "\n\n";
    jsonl += good_line + "\n";  // line 5 (line 4 is blank): a duplicate id, still checked
    auto out = parse_promotions(jsonl, InputFormat::kJsonl);
    INFO(dump(out.errors));
    CHECK(out.promotions.empty());
    CHECK(has_error(out.errors, 2, "", "invalid UTF-8 at byte 44"));
    CHECK(has_error(out.errors, 3, "", "more than the 65536 bytes"));
    CHECK(has_error(out.errors, 5, "id", "duplicate id a (first on line 1)"));
    CHECK(out.errors.size() == 3);
  }
  SECTION("JSON Lines saved as UTF-16") {
    const std::string utf16("\xFF\xFE{\0\"\0i\0d\0\"\0", 12);
    auto out = parse_promotions(utf16, InputFormat::kJsonl);
    REQUIRE(out.errors.size() == 1);
    CHECK(has_error(out.errors, 1, "", "UTF-16"));
  }
  SECTION("CSV: a Latin-1 byte and a record longer than the limit") {
    std::string csv = std::string(kHeader) + "a,n_for_price,,7310000000010,3,,2500,2026-05-01,2026-05-08,\n" +
                      "b,n_for_price,R\xE4ksm\xF6rg\xE5s,7310000000010,2,,100,2026-05-01,2026-05-08,\n" +
                      "c,n_for_price," + std::string(kiosk::catalog::kMaxRecordBytes, 'x') +
                      ",7310000000010,2,,100,2026-05-01,2026-05-08,\n";
    auto out = parse_promotions(csv, InputFormat::kCsv);
    INFO(dump(out.errors));
    CHECK(out.promotions.empty());
    CHECK(has_error(out.errors, 3, "name_sv", "invalid UTF-8"));
    CHECK(has_error(out.errors, 4, "name_sv", "longer than 65536 bytes"));
  }
}

TEST_CASE("promotion records: written as format 2, format 1 (u64 string lengths) still read") {
  auto parsed = parse_promotions(kPromotions, InputFormat::kCsv);
  REQUIRE(parsed.promotions.size() == 4);
  for (const auto& p : parsed.promotions) {
    auto back = kiosk::catalog::decode_promotion(kiosk::catalog::encode_promotion(p));
    REQUIRE(back);
    CHECK(*back == p);
  }
  // A record as format 1 wrote it: id "x", kind 4, name "", one GTIN, quantity 1, pay 0, price 900, from 0,
  // until 1000, members only.
  const auto u64 = [](std::uint64_t v) {
    std::string s;
    for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
    return s;
  };
  const std::string old = std::string(1, '\x01') + u64(1) + "x" + u64(4) + u64(0) + u64(1) + u64(14) +
                          "07310000000010" + u64(1) + u64(0) + u64(900) + u64(0) + u64(1000) + u64(1);
  auto p = kiosk::catalog::decode_promotion(old);
  INFO((p ? "" : p.message()));
  REQUIRE(p);
  CHECK(p->id == "x");
  CHECK(p->kind == PromotionKind::kMemberPrice);
  CHECK(p->gtins == std::vector<std::string>{"07310000000010"});
  CHECK(p->price_ore == 900);
  CHECK(p->until_unix_ms == 1000);
  CHECK(p->members_only);
  CHECK_FALSE(kiosk::catalog::decode_promotion(old.substr(0, old.size() - 1)));
}

TEST_CASE("promotions are pushed as a new catalog version, kept by product pushes, gone by rollback") {
  kiosk::test::TempDir dir("kiosk-promo");
  kiosk::ManualClock clock(*kiosk::catalog::parse_utc_time("2026-05-03T12:00:00Z"));
  {
    auto store = open_store(dir.path(), clock);
    // Before any products there is nothing to promote.
    auto early = store->push_promotions(kPromotions, InputFormat::kCsv, "promo.csv");
    REQUIRE(early);
    CHECK_FALSE(early->applied);

    REQUIRE(store->import_csv(kProducts, ImportMode::kFull, "products.csv")->applied);
    auto pushed = store->push_promotions(kPromotions, InputFormat::kCsv, "promo.csv");
    REQUIRE(pushed);
    INFO(dump(pushed->errors));
    REQUIRE(pushed->applied);
    CHECK(pushed->version.version == 2);
    CHECK(pushed->version.product_count == 4);
    CHECK(pushed->version.promotion_count == 4);
    CHECK(store->lookup("7310000000010")->product.price_ore == 1000);  // products carried over

    // A promotion naming a product not sold: rejected with its line, nothing applied.
    const std::string unknown = std::string(kHeader) + "x,n_for_price,,7310000000010,2,,1500,2026-05-01,2026-05-08,\n" +
                                "y,n_for_price,,7310000000058,2,,1500,2026-05-01,2026-05-08,\n";
    auto rejected = store->push_promotions(unknown, InputFormat::kCsv, "bad.csv");
    REQUIRE(rejected);
    CHECK_FALSE(rejected->applied);
    CHECK(has_error(rejected->errors, 3, "gtins", "no product has GTIN 07310000000058"));
    CHECK(store->version().version == 2);
    CHECK(store->promotions()->size() == 4);

    // A delta product push keeps the promotions.
    auto delta = store->import_csv("gtin,name_sv,price_ore,vat_class\n7310000000041,Läsk,1300,food\n",
                                   ImportMode::kDelta, "delta.csv");
    REQUIRE(delta->applied);
    CHECK(delta->version.promotion_count == 4);
    auto priced = store->price_basket({{"07310000000010", 3, 0, 1000}}, clock.now_unix_ms(), false);
    REQUIRE(priced);
    CHECK(priced->pricing.total_discount_ore == 500);
    CHECK(priced->catalog_version == 3);
  }
  // After a restart too; then a rollback to version 1 serves no promotions.
  auto store = open_store(dir.path(), clock);
  CHECK(store->promotions()->size() == 4);
  auto versions = store->versions();
  REQUIRE(versions);
  REQUIRE(versions->size() == 3);
  CHECK((*versions)[1].promotion_count == 4);
  CHECK((*versions)[2].promotion_count == 0);
  auto rolled = store->rollback(1);
  REQUIRE(rolled);
  CHECK(rolled->promotion_count == 0);
  CHECK(store->promotions()->empty());
  CHECK(store->price_basket({{"07310000000010", 3, 0, 1000}}, clock.now_unix_ms(), false)->pricing.discounts.empty());
  // An empty push (header only) removes every promotion.
  REQUIRE(store->rollback(3));
  CHECK(store->promotions()->size() == 4);
  auto cleared = store->push_promotions(kHeader, InputFormat::kCsv, "none.csv");
  REQUIRE(cleared->applied);
  CHECK(store->promotions()->empty());
}
