#include "catalog_csv.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <future>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/gtin.h"
#include "csv_reader.h"
#include "json_lines.h"
#include "schedule.h"

namespace kiosk::catalog {
namespace {

enum Column : int {
  kGtin,
  kNameSv,
  kNameEn,
  kBrand,
  kDepartment,
  kPriceOre,
  kUnit,
  kVatClass,
  kDepositCode,
  kAgeLimit,
  kExpectedWeight,
  kWeightSpread,
  kNoWeigh,
  kPlu,
  kImage,
  kStockQuantity,
  kLowStockThreshold,
  kNewPriceOre,
  kNewPriceFrom,
  kColumnCount
};

constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "gtin",          "name_sv",   "name_en",      "brand",          "department",          "price_ore",
    "unit",          "vat_class", "deposit_code", "age_limit",      "expected_weight_mg",  "weight_spread_mg",
    "no_weigh",      "plu",       "image",        "stock_quantity", "low_stock_threshold", "new_price_ore",
    "new_price_from"};
constexpr std::array<Column, 4> kRequired = {kGtin, kNameSv, kPriceOre, kVatClass};

constexpr std::int64_t kMaxPriceOre = 100'000'000;  // 1 000 000 kr: beyond it is a typo
constexpr std::int64_t kMaxWeightMg = 100'000'000;  // 100 kg: the bagging scale's range
constexpr std::size_t kMaxTextBytes = 500;

// A GTIN-14 (14 digits, already checked) as a number: the same order and identity as its text.
std::uint64_t gtin14_number(std::string_view gtin14) {
  std::uint64_t v = 0;
  std::from_chars(gtin14.data(), gtin14.data() + gtin14.size(), v);
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A non-negative integer up to `max`; the error says why not.
std::optional<std::string> parse_count(std::string_view s, std::int64_t max, std::int64_t& out) {
  if (!s.empty() && s.front() == '-') return fmt::format("'{}' is negative", s);
  if (!all_digits(s)) return fmt::format("'{}' is not a whole number (digits only, no decimals or units)", s);
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > max) {
    return fmt::format("'{}' is larger than the limit {}", s, max);
  }
  out = v;
  return std::nullopt;
}

std::optional<Column> column_of(std::string_view name) {
  const auto it = std::find(kColumnNames.begin(), kColumnNames.end(), name);
  if (it == kColumnNames.end()) return std::nullopt;
  return static_cast<Column>(it - kColumnNames.begin());
}

std::string unknown_column_message(std::string_view name) {
  return fmt::format("unknown column '{}' (known: {})", name, fmt::join(kColumnNames, ", "));
}

// Line of byte `offset` inside a field that may span lines.
std::uint32_t line_at(const CsvField& f, std::size_t offset) {
  return f.line + static_cast<std::uint32_t>(
                      std::count(f.text.begin(), f.text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// One input row's columns as text, whatever the file format.
struct RowText {
  std::uint32_t line = 0;
  std::array<std::string, kColumnCount> v;          // trimmed; empty when absent
  std::array<std::uint32_t, kColumnCount> vline{};  // line where each column's value starts
  std::array<bool, kColumnCount> present{};         // the column is in the file (CSV) or row (JSONL)
  std::array<bool, kColumnCount> text_bad{};        // already reported: skip content checks
};

// Checks rows one by one, collecting every error and the clean products.
class RowChecker {
 public:
  explicit RowChecker(ParsedCatalog& out) : out_(out) {}

  // Sets a column from raw text, checking UTF-8, length and control characters. `line_of(offset)` gives
  // the line of a byte inside the value (values may span lines).
  template <typename LineOf>
  void set_text(RowText& row, Column c, std::string_view raw, std::uint32_t line, LineOf line_of) {
    row.present[c] = true;
    row.vline[c] = line;
    const auto fail = [&](std::uint32_t at, std::string message) {
      out_.errors.push_back({at, std::string(kColumnNames[c]), std::move(message)});
      row.text_bad[c] = true;
    };
    if (const auto bad = find_invalid_utf8(raw); bad != std::string_view::npos) {
      return fail(line_of(bad), fmt::format("invalid UTF-8 at byte {} of the field (byte 0x{:02X}); save the "
                                            "file as UTF-8",
                                            bad + 1, static_cast<unsigned char>(raw[bad])));
    }
    const std::string_view t = trim(raw);
    if (t.size() > kMaxTextBytes) return fail(line, fmt::format("longer than {} bytes", kMaxTextBytes));
    if (std::any_of(t.begin(), t.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; })) {
      return fail(line, "contains a line break or control character");
    }
    row.v[c].assign(t);
  }

  // Moves the row's texts into the product.
  void check(RowText& row);

 private:
  ParsedCatalog& out_;
  // GTIN-14 (14 digits fit in 64 bits) -> first line, for duplicates: hashed, a million pushes a row.
  std::unordered_map<std::uint64_t, std::uint32_t> gtin_lines_;
  std::unordered_map<std::string, std::uint32_t> plu_lines_;
};

void RowChecker::check(RowText& row) {
  auto& errors = out_.errors;
  const std::size_t errors_before = errors.size();
  const auto& v = row.v;
  const auto& vline = row.vline;
  const auto err = [&](Column c, std::uint32_t line, std::string message) {
    if (row.text_bad[c]) return;  // one error per column: bad text hides content checks
    errors.push_back({line, std::string(kColumnNames[c]), std::move(message)});
  };
  const bool text_clean = std::none_of(row.text_bad.begin(), row.text_bad.end(), [](bool b) { return b; });

  Product p;
  // gtin: any GTIN form; 8 digits read as EAN-8, else as UPC-E.
  if (row.present[kGtin]) {
    const std::string& code = v[kGtin];
    if (code.empty()) {
      err(kGtin, vline[kGtin], "gtin is empty");
    } else {
      auto g = normalize_gtin(code);
      if (!g && code.size() == 8 && all_digits(code)) {
        if (auto upce = normalize_gtin(code, true)) g = std::move(upce);
      }
      if (!g) {
        err(kGtin, vline[kGtin], g.message());
      } else {
        p.gtin14 = *g;
        const auto [it, fresh] = gtin_lines_.emplace(gtin14_number(p.gtin14), row.line);
        if (!fresh) {
          err(kGtin, vline[kGtin], fmt::format("duplicate GTIN {} (first on line {})", p.gtin14, it->second));
        }
      }
    }
  }
  if (row.present[kNameSv] && v[kNameSv].empty()) err(kNameSv, vline[kNameSv], "name_sv is empty");
  p.name_sv = std::move(row.v[kNameSv]);
  p.name_en = std::move(row.v[kNameEn]);
  p.brand = std::move(row.v[kBrand]);
  p.department = std::move(row.v[kDepartment]);
  p.image = std::move(row.v[kImage]);

  if (row.present[kPriceOre]) {
    if (v[kPriceOre].empty()) {
      err(kPriceOre, vline[kPriceOre], "price_ore is empty");
    } else if (auto e = parse_count(v[kPriceOre], kMaxPriceOre, p.price_ore)) {
      err(kPriceOre, vline[kPriceOre], "price in öre: " + *e);
    }
  }
  if (v[kUnit].empty() || v[kUnit] == "each") {
    p.unit = SaleUnit::kEach;
  } else if (v[kUnit] == "kg") {
    p.unit = SaleUnit::kPerKg;
  } else {
    err(kUnit, vline[kUnit], fmt::format("unknown unit '{}' (expected each or kg)", v[kUnit]));
  }
  if (row.present[kVatClass]) {
    if (v[kVatClass].empty()) {
      err(kVatClass, vline[kVatClass], "vat_class is empty (expected standard, food, reduced or exempt)");
    } else if (auto vc = parse_vat_class(v[kVatClass])) {
      p.vat_class = *vc;
    } else {
      err(kVatClass, vline[kVatClass], vc.message());
    }
  }
  p.deposit_code = v[kDepositCode];
  if (!std::all_of(p.deposit_code.begin(), p.deposit_code.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
      })) {
    err(kDepositCode, vline[kDepositCode],
        fmt::format("deposit_code '{}' may hold only letters, digits, - and _", p.deposit_code));
  }
  if (!v[kAgeLimit].empty()) {
    std::int64_t age = 0;
    if (auto e = parse_count(v[kAgeLimit], 99, age)) {
      err(kAgeLimit, vline[kAgeLimit], "age limit in years: " + *e);
    } else {
      p.age_limit = static_cast<std::uint32_t>(age);
    }
  }
  bool weights_ok = !row.text_bad[kExpectedWeight] && !row.text_bad[kWeightSpread];
  if (!v[kExpectedWeight].empty()) {
    if (auto e = parse_count(v[kExpectedWeight], kMaxWeightMg, p.expected_weight_mg)) {
      err(kExpectedWeight, vline[kExpectedWeight], "weight in mg: " + *e);
      weights_ok = false;
    }
  }
  if (!v[kWeightSpread].empty()) {
    if (auto e = parse_count(v[kWeightSpread], kMaxWeightMg, p.weight_spread_mg)) {
      err(kWeightSpread, vline[kWeightSpread], "weight in mg: " + *e);
      weights_ok = false;
    }
  }
  if (weights_ok && p.weight_spread_mg > 0 && p.expected_weight_mg == 0) {
    err(kWeightSpread, vline[kWeightSpread], "weight_spread_mg is set but expected_weight_mg is not");
  } else if (weights_ok && p.weight_spread_mg > p.expected_weight_mg) {
    err(kWeightSpread, vline[kWeightSpread],
        fmt::format("weight_spread_mg {} is larger than expected_weight_mg {}", p.weight_spread_mg,
                    p.expected_weight_mg));
  }
  if (v[kNoWeigh].empty() || v[kNoWeigh] == "0") {
    p.no_weigh = false;
  } else if (v[kNoWeigh] == "1") {
    p.no_weigh = true;
  } else {
    err(kNoWeigh, vline[kNoWeigh], fmt::format("no_weigh '{}' must be 0 or 1", v[kNoWeigh]));
  }
  if (!v[kPlu].empty()) {
    p.plu = v[kPlu];
    if (!all_digits(p.plu) || p.plu.size() < 4 || p.plu.size() > 6) {
      err(kPlu, vline[kPlu], fmt::format("PLU '{}' must be 4 to 6 digits", p.plu));
    } else if (const auto [it, fresh] = plu_lines_.emplace(p.plu, row.line); !fresh) {
      err(kPlu, vline[kPlu], fmt::format("duplicate PLU {} (first on line {})", p.plu, it->second));
    }
  }
  constexpr std::int64_t kMaxStock = 1'000'000'000;
  if (!v[kStockQuantity].empty()) {
    std::int64_t q = 0;
    if (auto e = parse_count(v[kStockQuantity], kMaxStock, q)) {
      err(kStockQuantity, vline[kStockQuantity], "stock in pieces (grams for kg goods): " + *e);
    } else {
      p.stock_quantity = q;
    }
  }
  if (!v[kLowStockThreshold].empty()) {
    if (auto e = parse_count(v[kLowStockThreshold], kMaxStock, p.low_stock_threshold)) {
      err(kLowStockThreshold, vline[kLowStockThreshold], "stock in pieces (grams for kg goods): " + *e);
    }
  }
  // A scheduled price needs both columns.
  if (!v[kNewPriceOre].empty() || !v[kNewPriceFrom].empty()) {
    PriceChange change;
    bool ok = true;
    if (v[kNewPriceOre].empty()) {
      err(kNewPriceOre, vline[kNewPriceOre], "new_price_from is set but new_price_ore is not");
      ok = false;
    } else if (auto e = parse_count(v[kNewPriceOre], kMaxPriceOre, change.price_ore)) {
      err(kNewPriceOre, vline[kNewPriceOre], "price in öre: " + *e);
      ok = false;
    }
    if (v[kNewPriceFrom].empty()) {
      err(kNewPriceFrom, vline[kNewPriceFrom], "new_price_ore is set but new_price_from (when it applies) is not");
      ok = false;
    } else if (auto t = parse_utc_time(v[kNewPriceFrom])) {
      change.from_unix_ms = *t;
    } else {
      err(kNewPriceFrom, vline[kNewPriceFrom], t.message());
      ok = false;
    }
    if (ok) p.scheduled_price = change;
  }
  if (text_clean && errors.size() == errors_before) {
    out_.products.push_back(std::move(p));
    out_.lines.push_back(row.line);
  }
}

// Errors in file order; no products once there is an error.
void finish(ParsedCatalog& out, std::uint32_t header_line) {
  if (out.errors.empty() && out.products.empty()) {
    out.errors.push_back({header_line, "", "the file has no products"});
  }
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [](const InputError& a, const InputError& b) { return a.line < b.line; });
  if (!out.errors.empty()) {
    out.products.clear();
    out.lines.clear();
  }
}

}  // namespace

