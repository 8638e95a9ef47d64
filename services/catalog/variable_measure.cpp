#include "variable_measure.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <charconv>

#include "common/gtin.h"

namespace kiosk::catalog {
namespace {

constexpr char kGs = '\x1d';  // GS1 group separator (FNC1 inside a symbol)

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Digits as a number; callers keep them to at most 18 digits.
std::int64_t to_int(std::string_view digits) {
  std::int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Value in units with `decimals` decimals scaled to a unit 10^`scale` times smaller (kronor -> öre:
// scale 2; kg -> mg: scale 6). Fails when the value has finer precision than the target unit.
Result<std::int64_t> scale_amount(std::int64_t value, int decimals, int scale, std::string_view what) {
  if (decimals <= scale) return value * pow10(scale - decimals);
  const std::int64_t div = pow10(decimals - scale);
  if (value % div != 0)
    return invalid_argument(fmt::format("{} has a fraction below one {}", what, scale == 2 ? "öre" : "milligram"));
  return value / div;
}

// GS1 application identifiers a kiosk may meet on a label. fixed = data length, else variable up to max.
struct AiSpec {
  std::string_view start;  // the AI's first two digits
  int ai_len;
  int fixed;
  int max;
};
constexpr std::array<AiSpec, 19> kAis{{
    {"00", 2, 18, 18}, {"01", 2, 14, 14}, {"02", 2, 14, 14}, {"10", 2, 0, 20}, {"11", 2, 6, 6},
    {"12", 2, 6, 6},   {"13", 2, 6, 6},   {"15", 2, 6, 6},   {"16", 2, 6, 6},  {"17", 2, 6, 6},
    {"20", 2, 2, 2},   {"21", 2, 0, 20},  {"30", 2, 0, 8},   {"31", 4, 6, 6},  {"32", 4, 6, 6},
    {"33", 4, 6, 6},   {"37", 2, 0, 8},   {"39", 4, 0, 18},  {"22", 2, 0, 20},
}};

const AiSpec* find_ai(std::string_view text) {
  if (text.size() < 2) return nullptr;
  for (const auto& a : kAis) {
    if (text.substr(0, 2) == a.start) return &a;
  }
  return nullptr;
}

// Applies one element (AI and its data) to `out`. `at` is the 1-based character of the AI, for errors.
Status apply_element(std::string_view ai, std::string_view data, std::size_t at, EmbeddedCode& out, bool& saw_gtin) {
  const auto where = [&](std::string_view why) {
    return invalid_argument(fmt::format("GS1 element string: AI ({}) at character {}: {}", ai, at, why));
  };
  if (ai == "01") {
    if (data.size() != 14 || !all_digits(data)) return where(fmt::format("'{}' is not 14 digits", data));
    auto g = normalize_gtin(data);
    if (!g) return where(g.message());
    out.gtin14 = *g;
    saw_gtin = true;
  } else if (ai.size() == 4 && ai.starts_with("310")) {
    if (data.size() != 6 || !all_digits(data)) return where(fmt::format("weight '{}' is not 6 digits", data));
    const int n = ai[3] - '0';
    if (n > 6) return where("more than 6 decimals of a kg");
    auto mg = scale_amount(to_int(data), n, 6, "the weight");
    if (!mg) return where(mg.message());
    if (out.weight_mg) return where("a second net weight");
    out.weight_mg = *mg;
  } else if (ai.size() == 4 && ai.starts_with("392")) {
    if (data.empty() || data.size() > 15 || !all_digits(data)) {
      return where(fmt::format("price '{}' is not 1 to 15 digits", data));
    }
    auto ore = scale_amount(to_int(data), ai[3] - '0', 2, "the price");
    if (!ore) return where(ore.message());
    if (out.price_ore) return where("a second price");
    out.price_ore = *ore;
  }
  return {};  // other AIs (batch, dates, serial) say nothing about the sale
}

Result<EmbeddedCode> finish(EmbeddedCode out, bool saw_gtin) {
  if (!saw_gtin) return invalid_argument("GS1 element string: no (01) GTIN in it");
  return out;
}

Result<EmbeddedCode> parse_bracketed(std::string_view code) {
  EmbeddedCode out;
  bool saw_gtin = false;
  std::size_t i = 0;
  while (i < code.size()) {
    if (code[i] != '(') {
      return invalid_argument(fmt::format("GS1 element string: expected '(' at character {}", i + 1));
    }
    const std::size_t close = code.find(')', i);
    if (close == std::string_view::npos) {
      return invalid_argument(fmt::format("GS1 element string: '(' at character {} is never closed", i + 1));
    }
    const std::string_view ai = code.substr(i + 1, close - i - 1);
    if (ai.size() < 2 || ai.size() > 4 || !all_digits(ai)) {
      return invalid_argument(
          fmt::format("GS1 element string: '({})' at character {} is not a 2-4 digit AI", ai, i + 1));
    }
    std::size_t end = code.find('(', close);
    if (end == std::string_view::npos) end = code.size();
    const std::string_view data = code.substr(close + 1, end - close - 1);
    if (data.empty()) {
      return invalid_argument(fmt::format("GS1 element string: AI ({}) at character {} has no data", ai, i + 1));
    }
    if (auto st = apply_element(ai, data, i + 1, out, saw_gtin); !st) return st.error();
    i = end;
  }
  return finish(std::move(out), saw_gtin);
}

Result<EmbeddedCode> parse_raw(std::string_view code, std::size_t offset) {
  EmbeddedCode out;
  bool saw_gtin = false;
  std::size_t i = 0;
  while (i < code.size()) {
    if (code[i] == kGs) {
      ++i;
      continue;
    }
    const std::size_t at = offset + i + 1;
    const AiSpec* spec = find_ai(code.substr(i));
    if (spec == nullptr || i + spec->ai_len > code.size() ||
        !all_digits(code.substr(i, static_cast<std::size_t>(spec->ai_len)))) {
      return invalid_argument(
          fmt::format("GS1 element string: unknown or cut-off AI '{}' at character {}", code.substr(i, 4), at));
    }
    const std::string_view ai = code.substr(i, static_cast<std::size_t>(spec->ai_len));
    i += ai.size();
    std::size_t len = 0;
    if (spec->fixed > 0) {
      len = static_cast<std::size_t>(spec->fixed);
      if (i + len > code.size()) {
        return invalid_argument(fmt::format("GS1 element string: AI ({}) at character {} needs {} digits, has {}", ai,
                                            at, len, code.size() - i));
      }
    } else {
      const std::size_t gs = code.find(kGs, i);
      len = (gs == std::string_view::npos ? code.size() : gs) - i;
      if (len == 0 || len > static_cast<std::size_t>(spec->max)) {
        return invalid_argument(
            fmt::format("GS1 element string: AI ({}) at character {} has {} characters, "
                        "expected 1 to {} ended by GS",
                        ai, at, len, spec->max));
      }
    }
    if (auto st = apply_element(ai, code.substr(i, len), at, out, saw_gtin); !st) return st.error();
    i += len;
  }
  return finish(std::move(out), saw_gtin);
}

Result<VariableMeasureRule> parse_rule(std::string_view entry) {
  const auto bad = [&](std::string_view why) {
    return invalid_argument(fmt::format("variable_measure entry '{}': {}", entry, why));
  };
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t colon = entry.find(':', start);
    parts.push_back(entry.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() < 3 || parts.size() > 4) return bad("expected PREFIX:price|weight:DECIMALS[:DIGITS]");
  VariableMeasureRule r;
  if (parts[0].size() != 2 || !all_digits(parts[0]) || parts[0][0] != '2') {
    return bad("the prefix must be two digits 20-29 (GS1 in-store numbers)");
  }
  r.prefix = std::string(parts[0]);
  if (parts[1] == "price") {
    r.kind = VariableMeasureRule::Kind::kPrice;
  } else if (parts[1] == "weight") {
    r.kind = VariableMeasureRule::Kind::kWeight;
  } else {
    return bad(fmt::format("kind '{}' must be price or weight", parts[1]));
  }
  const auto number = [](std::string_view s, int& v) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size();
  };
  if (!number(parts[2], r.decimals) || r.decimals < 0 ||
      r.decimals > (r.kind == VariableMeasureRule::Kind::kPrice ? 2 : 6)) {
    return bad("decimals must be 0-2 for a price (öre) or 0-6 for a weight (mg)");
  }
  if (parts.size() == 4 && (!number(parts[3], r.value_digits) || r.value_digits < 3 || r.value_digits > 6)) {
    return bad("value digits must be 3-6");
  }
  return r;
}

}  // namespace

VariableMeasureRules swedish_variable_measure_rules() {
  using K = VariableMeasureRule::Kind;
  return {{"20", K::kPrice, 2, 5},  {"21", K::kPrice, 1, 5},  {"22", K::kPrice, 0, 5},
          {"23", K::kWeight, 3, 5}, {"24", K::kWeight, 2, 5}, {"25", K::kWeight, 1, 5}};
}

Result<VariableMeasureRules> parse_variable_measure_rules(std::string_view spec) {
  if (spec.empty() || spec == "swedish") return swedish_variable_measure_rules();
  if (spec == "none") return VariableMeasureRules{};
  VariableMeasureRules rules;
  for (std::size_t start = 0; start <= spec.size();) {
    std::size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view entry = spec.substr(start, comma - start);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    auto r = parse_rule(entry);
    if (!r) return r.error();
    for (const auto& o : rules) {
      if (o.prefix == r->prefix) return invalid_argument(fmt::format("variable_measure: prefix {} twice", r->prefix));
    }
    rules.push_back(std::move(*r));
    start = comma + 1;
  }
  return rules;
}

Result<std::optional<EmbeddedCode>> parse_variable_measure(std::string_view code, const VariableMeasureRules& rules) {
  if (code.size() != 13 || !all_digits(code)) return std::optional<EmbeddedCode>{};
  const auto rule = std::find_if(rules.begin(), rules.end(),
                                 [&](const VariableMeasureRule& r) { return code.starts_with(r.prefix); });
  if (rule == rules.end()) return std::optional<EmbeddedCode>{};
  if (auto g = normalize_gtin(code); !g) {
    return invalid_argument(fmt::format("variable-measure code {}: {}", code, g.message()));
  }
  const auto digits = static_cast<std::size_t>(rule->value_digits);
  const std::size_t value_at = 12 - digits;
  const std::int64_t value = to_int(code.substr(value_at, digits));
  EmbeddedCode out;
  std::string key = std::string(code.substr(0, value_at)) + std::string(digits, '0');
  out.gtin14 = "0" + key + gtin_check_digit(key);
  if (rule->kind == VariableMeasureRule::Kind::kPrice) {
    out.price_ore = value * pow10(2 - rule->decimals);
  } else {
    out.weight_mg = value * pow10(6 - rule->decimals);
  }
  return std::optional<EmbeddedCode>{std::move(out)};
}

bool looks_like_gs1_element_string(std::string_view code) {
  if (code.empty()) return false;
  if (code.front() == '(' || code.front() == ']') return true;
  if (code.find(kGs) != std::string_view::npos) return true;
  return code.size() >= 16 && code.starts_with("01") && all_digits(code);
}

Result<EmbeddedCode> parse_gs1_element_string(std::string_view code) {
  if (code.empty()) return invalid_argument("GS1 element string: empty");
  if (code.front() == '(') return parse_bracketed(code);
  std::size_t offset = 0;
  if (code.front() == ']') {
    // Symbology identifier from the scanner: ]C1 GS1-128, ]e0 DataBar, ]d2 DataMatrix, ]Q3 QR.
    static constexpr std::array<std::string_view, 4> kIds{"]C1", "]e0", "]d2", "]Q3"};
    if (std::none_of(kIds.begin(), kIds.end(), [&](std::string_view id) { return code.starts_with(id); })) {
      return invalid_argument(
          fmt::format("GS1 element string: symbology identifier '{}' is not a GS1 one", code.substr(0, 3)));
    }
    offset = 3;
  }
  return parse_raw(code.substr(offset), offset);
}

}  // namespace kiosk::catalog
