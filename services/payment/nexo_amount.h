#pragma once
// nexo amounts are JSON numbers in major units ("RequestedAmount": 11.24 kronor). The kiosk keeps
// money as int64 öre, so these convert both ways with integer arithmetic only.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "common/money.h"
#include "common/result.h"

namespace kiosk::payment {

// 1124 → "11.24", 5 → "0.05", 100000 → "1000.00", -5 → "-0.05". Digits only; no floats involved.
std::string ore_to_decimal(Ore amount);

// "11.24", "11.2", "11", "-0.05" → öre. More than two decimals (other than trailing zeros) is an error.
Result<Ore> decimal_to_ore(std::string_view text);

// A nexo amount field: a JSON number (integer or decimal) or a decimal string, in major units.
// A decimal JSON number arrives as a double; its shortest round-trip text (std::to_chars) is the
// decimal the sender wrote whenever that had ≤ 15 significant digits, so that text is converted
// exactly instead of multiplying the double by 100.
Result<Ore> json_amount_to_ore(const nlohmann::json& value);

}  // namespace kiosk::payment