namespace {

// The whole push on this thread: every error, in file order.
ParsedCatalog parse_catalog_csv_one_thread(std::string_view text) {
  ParsedCatalog out;
  auto& errors = out.errors;
  // The first record read is the header: which column is in which position (-1 for absent). Rows are
  // checked as the reader streams them, so the push is never held as CSV records all at once.
  bool have_header = false;
  std::uint32_t header_line = 0;
  std::size_t header_fields = 0;
  std::array<int, kColumnCount> pos;
  pos.fill(-1);
  std::vector<std::string> names;  // by position, for naming columns in errors
  RowChecker checker(out);

  const auto read_header = [&](const CsvRecord& header) {
    have_header = true;
    header_line = header.line;
    header_fields = header.fields.size();
    for (std::size_t k = 0; k < header.fields.size(); ++k) {
      std::string name(trim(header.fields[k].text));
      std::transform(name.begin(), name.end(), name.begin(),
                     [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
      names.push_back(name);
      const auto c = column_of(name);
      if (!c) {
        errors.push_back({header.line, name, unknown_column_message(name)});
        continue;
      }
      auto& p = pos[*c];
      if (p >= 0) {
        errors.push_back({header.line, name, fmt::format("column '{}' appears twice in the header", name)});
        continue;
      }
      p = static_cast<int>(k);
    }
    for (Column c : kRequired) {
      if (pos[c] < 0) {
        errors.push_back({header.line, std::string(kColumnNames[c]),
                          fmt::format("required column '{}' is missing from the header", kColumnNames[c])});
      }
    }
  };
  const auto read_row = [&](CsvRecord& rec) {
    if (rec.fields.size() != header_fields) {
      errors.push_back({rec.line, "",
                        fmt::format("the row has {} fields but the header has {} (a missing comma, or a "
                                    "comma inside an unquoted field?)",
                                    rec.fields.size(), header_fields)});
      return;
    }
    RowText row;
    row.line = rec.line;
    row.vline.fill(rec.line);
    for (int c = 0; c < kColumnCount; ++c) {
      if (pos[c] < 0) continue;
      const CsvField& f = rec.fields[static_cast<std::size_t>(pos[c])];
      checker.set_text(row, static_cast<Column>(c), f.text, f.line,
                       [&](std::size_t offset) { return line_at(f, offset); });
    }
    checker.check(row);
  };
  for_each_csv_record(
      text,
      [&](CsvRecord& rec) {
        if (!have_header) {
          read_header(rec);
        } else {
          read_row(rec);
        }
      },
      // Syntax errors from the reader, named by column when the header gives one.
      [&](CsvSyntaxError e) {
        std::string column;
        if (have_header) {
          column = e.field_index < names.size() ? names[e.field_index] : fmt::format("field {}", e.field_index + 1);
        }
        errors.push_back({e.line, std::move(column), std::move(e.message)});
      });
  if (!have_header) {
    if (errors.empty()) errors.push_back({0, "", "the file is empty: expected a header row and products"});
    return out;
  }
  finish(out, header_line);
  return out;
}

// Large pushes without quotes or CR are read as two halves on two threads (split at a line break:
// without quotes a line break always ends a record). Only a clean push is taken from here: any error,
// or a GTIN/PLU in both halves, returns nullopt and the caller reads the whole push again on one
// thread, so the errors reported are exactly the one-thread reader's.
constexpr std::size_t kTwoThreadMinBytes = 4u << 20;

std::optional<ParsedCatalog> parse_catalog_csv_two_threads(std::string_view text) {
  if (text.size() < kTwoThreadMinBytes || text.find_first_of("\"\r") != std::string_view::npos) return std::nullopt;
  const std::size_t header_end = text.find('\n');
  if (header_end == std::string_view::npos) return std::nullopt;
  std::size_t split = text.find('\n', header_end + 1 + (text.size() - header_end) / 2);
  if (split == std::string_view::npos) return std::nullopt;
  ++split;  // the second half starts on a line of its own
  // The second half gets the header in front of it; its line k (k >= 2) is line lines_before + k - 1.
  const auto lines_before =
      static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(split), '\n'));
  std::string second;
  second.reserve(header_end + 1 + text.size() - split);
  second.append(text.substr(0, header_end + 1)).append(text.substr(split));
  auto later = std::async(std::launch::async, [&second] { return parse_catalog_csv_one_thread(second); });
  ParsedCatalog out = parse_catalog_csv_one_thread(text.substr(0, split));
  ParsedCatalog back = later.get();
  if (!out.errors.empty() || !back.errors.empty()) return std::nullopt;
  std::unordered_set<std::uint64_t> gtins;
  std::unordered_set<std::string> plus;
  gtins.reserve(out.products.size());
  for (const Product& p : out.products) {
    gtins.insert(gtin14_number(p.gtin14));
    if (!p.plu.empty()) plus.insert(p.plu);
  }
  for (const Product& p : back.products) {
    if (gtins.count(gtin14_number(p.gtin14)) != 0 || (!p.plu.empty() && plus.count(p.plu) != 0)) return std::nullopt;
  }
  out.products.reserve(out.products.size() + back.products.size());
  std::move(back.products.begin(), back.products.end(), std::back_inserter(out.products));
  out.lines.reserve(out.lines.size() + back.lines.size());
  for (const std::uint32_t line : back.lines) out.lines.push_back(lines_before + line - 1);
  return out;
}

}  // namespace

