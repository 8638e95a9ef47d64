#include <catch2/catch.hpp>

#include "catalog/pricing.h"
#include "catalog/promotions.h"
#include "catalog/schedule.h"
#include "common/stockholm_time.h"

#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

// The pure pricing function: each promotion kind, date edges, members, the overlap rule.

using kiosk::catalog::BasketLine;
using kiosk::catalog::LineDiscount;
using kiosk::catalog::price_basket;
using kiosk::catalog::Promotion;
using kiosk::catalog::PromotionKind;

namespace {

const std::string kYoghurt = "07310000000010";  // 10,00 kr
const std::string kChips = "07310000000027";    // 25,00 kr
const std::string kDip = "07310000000034";      // 15,00 kr
const std::string kSoda = "07310000000041";     // 12,00 kr
const std::string kTomato = "07310000000058";   // 49,90 kr/kg

std::int64_t at(const char* t) {
  auto ms = kiosk::catalog::parse_utc_time(t);
  REQUIRE(ms);
  return *ms;
}

// 2026-05-03T12:00:00Z (not parsed here: REQUIRE cannot run before main).
constexpr std::int64_t kNow = 1'777'809'600'000;

Promotion promo(std::string id, PromotionKind kind, std::vector<std::string> gtins, std::uint32_t n, std::uint32_t pay,
                kiosk::Ore price, bool members_only = false) {
  Promotion p;
  p.id = std::move(id);
  p.kind = kind;
  std::sort(gtins.begin(), gtins.end());
  p.gtins = std::move(gtins);
  p.quantity = n;
  p.pay_quantity = pay;
  p.price_ore = price;
  p.from_unix_ms = at("2026-05-01");
  p.until_unix_ms = at("2026-05-08");
  p.members_only = members_only || kind == PromotionKind::kMemberPrice;
  return p;
}

BasketLine each(const std::string& gtin, std::int64_t qty, kiosk::Ore price) {
  return {gtin, qty, 0, price};
}

}  // namespace

TEST_CASE("the test's clock") {
  CHECK(kNow == at("2026-05-03T12:00:00Z"));
}

TEST_CASE("N for a price: whole bundles only, the saving shared between the pieces") {
  const std::vector<Promotion> promos = {promo("yog3", PromotionKind::kNForPrice, {kYoghurt}, 3, 0, 2500)};
  CHECK(price_basket({each(kYoghurt, 2, 1000)}, promos, kNow, false).discounts.empty());
  auto three = price_basket({each(kYoghurt, 3, 1000)}, promos, kNow, false);
  REQUIRE(three.discounts.size() == 1);
  CHECK(three.discounts[0] == LineDiscount{0, "yog3", "3 för 25 kr", 500});
  CHECK(price_basket({each(kYoghurt, 4, 1000)}, promos, kNow, false).total_discount_ore == 500);
  CHECK(price_basket({each(kYoghurt, 7, 1000)}, promos, kNow, false).total_discount_ore == 1000);
  // Three scans on three lines: 500 öre split 167 + 167 + 166.
  auto lines =
      price_basket({each(kYoghurt, 1, 1000), each(kChips, 1, 2500), each(kYoghurt, 1, 1000), each(kYoghurt, 1, 1000)},
                   promos, kNow, false);
  REQUIRE(lines.discounts.size() == 3);
  CHECK(lines.discounts[0] == LineDiscount{0, "yog3", "3 för 25 kr", 167});
  CHECK(lines.discounts[1] == LineDiscount{2, "yog3", "3 för 25 kr", 167});
  CHECK(lines.discounts[2] == LineDiscount{3, "yog3", "3 för 25 kr", 166});
  CHECK(lines.total_discount_ore == 500);
  // A bundle dearer than the pieces is no promotion.
  CHECK(price_basket({each(kYoghurt, 3, 500)}, promos, kNow, false).discounts.empty());
}

TEST_CASE("buy X pay for Y: the cheapest pieces of each X are free") {
  const std::vector<Promotion> promos = {promo("soda32", PromotionKind::kBuyXPayY, {kSoda}, 3, 2, 0)};
  auto r = price_basket({each(kSoda, 2, 1200), each(kSoda, 1, 1200)}, promos, kNow, false);
  REQUIRE(r.discounts.size() == 1);
  CHECK(r.discounts[0] == LineDiscount{1, "soda32", "Köp 3 betala för 2", 1200});
  CHECK(price_basket({each(kSoda, 5, 1200)}, promos, kNow, false).total_discount_ore == 1200);
  CHECK(price_basket({each(kSoda, 6, 1200)}, promos, kNow, false).total_discount_ore == 2400);
  // Counted per product: two sodas and a yoghurt in the same promotion are not three of one.
  const std::vector<Promotion> two = {promo("p", PromotionKind::kBuyXPayY, {kSoda, kYoghurt}, 3, 2, 0)};
  CHECK(price_basket({each(kSoda, 2, 1200), each(kYoghurt, 1, 1000)}, two, kNow, false).discounts.empty());
}

