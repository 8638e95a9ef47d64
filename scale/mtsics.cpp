#include "mtsics.h"

#include <fmt/format.h>

namespace kiosk::scale {
namespace {

bool is_space(char c) {
  return c == ' ';
}

// Splits on runs of spaces; a quoted field (MT-SICS texts) is one token with its quotes kept.
Result<std::vector<std::string_view>> tokenize(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_space(s[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    if (s[i] == '"') {
      const std::size_t end = s.find('"', i + 1);
      if (end == std::string_view::npos)
        return invalid_argument(fmt::format("unterminated quoted text at byte {}", start));
      i = end + 1;
      if (i < s.size() && !is_space(s[i]))
        return invalid_argument(fmt::format("text after a closing quote at byte {}", i));
    } else {
      while (i < s.size() && !is_space(s[i])) ++i;
    }
    out.push_back(s.substr(start, i - start));
  }
  return out;
}

bool is_id(std::string_view t) {
  if (t.empty() || t.size() > 4) return false;
  if (t[0] < 'A' || t[0] > 'Z') return false;
  for (char c : t)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

Result<MtSicsStatus> parse_status(std::string_view t) {
  if (t.size() == 1) {
    switch (t[0]) {
      case 'S':
        return MtSicsStatus::kStable;
      case 'D':
        return MtSicsStatus::kDynamic;
      case 'A':
        return MtSicsStatus::kDone;
      case 'I':
        return MtSicsStatus::kBusy;
      case '+':
        return MtSicsStatus::kOverload;
      case '-':
        return MtSicsStatus::kUnderload;
      case 'L':
        return MtSicsStatus::kLogical;
      default:
        break;
    }
  }
  return invalid_argument(fmt::format("unknown status '{}' (expected S, D, A, I, +, - or L)", t));
}

// What a known response id may carry after its status.
enum class Body { kNone, kWeight, kTexts };

// For the ids the kiosk uses, the statuses allowed and what follows them. Others parse generically.
std::optional<Result<Body>> body_for(std::string_view id, MtSicsStatus st) {
  using S = MtSicsStatus;
  const bool fail = st == S::kBusy || st == S::kOverload || st == S::kUnderload || st == S::kLogical;
  auto bad = [&]() -> Result<Body> {
    return invalid_argument(fmt::format("status '{}' is not valid for an {} response", to_string(st), id));
  };
  if (id == "S" || id == "SI" || id == "SIR") {  // weight; `S D` only from SI/SIR
    if (st == S::kStable || st == S::kDynamic) return Result<Body>(Body::kWeight);
    if (st == S::kLogical || st == S::kDone) return bad();
    return Result<Body>(Body::kNone);
  }
  if (id == "Z" || id == "ZI") {
    if (st == S::kDone || (id == "ZI" && (st == S::kStable || st == S::kDynamic))) return Result<Body>(Body::kNone);
    if (st == S::kLogical || st == S::kStable || st == S::kDynamic) return bad();
    return Result<Body>(Body::kNone);
  }
  if (id == "T" || id == "TI") {  // the tare weight taken
    if (st == S::kStable || (id == "TI" && st == S::kDynamic)) return Result<Body>(Body::kWeight);
    if (st == S::kDone || st == S::kDynamic) return bad();
    return Result<Body>(Body::kNone);
  }
  if (id == "TA") {
    if (st == S::kDone) return Result<Body>(Body::kWeight);
    if (fail) return Result<Body>(Body::kNone);
    return bad();
  }
  if (id == "TAC") {
    if (st == S::kDone || fail) return Result<Body>(Body::kNone);
    return bad();
  }
  if (id.size() == 2 && id[0] == 'I' && id[1] >= '0' && id[1] <= '9') {
    if (st == S::kDone || st == S::kBusy) return Result<Body>(st == S::kDone ? Body::kTexts : Body::kNone);
    return bad();
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(MtSicsStatus s) {
  switch (s) {
    case MtSicsStatus::kStable:
      return "S";
    case MtSicsStatus::kDynamic:
      return "D";
    case MtSicsStatus::kDone:
      return "A";
    case MtSicsStatus::kBusy:
      return "I";
    case MtSicsStatus::kOverload:
      return "+";
    case MtSicsStatus::kUnderload:
      return "-";
    case MtSicsStatus::kLogical:
      return "L";
  }
  return "?";
}

std::string_view to_string(MtSicsError e) {
  switch (e) {
    case MtSicsError::kSyntax:
      return "ES (syntax error: command not recognised)";
    case MtSicsError::kTransmission:
      return "ET (transmission error)";
    case MtSicsError::kLogical:
      return "EL (logical error: command not executable)";
  }
  return "?";
}

Result<std::int64_t> parse_weight_mg(std::string_view value, std::string_view unit) {
  int max_decimals = 0;
  std::int64_t scale = 0;  // mg per unit
  if (unit == "mg") {
    max_decimals = 0, scale = 1;
  } else if (unit == "g") {
    max_decimals = 3, scale = 1000;
  } else if (unit == "kg") {
    max_decimals = 6, scale = 1'000'000;
  } else {
    return invalid_argument(fmt::format("unknown weight unit '{}' (expected g, kg or mg)", unit));
  }
  std::string_view v = value;
  bool negative = false;
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
    negative = v[0] == '-';
    v.remove_prefix(1);
  }
  const std::size_t dot = v.find('.');
  std::string_view int_part = v.substr(0, dot);
  std::string_view frac_part = dot == std::string_view::npos ? std::string_view{} : v.substr(dot + 1);
  auto all_digits = [](std::string_view d) {
    for (char c : d)
      if (c < '0' || c > '9') return false;
    return true;
  };
  if (int_part.empty() || !all_digits(int_part) || !all_digits(frac_part) ||
      (dot != std::string_view::npos && frac_part.empty()))
    return invalid_argument(fmt::format("weight value '{}' is not a decimal number", value));
  if (int_part.size() > 9) return invalid_argument(fmt::format("weight value '{}' is too large", value));
  if (frac_part.size() > static_cast<std::size_t>(max_decimals)) {
    // Trailing zeros beyond the unit's mg resolution are harmless; other digits are not exact in mg.
    for (std::size_t i = static_cast<std::size_t>(max_decimals); i < frac_part.size(); ++i)
      if (frac_part[i] != '0')
        return invalid_argument(fmt::format("weight value '{}' {} has more resolution than 1 mg", value, unit));
    frac_part = frac_part.substr(0, static_cast<std::size_t>(max_decimals));
  }
  std::int64_t mg = 0;
  for (char c : int_part) mg = mg * 10 + (c - '0');
  mg *= scale;
  std::int64_t frac = 0;
  std::int64_t frac_scale = scale;
  for (char c : frac_part) {
    frac_scale /= 10;
    frac += (c - '0') * frac_scale;
  }
  mg += frac;
  return negative ? -mg : mg;
}

Result<MtSicsResponse> parse_mtsics_response(std::string_view line) {
  std::string_view s = line;
  if (s.size() >= 2 && s.substr(s.size() - 2) == "\r\n") s.remove_suffix(2);
  if (s.empty()) return invalid_argument("empty MT-SICS frame");
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f)
      return invalid_argument(fmt::format("byte 0x{:02x} at offset {} in MT-SICS frame '{}'", c, i, s));
  }
  auto toks = tokenize(s);
  if (!toks) return invalid_argument(fmt::format("MT-SICS frame '{}': {}", s, toks.message()));
  const auto& t = *toks;
  auto frame_error = [&](std::string_view why) {
    return invalid_argument(fmt::format("MT-SICS frame '{}': {}", s, why));
  };
  if (t.empty()) return frame_error("no response id");
  if (!is_id(t[0])) return frame_error(fmt::format("'{}' is not a response id", t[0]));

  MtSicsResponse r;
  r.id = std::string(t[0]);
  if (t.size() == 1) {
    if (r.id == "ES")
      r.error = MtSicsError::kSyntax;
    else if (r.id == "ET")
      r.error = MtSicsError::kTransmission;
    else if (r.id == "EL")
      r.error = MtSicsError::kLogical;
    else
      return frame_error("missing status after the response id (partial frame?)");
    return r;
  }
  auto st = parse_status(t[1]);
  if (!st) return frame_error(st.message());
  r.status = *st;

  Body body = Body::kNone;
  if (auto known = body_for(r.id, r.status)) {
    if (!*known) return frame_error(known->message());
    body = **known;
  } else if (t.size() >= 3) {
    body = t[2].front() == '"' ? Body::kTexts : Body::kWeight;
  }

  switch (body) {
    case Body::kNone:
      if (t.size() != 2) return frame_error(fmt::format("unexpected '{}' after status {}", t[2], t[1]));
      break;
    case Body::kWeight: {
      if (t.size() < 3) return frame_error("weight value missing (partial frame?)");
      if (t.size() < 4) return frame_error("weight unit missing (partial frame?)");
      if (t.size() > 4) return frame_error(fmt::format("unexpected '{}' after the unit", t[4]));
      auto mg = parse_weight_mg(t[2], t[3]);
      if (!mg) return frame_error(mg.message());
      r.weight_mg = *mg;
      r.unit = std::string(t[3]);
      break;
    }
    case Body::kTexts:
      if (t.size() < 3) return frame_error("text field missing (partial frame?)");
      for (std::size_t i = 2; i < t.size(); ++i) {
        if (t[i].size() < 2 || t[i].front() != '"' || t[i].back() != '"')
          return frame_error(fmt::format("'{}' is not a quoted text", t[i]));
        r.texts.emplace_back(t[i].substr(1, t[i].size() - 2));
      }
      break;
  }
  return r;
}

}  // namespace kiosk::scale