ParsedCatalog parse_catalog_csv(std::string_view text) {
  if (auto fast = parse_catalog_csv_two_threads(text)) return std::move(*fast);
  return parse_catalog_csv_one_thread(text);
}

ParsedCatalog parse_catalog_jsonl(std::string_view text) {
  ParsedCatalog out;
  auto& errors = out.errors;
  RowChecker checker(out);
  const auto on_error = [&](std::uint32_t line, std::string message) {
    errors.push_back({line, "", std::move(message)});
  };
  read_json_objects(
      text,
      [&](std::uint32_t line, const nlohmann::json& obj) {
        RowText row;
        row.line = line;
        row.vline.fill(line);
        for (const auto& [key, value] : obj.items()) {
          const auto c = column_of(key);
          if (!c) {
            errors.push_back({line, key, unknown_column_message(key)});
            continue;
          }
          std::string value_text;
          if (value.is_string()) {
            value_text = value.get<std::string>();
          } else if (value.is_boolean()) {
            value_text.assign(1, value.get<bool>() ? '1' : '0');
          } else if (value.is_number() || value.is_null()) {
            value_text = value.is_null() ? "" : value.dump();
          } else {
            errors.push_back({line, key, "must be a string, number, true/false or null"});
            row.present[*c] = true;
            row.text_bad[*c] = true;
            continue;
          }
          checker.set_text(row, *c, value_text, line, [&](std::size_t) { return line; });
        }
        for (Column c : kRequired) {
          if (!row.present[c]) {
            errors.push_back(
                {line, std::string(kColumnNames[c]), fmt::format("required field '{}' is missing", kColumnNames[c])});
          }
        }
        // Checked even when the shape is wrong, to list every error; any error keeps every product out.
        checker.check(row);
      },
      on_error, "{\"gtin\": ..., ...}");
  finish(out, 0);
  return out;
}

ParsedCatalog parse_catalog(std::string_view text, InputFormat format) {
  return format == InputFormat::kJsonl ? parse_catalog_jsonl(text) : parse_catalog_csv(text);
}

}  // namespace kiosk::catalog
