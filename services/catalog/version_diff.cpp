#include "version_diff.h"

namespace kiosk::catalog {

std::vector<std::string> changed_fields(const Product& a, const Product& b) {
  std::vector<std::string> out;
  const auto check = [&](bool differs, const char* name) {
    if (differs) out.emplace_back(name);
  };
  check(a.gtin14 != b.gtin14, "gtin");
  check(a.name_sv != b.name_sv, "name_sv");
  check(a.name_en != b.name_en, "name_en");
  check(a.brand != b.brand, "brand");
  check(a.department != b.department, "department");
  check(a.price_ore != b.price_ore, "price_ore");
  check(a.unit != b.unit, "unit");
  check(a.vat_class != b.vat_class, "vat_class");
  check(a.deposit_code != b.deposit_code, "deposit_code");
  check(a.age_limit != b.age_limit, "age_limit");
  check(a.expected_weight_mg != b.expected_weight_mg, "expected_weight_mg");
  check(a.weight_spread_mg != b.weight_spread_mg, "weight_spread_mg");
  check(a.no_weigh != b.no_weigh, "no_weigh");
  check(a.plu != b.plu, "plu");
  check(a.image != b.image, "image");
  check(a.low_stock_threshold != b.low_stock_threshold, "low_stock_threshold");
  const auto new_price = [](const Product& p) { return p.scheduled_price ? p.scheduled_price->price_ore : -1; };
  const auto new_from = [](const Product& p) { return p.scheduled_price ? p.scheduled_price->from_unix_ms : -1; };
  check(new_price(a) != new_price(b), "new_price_ore");
  check(new_from(a) != new_from(b), "new_price_from");
  return out;
}

}  // namespace kiosk::catalog
