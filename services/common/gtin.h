#pragma once
// GTIN handling: every product is keyed by GTIN-14. Scanned and typed codes (EAN-8, UPC-A, UPC-E,
// EAN-13, GTIN-14) are normalised to GTIN-14 after their check digit is verified.
#include <string>
#include <string_view>

#include "result.h"

namespace kiosk {

// The GS1 mod-10 check digit for a string of digits that lacks it.
char gtin_check_digit(std::string_view digits_without_check);

// Expands an 8-digit UPC-E (number system 0 or 1, with check digit) to its 12-digit UPC-A.
Result<std::string> expand_upce(std::string_view upce8);

// Normalises a code of 8 (EAN-8), 12 (UPC-A), 13 (EAN-13) or 14 (GTIN-14) digits to GTIN-14,
// verifying its check digit. `upce` = true reads an 8-digit code as UPC-E rather than EAN-8.
// Errors say what was wrong, e.g. "check digit is 3, expected 7".
Result<std::string> normalize_gtin(std::string_view code, bool upce = false);

// True for a 14-digit string with a correct check digit.
bool is_valid_gtin14(std::string_view gtin14);

}  // namespace kiosk
