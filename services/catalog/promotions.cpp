#include "promotions.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "common/gtin.h"
#include "csv_reader.h"
#include "json_lines.h"
#include "record_codec.h"
#include "schedule.h"

namespace kiosk::catalog {
namespace {

enum Col : int { kId, kKind, kName, kGtins, kQuantity, kPayQuantity, kPrice, kFrom, kUntil, kMembersOnly, kCols };
constexpr std::array<std::string_view, kCols> kNames = {
    "id", "kind", "name_sv", "gtins", "quantity", "pay_quantity", "price_ore", "from", "until", "members_only"};
constexpr std::array<Col, 5> kRequired = {kId, kKind, kGtins, kFrom, kUntil};
constexpr std::size_t kMaxText = 200;
constexpr std::size_t kMaxGtins = 1000;  // a mix-and-match group
constexpr std::int64_t kMaxPriceOre = 100'000'000;
constexpr std::int64_t kMaxQuantity = 1000;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<Col> col_of(std::string_view name) {
  const auto it = std::find(kNames.begin(), kNames.end(), name);
  if (it == kNames.end()) return std::nullopt;
  return static_cast<Col>(it - kNames.begin());
}

struct Row {
  std::uint32_t line = 0;
  std::array<std::string, kCols> v;
  std::array<bool, kCols> present{};
  std::array<bool, kCols> bad{};  // already reported
};

std::optional<std::string> parse_int(std::string_view s, std::int64_t min, std::int64_t max, std::int64_t& out) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
    return fmt::format("'{}' is not a whole number", s);
  }
  if (v < min || v > max) return fmt::format("{} is outside {}..{}", v, min, max);
  out = v;
  return std::nullopt;
}

class Checker {
 public:
  explicit Checker(ParsedPromotions& out) : out_(out) {}

