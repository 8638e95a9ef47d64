#include "vat.h"

#include <fmt/format.h>
#include <chrono>
#include <climits>

namespace kiosk {

Result<VatClass> parse_vat_class(std::string_view t) {
  if (t == "standard" || t == "25") return VatClass::kStandard;
  if (t == "food" || t == "12") return VatClass::kFood;
  if (t == "reduced" || t == "6") return VatClass::kReduced;
  if (t == "exempt" || t == "0") return VatClass::kExempt;
  return invalid_argument(fmt::format("unknown VAT class '{}' (expected standard, food, reduced or exempt)", t));
}

std::string_view vat_class_name(VatClass c) {
  switch (c) {
    case VatClass::kStandard:
      return "standard";
    case VatClass::kFood:
      return "food";
    case VatClass::kReduced:
      return "reduced";
    case VatClass::kExempt:
      return "exempt";
  }
  return "?";
}

Day day_from_unix_ms(std::int64_t unix_ms) {
  // Floor division so times before 1970 land on the right day.
  std::int64_t d = unix_ms / 86'400'000;
  if (unix_ms % 86'400'000 < 0) --d;
  return static_cast<Day>(d);
}

Result<Day> parse_iso_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' ||
      std::sscanf(std::string(s).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) {
    return invalid_argument(fmt::format("'{}' is not a date (YYYY-MM-DD)", s));
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return invalid_argument(fmt::format("'{}' is not a valid date", s));
  return static_cast<Day>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

VatTable VatTable::swedish() {
  const Day start_6 = *parse_iso_date("2026-04-01");
  const Day end_6 = *parse_iso_date("2028-01-01");
  return VatTable({
      {VatClass::kStandard, INT32_MIN, INT32_MAX, 2500},
      {VatClass::kReduced, INT32_MIN, INT32_MAX, 600},
      {VatClass::kExempt, INT32_MIN, INT32_MAX, 0},
      {VatClass::kFood, INT32_MIN, start_6, 1200},
      {VatClass::kFood, start_6, end_6, 600},
      {VatClass::kFood, end_6, INT32_MAX, 1200},
  });
}

Result<std::int32_t> VatTable::rate_bp(VatClass c, Day day) const {
  for (const auto& e : entries_) {
    if (e.vat_class == c && day >= e.from && day < e.until) return e.rate_bp;
  }
  return not_found(fmt::format("no VAT rate for class {} on day {}", vat_class_name(c), day));
}

}  // namespace kiosk