TEST_CASE("mix and match: any N of the group, the most expensive pieces first") {
  const std::vector<Promotion> promos = {promo("party", PromotionKind::kMixMatch, {kChips, kDip}, 2, 0, 3000)};
  auto r = price_basket({each(kChips, 1, 2500), each(kDip, 1, 1500)}, promos, kNow, false);
  REQUIRE(r.discounts.size() == 2);
  CHECK(r.discounts[0] == LineDiscount{0, "party", "Valfria 2 för 30 kr", 625});  // 1000 × 2500/4000
  CHECK(r.discounts[1] == LineDiscount{1, "party", "Valfria 2 för 30 kr", 375});
  // Three chips and a dip: chips+chips (5000 → 3000) and chips+dip (4000 → 3000).
  CHECK(price_basket({each(kChips, 3, 2500), each(kDip, 1, 1500)}, promos, kNow, false).total_discount_ore == 3000);
}

TEST_CASE("member prices apply to members only, per piece and per kg") {
  const std::vector<Promotion> promos = {promo("m-yog", PromotionKind::kMemberPrice, {kYoghurt}, 1, 0, 800),
                                         promo("m-tom", PromotionKind::kMemberPrice, {kTomato}, 1, 0, 3990)};
  const std::vector<BasketLine> basket = {each(kYoghurt, 2, 1000), {kTomato, 0, 1'234'000, 4990}};
  CHECK(price_basket(basket, promos, kNow, false).discounts.empty());
  auto r = price_basket(basket, promos, kNow, true);
  REQUIRE(r.discounts.size() == 2);
  CHECK(r.discounts[0] == LineDiscount{0, "m-yog", "Medlemspris", 400});
  // 49,90 kr/kg × 1,234 kg = 61,58 kr; 39,90 × 1,234 = 49,24 kr.
  CHECK(r.discounts[1] == LineDiscount{1, "m-tom", "Medlemspris", 6158 - 4924});
  // A members-only bundle too.
  const std::vector<Promotion> club = {promo("club", PromotionKind::kNForPrice, {kSoda}, 2, 0, 2000, true)};
  CHECK(price_basket({each(kSoda, 2, 1200)}, club, kNow, false).total_discount_ore == 0);
  CHECK(price_basket({each(kSoda, 2, 1200)}, club, kNow, true).total_discount_ore == 400);
}

TEST_CASE("a promotion counts from its first millisecond to just before its end") {
  const std::vector<Promotion> promos = {promo("yog3", PromotionKind::kNForPrice, {kYoghurt}, 3, 0, 2500)};
  const std::vector<BasketLine> basket = {each(kYoghurt, 3, 1000)};
  CHECK(price_basket(basket, promos, at("2026-04-30T23:59:59Z") + 999, false).total_discount_ore == 0);
  CHECK(price_basket(basket, promos, at("2026-05-01T00:00:00Z"), false).total_discount_ore == 500);
  CHECK(price_basket(basket, promos, at("2026-05-08T00:00:00Z") - 1, false).total_discount_ore == 500);
  CHECK(price_basket(basket, promos, at("2026-05-08T00:00:00Z"), false).total_discount_ore == 0);
}

TEST_CASE("overlapping promotions: each piece in one promotion, the best total for the shopper") {
  // Four yoghurts: 3 för 25 kr saves 500; a member price of 9 kr saves 100 a piece.
  const std::vector<Promotion> promos = {promo("yog3", PromotionKind::kNForPrice, {kYoghurt}, 3, 0, 2500),
                                         promo("m-yog", PromotionKind::kMemberPrice, {kYoghurt}, 1, 0, 900)};
  const std::vector<BasketLine> basket = {each(kYoghurt, 4, 1000)};
  CHECK(price_basket(basket, promos, kNow, false).total_discount_ore == 500);
  auto member = price_basket(basket, promos, kNow, true);
  CHECK(member.total_discount_ore == 600);  // the bundle and the member price on the fourth
  REQUIRE(member.discounts.size() == 2);
  CHECK(member.discounts[0] == LineDiscount{0, "m-yog", "Medlemspris", 100});
  CHECK(member.discounts[1] == LineDiscount{0, "yog3", "3 för 25 kr", 500});
  // A member price of 7 kr beats the bundle on every piece: 4 × 300.
  const std::vector<Promotion> deep = {promo("yog3", PromotionKind::kNForPrice, {kYoghurt}, 3, 0, 2500),
                                       promo("m-yog", PromotionKind::kMemberPrice, {kYoghurt}, 1, 0, 700)};
  auto d = price_basket(basket, deep, kNow, true);
  CHECK(d.total_discount_ore == 1200);
  REQUIRE(d.discounts.size() == 1);
  CHECK(d.discounts[0].promotion_id == "m-yog");
  // Mix-and-match and buy-3-pay-2 on the same chips: the order giving more wins either way round.
  const std::vector<Promotion> chips = {promo("a-mix", PromotionKind::kMixMatch, {kChips, kDip}, 2, 0, 3500),
                                        promo("b-32", PromotionKind::kBuyXPayY, {kChips}, 3, 2, 0)};
  // 3 chips + 1 dip: b-32 (2500) + nothing for the dip = 2500; a-mix twice = 1500 + 500 = 2000.
  CHECK(price_basket({each(kChips, 3, 2500), each(kDip, 1, 1500)}, chips, kNow, false).total_discount_ore == 2500);
}

