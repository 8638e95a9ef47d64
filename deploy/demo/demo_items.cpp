#include "demo_items.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "catalog/catalog_csv.h"

namespace kiosk::demo {
namespace {

Result<std::vector<catalog::Product>> read_catalog(const std::filesystem::path& csv) {
  std::ifstream in(csv, std::ios::binary);
  if (!in) return not_found(fmt::format("cannot read catalog {}", csv));
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = catalog::parse_catalog_csv(text.str());
  if (!parsed.errors.empty()) {
    const auto& e = parsed.errors.front();
    return invalid_argument(fmt::format("{}:{}: {}: {}", csv, e.line, e.column, e.message));
  }
  return parsed.products;
}

// What the camera sees: the GTIN-14 without the leading zeros of its shorter form (EAN-13 here).
std::string printed_code(const std::string& gtin14) {
  return gtin14.substr(1);
}

// The payment terminal simulator declines amounts whose öre end in these (Adyen's test cards).
bool declined_amount(long long ore) {
  const long long last3 = ore % 1000;
  return (last3 >= 124 && last3 <= 128) || last3 == 134;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

Result<std::vector<DemoItem>> pick_demo_items(const std::filesystem::path& catalog_csv, std::size_t count) {
  auto products = read_catalog(catalog_csv);
  if (!products) return products.error();
  std::vector<DemoItem> items;
  long long total = 0;
  for (const auto& p : *products) {
    if (items.size() == count) break;
    const bool everyday = p.unit == catalog::SaleUnit::kEach && !p.no_weigh && p.age_limit == 0 &&
                          p.deposit_code.empty() && p.expected_weight_mg > 0 && p.gtin14[0] == '0';
    if (!everyday || declined_amount(total + p.price_ore)) continue;
    items.push_back({printed_code(p.gtin14), p.name_sv, p.price_ore});
    total += p.price_ore;
  }
  if (items.size() < count) {
    return not_found(fmt::format("{} has fewer than {} everyday items for the demo", catalog_csv, count));
  }
  return items;
}

Result<DemoItem> find_deposit_item(const std::filesystem::path& catalog_csv) {
  auto products = read_catalog(catalog_csv);
  if (!products) return products.error();
  for (const auto& p : *products) {
    if (!p.deposit_code.empty() && p.unit == catalog::SaleUnit::kEach && !p.no_weigh && p.age_limit == 0 &&
        p.expected_weight_mg > 0 && p.gtin14[0] == '0') {
      return DemoItem{printed_code(p.gtin14), p.name_sv, p.price_ore};
    }
  }
  return not_found(fmt::format("{} has no bottle or can with a deposit code", catalog_csv));
}

Result<DemoItem> find_item_priced(const std::filesystem::path& catalog_csv, long long price_ore) {
  auto products = read_catalog(catalog_csv);
  if (!products) return products.error();
  for (const auto& p : *products) {
    if (p.price_ore == price_ore && p.unit == catalog::SaleUnit::kEach && p.gtin14[0] == '0') {
      return DemoItem{printed_code(p.gtin14), p.name_sv, p.price_ore};
    }
  }
  return not_found(fmt::format("{} has no item priced {} öre", catalog_csv, price_ore));
}

namespace {
std::vector<std::filesystem::path> screenshots(const std::filesystem::path& dir, const std::string& state) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  const std::string want = lower("-" + state + ".png");
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = lower(e.path().filename().string());
    // NNN-<state>.png, whatever case the UI writes the state in.
    const std::string squashed = [&] {
      std::string s;
      for (char c : name)
        if (c != '_') s.push_back(c);
      return s;
    }();
    std::string want_squashed;
    for (char c : want)
      if (c != '_') want_squashed.push_back(c);
    if (squashed.ends_with(want_squashed)) out.push_back(e.path());
  }
  return out;
}
}  // namespace

bool screenshot_of(const std::filesystem::path& dir, const std::string& state) {
  return !screenshots(dir, state).empty();
}

int screenshot_count(const std::filesystem::path& dir, const std::string& state) {
  return static_cast<int>(screenshots(dir, state).size());
}

}  // namespace kiosk::demo
