#pragma once
// Shared helpers for the checkout tests: catalog products, a fixed sale date, the shared TempDir.
#include <cstdint>
#include <string>

#include "checkout/basket.h"
#include "temp_dir.h"

namespace kiosk::checkout::test {

// 2026-11-27 12:00 UTC: food VAT is 6 % (temporary rate 2026-04-01 .. 2027-12-31).
inline constexpr std::int64_t kNov2026 = 1'795'780'800'000;

using kiosk::test::TempDir;

inline ScannedItem item(const std::string& gtin, const std::string& name, std::int64_t price_ore, v1::VatClass vat,
                        std::int64_t weight_mg = 0, std::uint32_t age = 0) {
  ScannedItem it;
  it.code = gtin;
  it.product.set_gtin14(gtin);
  it.product.set_name_sv(name);
  it.product.set_name_en(name);
  it.product.set_price_ore(price_ore);
  it.product.set_unit(v1::SALE_UNIT_EACH);
  it.product.set_vat_class(vat);
  it.product.set_expected_weight_mg(weight_mg);
  it.product.set_weight_spread_mg(weight_mg / 50);
  it.product.set_no_weigh(weight_mg == 0);
  it.product.set_age_limit(age);
  return it;
}

inline ScannedItem milk() {
  return item("07310865004703", "Mellanmjölk 1,5 l", 1590, v1::VAT_CLASS_FOOD, 1'550'000);
}
inline ScannedItem beer() {
  return item("07318690499534", "Starköl 5,2 % 33 cl", 2495, v1::VAT_CLASS_STANDARD, 380'000, 18);
}
inline ScannedItem card() {
  return item("07350053850019", "Gratulationskort", 3900, v1::VAT_CLASS_STANDARD);
}
inline ScannedItem bananas(std::int64_t weight_mg) {
  ScannedItem it = item("02300000000008", "Bananer", 2490, v1::VAT_CLASS_FOOD, 0);
  it.product.set_unit(v1::SALE_UNIT_PER_KG);
  it.product.set_no_weigh(false);
  it.embedded_weight_mg = weight_mg;
  return it;
}

// Drinks with pant: a 1,5 l PET bottle (PANT2, 2 kr) and a can of beer (PANT1, 1 kr, age 18).
inline ScannedItem cola() {
  ScannedItem it = item("07318690499534", "Coca-Cola 1,5 l", 2495, v1::VAT_CLASS_FOOD, 1'600'000);
  it.product.set_deposit_code("PANT2");
  return it;
}
inline ScannedItem beer_can() {
  ScannedItem it = item("07310520001443", "Pripps Blå 3,5 % 50 cl burk", 1795, v1::VAT_CLASS_FOOD, 520'000, 18);
  it.product.set_deposit_code("PANT1");
  return it;
}

// Loose bananas sold per kg, picked by PLU 4011: no weight label, the lane weighs them.
inline ScannedItem loose_bananas() {
  ScannedItem it = item("07300000040116", "Bananer", 2995, v1::VAT_CLASS_FOOD, 0);
  it.product.set_unit(v1::SALE_UNIT_PER_KG);
  it.product.set_no_weigh(false);
  it.product.set_plu("4011");
  it.code = "4011";
  return it;
}

}  // namespace kiosk::checkout::test