  void set(Row& row, Col c, std::string_view raw) {
    row.present[c] = true;
    const auto fail = [&](std::string m) {
      out_.errors.push_back({row.line, std::string(kNames[c]), std::move(m)});
      row.bad[c] = true;
    };
    if (find_invalid_utf8(raw) != std::string_view::npos) return fail("invalid UTF-8; save the file as UTF-8");
    const std::string_view t = trim(raw);
    if (t.size() > (c == kGtins ? kMaxGtins * 15 : kMaxText)) return fail("too long");
    if (std::any_of(t.begin(), t.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; })) {
      return fail("contains a line break or control character");
    }
    row.v[c] = std::string(t);
  }

  void check(const Row& row) {
    const std::size_t before = out_.errors.size();
    const auto err = [&](Col c, std::string m) {
      if (!row.bad[c]) out_.errors.push_back({row.line, std::string(kNames[c]), std::move(m)});
    };
    const auto& v = row.v;
    Promotion p;
    p.id = v[kId];
    if (row.present[kId]) {
      if (p.id.empty()) {
        err(kId, "id is empty");
      } else if (!std::all_of(p.id.begin(), p.id.end(), [](char c) {
                   return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
                          c == '_' || c == '.';
                 })) {
        err(kId, fmt::format("id '{}' may hold only letters, digits, - _ and .", p.id));
      } else if (const auto [it, fresh] = ids_.emplace(p.id, row.line); !fresh) {
        err(kId, fmt::format("duplicate id {} (first on line {})", p.id, it->second));
      }
    }
    bool kind_ok = true;
    if (v[kKind] == "n_for_price") {
      p.kind = PromotionKind::kNForPrice;
    } else if (v[kKind] == "buy_x_pay_y") {
      p.kind = PromotionKind::kBuyXPayY;
    } else if (v[kKind] == "mix_match") {
      p.kind = PromotionKind::kMixMatch;
    } else if (v[kKind] == "member_price") {
      p.kind = PromotionKind::kMemberPrice;
    } else {
      kind_ok = false;
      if (row.present[kKind]) {
        err(kKind,
            fmt::format("unknown kind '{}' (expected n_for_price, buy_x_pay_y, mix_match or member_price)", v[kKind]));
      }
    }
    p.name_sv = v[kName];

    // gtins: any GTIN form, separated by spaces, ';' or '|'.
    std::set<std::string> gtins;
    std::string_view rest = v[kGtins];
    while (!rest.empty()) {
      const std::size_t end = rest.find_first_of(" ;|,");
      const std::string_view code = rest.substr(0, end);
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      if (code.empty()) continue;
      auto g = normalize_gtin(code);
      if (!g && code.size() == 8) {
        if (auto upce = normalize_gtin(code, true)) g = std::move(upce);
      }
      if (!g) {
        err(kGtins, fmt::format("'{}': {}", code, g.message()));
      } else if (!gtins.insert(*g).second) {
        err(kGtins, fmt::format("GTIN {} is listed twice", *g));
      }
    }
    p.gtins.assign(gtins.begin(), gtins.end());
    if (row.present[kGtins] && p.gtins.empty() && !row.bad[kGtins]) err(kGtins, "gtins lists no product");
    if (p.gtins.size() > kMaxGtins) err(kGtins, fmt::format("more than {} products", kMaxGtins));

    const auto need_int = [&](Col c, std::int64_t min, std::int64_t max, std::int64_t& out) {
      if (v[c].empty()) {
        err(c, fmt::format("{} is required for kind {}", kNames[c], v[kKind]));
        return false;
      }
      if (auto e = parse_int(v[c], min, max, out)) {
        err(c, *e);
        return false;
      }
      return true;
    };
    const auto must_be_empty = [&](Col c) {
      if (!v[c].empty()) err(c, fmt::format("{} has no meaning for kind {}; leave it empty", kNames[c], v[kKind]));
    };
    std::int64_t n = 0, y = 0;
    if (kind_ok) {
      switch (p.kind) {
        case PromotionKind::kNForPrice:
        case PromotionKind::kMixMatch:
          if (need_int(kQuantity, 2, kMaxQuantity, n)) p.quantity = static_cast<std::uint32_t>(n);
          need_int(kPrice, 1, kMaxPriceOre, p.price_ore);
          must_be_empty(kPayQuantity);
          break;
        case PromotionKind::kBuyXPayY:
          if (need_int(kQuantity, 2, kMaxQuantity, n)) p.quantity = static_cast<std::uint32_t>(n);
          if (need_int(kPayQuantity, 1, kMaxQuantity, y)) {
            p.pay_quantity = static_cast<std::uint32_t>(y);
            if (n >= 2 && y >= n) err(kPayQuantity, fmt::format("pay_quantity {} must be less than quantity {}", y, n));
          }
          must_be_empty(kPrice);
          break;
        case PromotionKind::kMemberPrice:
          p.quantity = 1;
          need_int(kPrice, 1, kMaxPriceOre, p.price_ore);
          if (!v[kQuantity].empty() && v[kQuantity] != "1") err(kQuantity, "a member price is per piece (quantity 1)");
          must_be_empty(kPayQuantity);
          break;
      }
    }
    bool times_ok = true;
    for (const Col c : {kFrom, kUntil}) {
      if (!row.present[c] || row.bad[c]) {
        times_ok = false;
        continue;
      }
      auto t = parse_utc_time(v[c]);
      if (!t) {
        err(c, t.message());
        times_ok = false;
      } else {
        (c == kFrom ? p.from_unix_ms : p.until_unix_ms) = *t;
      }
    }
    if (times_ok && p.until_unix_ms <= p.from_unix_ms) {
      err(kUntil, fmt::format("until {} is not after from {}", v[kUntil], v[kFrom]));
    }
    if (v[kMembersOnly].empty() || v[kMembersOnly] == "0") {
      p.members_only = p.kind == PromotionKind::kMemberPrice;
    } else if (v[kMembersOnly] == "1") {
      p.members_only = true;
    } else {
      err(kMembersOnly, fmt::format("members_only '{}' must be 0 or 1", v[kMembersOnly]));
    }
    for (Col c : kRequired) {
      if (!row.present[c])
        out_.errors.push_back({row.line, std::string(kNames[c]), fmt::format("{} is missing", kNames[c])});
    }
    const bool clean = std::none_of(row.bad.begin(), row.bad.end(), [](bool b) { return b; });
    if (clean && out_.errors.size() == before) {
      out_.promotions.push_back(std::move(p));
      out_.lines.push_back(row.line);
    }
  }

 private:
  ParsedPromotions& out_;
  std::map<std::string, std::uint32_t> ids_;
};

