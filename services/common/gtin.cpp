#include "gtin.h"

#include <fmt/format.h>
#include <algorithm>

namespace kiosk {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status verify_check_digit(std::string_view code, std::string_view kind) {
  const char expected = gtin_check_digit(code.substr(0, code.size() - 1));
  if (code.back() != expected) {
    return invalid_argument(fmt::format("{} {}: check digit is {}, expected {}", kind, code, code.back(), expected));
  }
  return {};
}

}  // namespace

char gtin_check_digit(std::string_view digits) {
  // Weights 3,1,3,1... from the rightmost digit (the one next to the check digit).
  int sum = 0;
  int weight = 3;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Result<std::string> expand_upce(std::string_view e) {
  if (e.size() != 8 || !all_digits(e)) {
    return invalid_argument(fmt::format("UPC-E '{}': must be 8 digits", e));
  }
  if (e[0] != '0' && e[0] != '1') {
    return invalid_argument(fmt::format("UPC-E {}: number system must be 0 or 1, not {}", e, e[0]));
  }
  const std::string_view d = e.substr(1, 6);
  std::string body;  // 10 digits: manufacturer (5) + product (5)
  switch (d[5]) {
    case '0':
    case '1':
    case '2':
      body = fmt::format("{}{}0000{}", d.substr(0, 2), d[5], d.substr(2, 3));
      break;
    case '3':
      body = fmt::format("{}00000{}", d.substr(0, 3), d.substr(3, 2));
      break;
    case '4':
      body = fmt::format("{}00000{}", d.substr(0, 4), d[4]);
      break;
    default:
      body = fmt::format("{}0000{}", d.substr(0, 5), d[5]);
      break;
  }
  std::string upca = std::string(1, e[0]) + body + e[7];
  if (auto s = verify_check_digit(upca, "UPC-E"); !s) {
    return invalid_argument(fmt::format("UPC-E {} (UPC-A {}): check digit is {}, expected {}", e, upca, e[7],
                                        gtin_check_digit(std::string_view(upca).substr(0, 11))));
  }
  return upca;
}

Result<std::string> normalize_gtin(std::string_view code, bool upce) {
  if (code.empty()) return invalid_argument("empty code");
  if (!all_digits(code)) {
    const auto bad = std::find_if(code.begin(), code.end(), [](char c) { return c < '0' || c > '9'; });
    return invalid_argument(
        fmt::format("code '{}': character {} is not a digit", code, static_cast<int>(bad - code.begin()) + 1));
  }
  std::string_view kind;
  std::string digits(code);
  switch (code.size()) {
    case 8:
      if (upce) {
        auto upca = expand_upce(code);
        if (!upca) return upca.error();
        return "00" + *upca;
      }
      kind = "EAN-8";
      break;
    case 12:
      kind = "UPC-A";
      break;
    case 13:
      kind = "EAN-13";
      break;
    case 14:
      kind = "GTIN-14";
      break;
    default:
      return invalid_argument(
          fmt::format("code {}: {} digits is not a GTIN length (8, 12, 13 or 14)", code, code.size()));
  }
  if (auto s = verify_check_digit(code, kind); !s) return s.error();
  return std::string(14 - digits.size(), '0') + digits;
}

bool is_valid_gtin14(std::string_view g) {
  return g.size() == 14 && all_digits(g) && gtin_check_digit(g.substr(0, 13)) == g.back();
}

}  // namespace kiosk
