#pragma once
// Codes that carry a price or a weight besides the product: Swedish in-store variable-measure codes
// (EAN-13 with prefix 2X) and GS1 element strings ((01) GTIN with (310n) net weight or (392n) price).
// Pure parsing: which product key to look up and the embedded amount; the store does the lookup.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.h"
#include "common/result.h"

namespace kiosk::catalog {

// One prefix rule: EAN-13 codes starting with `prefix` carry `value_digits` digits of price (kronor
// with `decimals` decimals) or weight (kg with `decimals` decimals) just before the check digit.
// Layout: prefix (2 digits) | article (13 - 2 - value_digits - 1 digits) | value | check digit.
struct VariableMeasureRule {
  enum class Kind { kPrice, kWeight };
  std::string prefix;  // two digits, "20".."29"
  Kind kind = Kind::kPrice;
  int decimals = 2;
  int value_digits = 5;

  bool operator==(const VariableMeasureRule&) const = default;
};

using VariableMeasureRules = std::vector<VariableMeasureRule>;

// The Swedish rules: 20/21/22 price in kronor with 2/1/0 decimals, 23/24/25 weight in kg with 3/2/1
// decimals; five value digits, so five article digits.
VariableMeasureRules swedish_variable_measure_rules();

// Parses the [catalog] variable_measure config value: "" or "swedish" = the Swedish rules, "none" =
// no variable-measure codes, else a comma-separated list of PREFIX:price|weight:DECIMALS[:DIGITS],
// e.g. "20:price:2,23:weight:3". Errors say which entry is wrong and why.
Result<VariableMeasureRules> parse_variable_measure_rules(std::string_view spec);

// What a code with an embedded amount names.
struct EmbeddedCode {
  std::string gtin14;  // the key the product is stored under
  std::optional<Ore> price_ore;
  std::optional<Milligrams> weight_mg;
};

// A 13-digit code matching one of `rules` (check digit verified). The product is stored under the
// same code with its value digits zeroed and the check digit recomputed, as GTIN-14 (leading 0): e.g.
// 2312345012340 (1.234 kg of article 12345) -> 02312345000002. std::nullopt when no rule matches
// (the code is then an ordinary GTIN); kInvalidArgument for a bad check digit.
Result<std::optional<EmbeddedCode>> parse_variable_measure(std::string_view code13, const VariableMeasureRules& rules);

// True when `code` looks like a GS1 element string rather than a plain GTIN: it starts with '(' or a
// symbology identifier (]C1, ]e0, ]d2, ]Q3), holds a GS (0x1D) separator, or is 16+ digits from AI 01.
bool looks_like_gs1_element_string(std::string_view code);

// Parses "(01)07310865004703(3103)001234" or the same without parentheses (variable-length fields
// ended by GS, 0x1D). Needs (01); reads (310n) net weight in kg with n decimals and (392n) price in
// kronor with n decimals; other known AIs are skipped. Errors say at which character and why.
Result<EmbeddedCode> parse_gs1_element_string(std::string_view code);

}  // namespace kiosk::catalog
