#include "payment/nexo_amount.h"

#include <fmt/format.h>
#include <charconv>
#include <nlohmann/json.hpp>

namespace kiosk::payment {

std::string ore_to_decimal(Ore amount) {
  const bool negative = amount < 0;
  const unsigned long long abs =
      negative ? 0ULL - static_cast<unsigned long long>(amount) : static_cast<unsigned long long>(amount);
  return fmt::format("{}{}.{:02}", negative ? "-" : "", abs / 100, abs % 100);
}

Result<Ore> decimal_to_ore(std::string_view text) {
  std::string_view t = text;
  bool negative = false;
  if (!t.empty() && t[0] == '-') {
    negative = true;
    t.remove_prefix(1);
  }
  if (t.empty()) return invalid_argument(fmt::format("amount '{}' is empty", text));
  Ore kronor = 0;
  Ore ore = 0;
  int decimals = -1;  // -1: before the decimal point
  bool digits = false;
  for (char c : t) {
    if (c == '.') {
      if (decimals >= 0) return invalid_argument(fmt::format("amount '{}' has two decimal points", text));
      decimals = 0;
    } else if (c >= '0' && c <= '9') {
      digits = true;
      if (decimals < 0) {
        if (kronor > 90'000'000'000'000LL) return invalid_argument(fmt::format("amount '{}' is too large", text));
        kronor = kronor * 10 + (c - '0');
      } else if (++decimals > 2) {
        if (c != '0') return invalid_argument(fmt::format("amount '{}' has fractions of an öre", text));
      } else {
        ore = ore * 10 + (c - '0');
      }
    } else {
      return invalid_argument(fmt::format("amount '{}' is not a decimal number: unexpected '{}'", text, c));
    }
  }
  if (!digits) return invalid_argument(fmt::format("amount '{}' has no digits", text));
  if (decimals == 1) ore *= 10;
  const Ore total = kronor * 100 + ore;
  return negative ? -total : total;
}

Result<Ore> json_amount_to_ore(const nlohmann::json& value) {
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v > 90'000'000'000'000LL || v < -90'000'000'000'000LL)
      return invalid_argument(fmt::format("amount {} is too large", v));
    return v * 100;
  }
  if (value.is_number_float()) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, value.get<double>());
    if (r.ec != std::errc()) return invalid_argument("amount is not a finite number");
    const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
    if (text.find_first_of("eE") != std::string_view::npos)
      return invalid_argument(fmt::format("amount {} is out of range for money", text));
    return decimal_to_ore(text);
  }
  if (value.is_string()) return decimal_to_ore(value.get<std::string>());
  return invalid_argument(fmt::format("amount must be a number, got {}", value.type_name()));
}

}  // namespace kiosk::payment