void finish(ParsedPromotions& out) {
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [](const InputError& a, const InputError& b) { return a.line < b.line; });
  if (!out.errors.empty()) {
    out.promotions.clear();
    out.lines.clear();
  }
}

ParsedPromotions parse_csv(std::string_view text) {
  ParsedPromotions out;
  CsvDocument doc = read_csv(text);
  if (doc.records.empty()) {
    for (const auto& e : doc.errors) out.errors.push_back({e.line, "", e.message});
    if (out.errors.empty()) out.errors.push_back({0, "", "the file is empty: expected at least a header row"});
    return out;
  }
  const CsvRecord& header = doc.records.front();
  std::array<int, kCols> pos;
  pos.fill(-1);
  std::vector<std::string> names;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    std::string name(trim(header.fields[k].text));
    names.push_back(name);
    const auto c = col_of(name);
    if (!c) {
      out.errors.push_back(
          {header.line, name, fmt::format("unknown column '{}' (known: {})", name, fmt::join(kNames, ", "))});
    } else if (pos[*c] >= 0) {
      out.errors.push_back({header.line, name, fmt::format("column '{}' appears twice in the header", name)});
    } else {
      pos[*c] = static_cast<int>(k);
    }
  }
  for (Col c : kRequired) {
    if (pos[c] < 0) {
      out.errors.push_back({header.line, std::string(kNames[c]),
                            fmt::format("required column '{}' is missing from the header", kNames[c])});
    }
  }
  if (!out.errors.empty()) {  // without a usable header the rows cannot be read
    finish(out);
    return out;
  }
  // Records the reader dropped (syntax, length) are listed; the other rows are still checked.
  for (const auto& e : doc.errors) {
    out.errors.push_back(
        {e.line, e.field_index < names.size() ? names[e.field_index] : fmt::format("field {}", e.field_index + 1),
         e.message});
  }
  Checker checker(out);
  for (std::size_t r = 1; r < doc.records.size(); ++r) {
    const CsvRecord& rec = doc.records[r];
    if (rec.fields.size() != header.fields.size()) {
      out.errors.push_back(
          {rec.line, "",
           fmt::format("the row has {} fields but the header has {}", rec.fields.size(), header.fields.size())});
      continue;
    }
    Row row;
    row.line = rec.line;
    for (int c = 0; c < kCols; ++c) {
      if (pos[c] >= 0) checker.set(row, static_cast<Col>(c), rec.fields[static_cast<std::size_t>(pos[c])].text);
    }
    checker.check(row);
  }
  finish(out);
  return out;
}

ParsedPromotions parse_jsonl(std::string_view text) {
  ParsedPromotions out;
  Checker checker(out);
  // Encoding, blank lines and the record limit: the same line reader as catalog pushes.
  const auto on_error = [&](std::uint32_t line, std::string message) {
    out.errors.push_back({line, "", std::move(message)});
  };
  read_json_objects(
      text,
      [&](std::uint32_t line, const nlohmann::json& obj) {
        Row row;
        row.line = line;
        for (const auto& [key, value] : obj.items()) {
          const auto c = col_of(key);
          if (!c) {
            out.errors.push_back(
                {line, key, fmt::format("unknown field '{}' (known: {})", key, fmt::join(kNames, ", "))});
            continue;
          }
          std::string t;
          if (value.is_string()) {
            t = value.get<std::string>();
          } else if (value.is_boolean()) {
            t.assign(1, value.get<bool>() ? '1' : '0');
          } else if (value.is_number_integer()) {
            t = value.dump();
          } else if (value.is_null()) {
          } else if (value.is_array() && *c == kGtins &&
                     std::all_of(value.begin(), value.end(), [](const auto& e) { return e.is_string(); })) {
            for (const auto& e : value) t += e.template get<std::string>() + " ";
          } else {
            out.errors.push_back({line, key, "must be a string, whole number, true/false or null"});
            row.present[*c] = true;
            row.bad[*c] = true;
            continue;
          }
          checker.set(row, *c, t);
        }
        checker.check(row);
      },
      on_error, "");
  finish(out);
  return out;
}

