#pragma once
// VAT rates with effective dates. A sale's VAT comes from the rate in force on the sale's date.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace kiosk {

enum class VatClass : int { kStandard = 1, kFood = 2, kReduced = 3, kExempt = 4 };  // = proto VatClass

// "standard", "food", "reduced", "exempt" (also the Swedish rates "25", "12", "6", "0" as a shorthand
// for the class they name).
Result<VatClass> parse_vat_class(std::string_view text);
std::string_view vat_class_name(VatClass c);

// A civil date as days since 1970-01-01 (UTC).
using Day = std::int32_t;
Day day_from_unix_ms(std::int64_t unix_ms);
Result<Day> parse_iso_date(std::string_view yyyy_mm_dd);

class VatTable {
 public:
  struct Entry {
    VatClass vat_class;
    Day from;   // inclusive
    Day until;  // exclusive; INT32_MAX for open-ended
    std::int32_t rate_bp;
  };
  // The Swedish table: standard 25 %, reduced 6 %, food 12 % with the temporary 6 % from
  // 2026-04-01 to 2027-12-31.
  static VatTable swedish();
  explicit VatTable(std::vector<Entry> entries) : entries_(std::move(entries)) {}
  // The rate in force for a class on a day; an error if the table has no entry for that day.
  Result<std::int32_t> rate_bp(VatClass c, Day day) const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace kiosk
