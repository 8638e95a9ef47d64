#pragma once
// Money is int64 öre (minor units); never floating point. Rounding is half away from zero, as on
// Swedish receipts.
#include <cstdint>
#include <string>
#include <string_view>

#include "result.h"

namespace kiosk {

using Ore = std::int64_t;
using Milligrams = std::int64_t;

// "1 234,50" style (Swedish: space thousands separator, comma decimal), no currency sign.
std::string format_ore(Ore amount);

// Parses "12.90", "12,90", "12" or "-3,5" (kronor) into öre; at most two decimals.
Result<Ore> parse_kronor(std::string_view text);

// a * b / c rounded half away from zero, without overflow for realistic amounts (uses 128-bit).
std::int64_t mul_div_round(std::int64_t a, std::int64_t b, std::int64_t c);

// The VAT contained in a VAT-inclusive gross amount at rate_bp (2500 = 25 %), rounded to öre:
// gross * rate / (10000 + rate).
Ore vat_included(Ore gross, std::int32_t rate_bp);

// Price of a weighed item: price_per_kg_ore * weight_mg / 1'000'000, rounded to öre.
Ore price_for_weight(Ore price_per_kg_ore, Milligrams weight_mg);

}  // namespace kiosk