// Format 2 writes string lengths as u32 like products (record_codec.h); format 1 (u64 lengths) is still read.
constexpr char kPromotionFormat = 2;
constexpr char kPromotionFormatU64Lengths = 1;

}  // namespace

std::string_view promotion_kind_name(PromotionKind k) {
  switch (k) {
    case PromotionKind::kNForPrice:
      return "n_for_price";
    case PromotionKind::kBuyXPayY:
      return "buy_x_pay_y";
    case PromotionKind::kMixMatch:
      return "mix_match";
    case PromotionKind::kMemberPrice:
      return "member_price";
  }
  return "?";
}

std::string receipt_text(const Promotion& p) {
  if (!p.name_sv.empty()) return p.name_sv;
  // Kronor without öre when whole ("25 kr"), else with a decimal comma ("24,90 kr").
  const auto kr = [](Ore ore) {
    return ore % 100 == 0 ? fmt::format("{} kr", ore / 100) : fmt::format("{},{:02} kr", ore / 100, ore % 100);
  };
  switch (p.kind) {
    case PromotionKind::kNForPrice:
      return fmt::format("{} för {}", p.quantity, kr(p.price_ore));
    case PromotionKind::kBuyXPayY:
      return fmt::format("Köp {} betala för {}", p.quantity, p.pay_quantity);
    case PromotionKind::kMixMatch:
      return fmt::format("Valfria {} för {}", p.quantity, kr(p.price_ore));
    case PromotionKind::kMemberPrice:
      return "Medlemspris";
  }
  return "Rabatt";
}

ParsedPromotions parse_promotions(std::string_view text, InputFormat format) {
  return format == InputFormat::kJsonl ? parse_jsonl(text) : parse_csv(text);
}

std::string encode_promotion(const Promotion& p) {
  RecordWriter w;
  w.u8(static_cast<std::uint8_t>(kPromotionFormat));
  w.str(p.id);
  w.u64(static_cast<std::uint64_t>(p.kind));
  w.str(p.name_sv);
  w.u64(p.gtins.size());
  for (const auto& g : p.gtins) w.str(g);
  w.u64(p.quantity);
  w.u64(p.pay_quantity);
  w.u64(static_cast<std::uint64_t>(p.price_ore));
  w.u64(static_cast<std::uint64_t>(p.from_unix_ms));
  w.u64(static_cast<std::uint64_t>(p.until_unix_ms));
  w.u64(p.members_only ? 1 : 0);
  return std::move(w).take();
}

Result<Promotion> decode_promotion(std::string_view bytes) {
  if (bytes.empty() || (bytes[0] != kPromotionFormat && bytes[0] != kPromotionFormatU64Lengths)) {
    return data_loss("promotion record: unknown format");
  }
  RecordReader r(bytes.substr(1));
  const bool u64_lengths = bytes[0] == kPromotionFormatU64Lengths;
  const auto str = [&] { return u64_lengths ? r.str_u64_length() : r.str(); };
  Promotion p;
  p.id = str();
  const std::uint64_t kind = r.u64();
  p.name_sv = str();
  const std::uint64_t n = r.u64();
  if (n > kMaxGtins) return data_loss("promotion record: too many products");
  for (std::uint64_t i = 0; i < n && r.ok(); ++i) p.gtins.push_back(str());
  p.quantity = static_cast<std::uint32_t>(r.u64());
  p.pay_quantity = static_cast<std::uint32_t>(r.u64());
  p.price_ore = static_cast<std::int64_t>(r.u64());
  p.from_unix_ms = static_cast<std::int64_t>(r.u64());
  p.until_unix_ms = static_cast<std::int64_t>(r.u64());
  p.members_only = r.u64() != 0;
  if (!r.ok() || !r.at_end()) return data_loss("promotion record: truncated or oversized");
  if (kind < 1 || kind > 4) return data_loss("promotion record: bad kind");
  p.kind = static_cast<PromotionKind>(kind);
  return p;
}

}  // namespace kiosk::catalog
