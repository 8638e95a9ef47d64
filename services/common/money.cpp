#include "money.h"

#include <fmt/format.h>
#include <cstdlib>

namespace kiosk {

std::string format_ore(Ore amount) {
  const bool negative = amount < 0;
  const unsigned long long abs =
      negative ? 0ULL - static_cast<unsigned long long>(amount) : static_cast<unsigned long long>(amount);
  std::string kronor = std::to_string(abs / 100);
  // Thousands groups separated by a space.
  for (int i = static_cast<int>(kronor.size()) - 3; i > 0; i -= 3) kronor.insert(static_cast<size_t>(i), " ");
  return fmt::format("{}{},{:02}", negative ? "-" : "", kronor, abs % 100);
}

Result<Ore> parse_kronor(std::string_view text) {
  std::string_view t = text;
  bool negative = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.empty()) return invalid_argument(fmt::format("'{}' is not an amount", text));
  Ore kronor = 0;
  Ore ore = 0;
  int decimals = -1;  // -1: before the decimal separator
  for (char c : t) {
    if (c == '.' || c == ',') {
      if (decimals >= 0) return invalid_argument(fmt::format("'{}' has two decimal separators", text));
      decimals = 0;
    } else if (c >= '0' && c <= '9') {
      if (decimals < 0) {
        if (kronor > 90'000'000'000'000LL) return invalid_argument(fmt::format("'{}' is too large", text));
        kronor = kronor * 10 + (c - '0');
      } else {
        if (++decimals > 2) return invalid_argument(fmt::format("'{}' has more than two decimals", text));
        ore = ore * 10 + (c - '0');
      }
    } else {
      return invalid_argument(fmt::format("'{}' is not an amount: unexpected '{}'", text, c));
    }
  }
  if (decimals == 1) ore *= 10;
  const Ore total = kronor * 100 + ore;
  return negative ? -total : total;
}

// 128-bit intermediate: price × weight overflows 64 bits long before any real amount does.
__extension__ using Int128 = __int128;

std::int64_t mul_div_round(std::int64_t a, std::int64_t b, std::int64_t c) {
  const Int128 n = static_cast<Int128>(a) * b;
  const Int128 q = n / c;
  const Int128 r = n % c;
  // Half away from zero: compare 2|r| with |c|.
  const Int128 r2 = (r < 0 ? -r : r) * 2;
  const Int128 cabs = c < 0 ? -static_cast<Int128>(c) : c;
  if (r2 >= cabs) return static_cast<std::int64_t>(q + (((n < 0) != (c < 0)) ? -1 : 1));
  return static_cast<std::int64_t>(q);
}

Ore vat_included(Ore gross, std::int32_t rate_bp) {
  if (rate_bp == 0) return 0;
  return mul_div_round(gross, rate_bp, 10'000 + rate_bp);
}

Ore price_for_weight(Ore price_per_kg_ore, Milligrams weight_mg) {
  return mul_div_round(price_per_kg_ore, weight_mg, 1'000'000);
}

}  // namespace kiosk