TEST_CASE("equal savings go to the first promotion by id, the same every time") {
  const std::vector<Promotion> promos = {promo("b", PromotionKind::kNForPrice, {kYoghurt}, 2, 0, 1500),
                                         promo("a", PromotionKind::kNForPrice, {kYoghurt}, 2, 0, 1500)};
  for (int i = 0; i < 3; ++i) {
    auto r = price_basket({each(kYoghurt, 2, 1000)}, promos, kNow, false);
    REQUIRE(r.discounts.size() == 1);
    CHECK(r.discounts[0].promotion_id == "a");
  }
}

TEST_CASE("receipt texts in Swedish") {
  CHECK(receipt_text(promo("x", PromotionKind::kNForPrice, {kYoghurt}, 3, 0, 2490)) == "3 för 24,90 kr");
  auto named = promo("x", PromotionKind::kMemberPrice, {kYoghurt}, 1, 0, 800);
  named.name_sv = "Klubbpris yoghurt";
  CHECK(receipt_text(named) == "Klubbpris yoghurt");
}

TEST_CASE("baskets the pricing function refuses") {
  using kiosk::catalog::validate_basket;
  CHECK(validate_basket({each(kYoghurt, 1, 1000)}));
  CHECK_FALSE(validate_basket({each("7310000000010", 1, 1000)}));  // 13 digits: not a GTIN-14
  CHECK_FALSE(validate_basket({each(kYoghurt, 0, 1000)}));
  CHECK_FALSE(validate_basket({each(kYoghurt, 1, -5)}));
  CHECK_FALSE(validate_basket({each(kYoghurt, 1'000'000, 1000)}));
  const auto st = validate_basket({each(kYoghurt, 1, 1000), each(kChips, -1, 10)});
  REQUIRE_FALSE(st);
  CHECK(st.message().find("line 1") != std::string::npos);
}

TEST_CASE("the Stockholm calendar day around midnight and the clock changes") {
  using kiosk::stockholm_day_from_unix_ms;
  const auto day = [](const char* d) {
    auto v = kiosk::parse_iso_date(d);
    REQUIRE(v);
    return *v;
  };
  // Winter (CET, +1 h): local midnight is 23:00 UTC the day before.
  CHECK(stockholm_day_from_unix_ms((at("2026-01-14T22:59:59Z") + 999)) == day("2026-01-14"));
  CHECK(stockholm_day_from_unix_ms(at("2026-01-14T23:00:00Z")) == day("2026-01-15"));
  // Summer (CEST, +2 h): 22:00 UTC.
  CHECK(stockholm_day_from_unix_ms((at("2026-03-31T21:59:59Z") + 999)) == day("2026-03-31"));
  CHECK(stockholm_day_from_unix_ms(at("2026-03-31T22:00:00Z")) == day("2026-04-01"));
  // The changes themselves: 01:00 UTC on the last Sundays of March (29th) and October (25th) 2026.
  CHECK(kiosk::stockholm_offset_ms((at("2026-03-29T00:59:59Z") + 999)) == 3'600'000);
  CHECK(kiosk::stockholm_offset_ms(at("2026-03-29T01:00:00Z")) == 7'200'000);
  CHECK(kiosk::stockholm_offset_ms((at("2026-10-25T00:59:59Z") + 999)) == 7'200'000);
  CHECK(kiosk::stockholm_offset_ms(at("2026-10-25T01:00:00Z")) == 3'600'000);

  // The same days as the C library's Europe/Stockholm from tzdata, every 37 minutes over 2026-2028.
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Stockholm")) {
    WARN("no tzdata here: the rule is not compared with the C library's");
    return;
  }
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz != nullptr ? old_tz : "";
  setenv("TZ", "Europe/Stockholm", 1);
  tzset();
  int mismatches = 0;
  for (std::int64_t t = at("2026-01-01"); t < at("2029-01-01"); t += 37 * 60'000) {
    const time_t secs = static_cast<time_t>(t / 1000);
    tm local{};
    localtime_r(&secs, &local);
    char date[40];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
    const auto expected = day(date);
    if (stockholm_day_from_unix_ms(t) != expected) ++mismatches;
  }
  if (old_tz != nullptr) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  CHECK(mismatches == 0);
}
