// Seeded randomized test of the CSV and JSON Lines push readers: valid pushes round-trip, and random
// mutations of them (byte flips, truncations, inserted quotes, line breaks, NULs, commas, deletions,
// repeated chunks) never crash, and either parse or give errors that each name a line.
// KIOSK_FUZZ_ITERATIONS overrides the number of mutated pushes per format (default 3000).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

#include "catalog/catalog_csv.h"
#include "common/gtin.h"

using kiosk::catalog::InputFormat;
using kiosk::catalog::ParsedCatalog;
using kiosk::catalog::Product;
using kiosk::catalog::SaleUnit;

namespace {

constexpr std::uint32_t kSeed = 20261127;

int iterations() {
  const char* env = std::getenv("KIOSK_FUZZ_ITERATIONS");
  return env != nullptr ? std::max(1, std::atoi(env)) : 3000;
}

const std::vector<std::string> kWords = {"Mjölk", "ÄPPLE",  "smör", "Bröd \"special\"", "kaffe, mörkrost",
                                         "Crème", "Ost",    "",     "te 'earl grey'",   "Åkerö 1,5 %",
                                         "x",     "Яблоко", "🍌"};

std::string pick(std::mt19937& rng, const std::vector<std::string>& v) {
  return v[rng() % v.size()];
}

std::vector<Product> random_products(std::mt19937& rng, std::size_t n) {
  std::vector<Product> out;
  for (std::size_t i = 0; i < n; ++i) {
    Product p;
    const std::string body = fmt::format("73{:010}", (rng() % 100'000'000ULL) * 100 + i);  // unique: i < 100
    p.gtin14 = "0" + body + kiosk::gtin_check_digit(body);
    p.name_sv = pick(rng, kWords) + " " + pick(rng, kWords) + std::to_string(i);  // never empty
    p.name_en = pick(rng, kWords);
    p.brand = pick(rng, kWords);
    p.department = pick(rng, kWords);
    p.price_ore = static_cast<kiosk::Ore>(rng() % 100'000);
    p.unit = rng() % 3 == 0 ? SaleUnit::kPerKg : SaleUnit::kEach;
    p.vat_class = rng() % 2 == 0 ? kiosk::VatClass::kFood : kiosk::VatClass::kStandard;
    p.age_limit = rng() % 4 == 0 ? 18 : 0;
    p.expected_weight_mg = static_cast<kiosk::Milligrams>(rng() % 2'000'000 + 1000);
    p.weight_spread_mg = p.expected_weight_mg / 50;
    p.no_weigh = rng() % 5 == 0;
    p.image = rng() % 2 == 0 ? fmt::format("img{}.png", i) : "";
    out.push_back(std::move(p));
  }
  return out;
}

// RFC 4180 quoting, for fields with commas, quotes or leading/trailing spaces.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos && (s.empty() || (s.front() != ' ' && s.back() != ' '))) {
    return s;
  }
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

const char* vat_name(kiosk::VatClass v) {
  return v == kiosk::VatClass::kFood ? "food" : "standard";
}

std::string to_csv(const std::vector<Product>& ps, bool crlf) {
  const char* eol = crlf ? "\r\n" : "\n";
  std::string out = fmt::format(
      "gtin,name_sv,name_en,brand,department,price_ore,unit,vat_class,age_limit,expected_weight_mg,"
      "weight_spread_mg,no_weigh,image{}",
      eol);
  for (const auto& p : ps) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}{}", p.gtin14, csv_field(p.name_sv), csv_field(p.name_en),
                       csv_field(p.brand), csv_field(p.department), p.price_ore,
                       p.unit == SaleUnit::kPerKg ? "kg" : "each", vat_name(p.vat_class), p.age_limit,
                       p.expected_weight_mg, p.weight_spread_mg, p.no_weigh ? 1 : 0, csv_field(p.image), eol);
  }
  return out;
}

std::string to_jsonl(const std::vector<Product>& ps) {
  std::string out;
  for (const auto& p : ps) {
    nlohmann::json j = {{"gtin", p.gtin14},
                        {"name_sv", p.name_sv},
                        {"name_en", p.name_en},
                        {"brand", p.brand},
                        {"department", p.department},
                        {"price_ore", p.price_ore},
                        {"unit", p.unit == SaleUnit::kPerKg ? "kg" : "each"},
                        {"vat_class", vat_name(p.vat_class)},
                        {"age_limit", p.age_limit},
                        {"expected_weight_mg", p.expected_weight_mg},
                        {"weight_spread_mg", p.weight_spread_mg},
                        {"no_weigh", p.no_weigh},
                        {"image", p.image}};
    out += j.dump() + "\n";
  }
  return out;
}

// The reader trims spaces around values; compare what was meant.
std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

void check_round_trip(const std::vector<Product>& want, const ParsedCatalog& got) {
  REQUIRE(got.errors.empty());
  REQUIRE(got.products.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const Product& a = want[i];
    const Product& b = got.products[i];
    INFO("product " << i << " " << a.name_sv);
    CHECK(b.gtin14 == a.gtin14);
    CHECK(b.name_sv == trimmed(a.name_sv));
    CHECK(b.name_en == trimmed(a.name_en));
    CHECK(b.brand == trimmed(a.brand));
    CHECK(b.department == trimmed(a.department));
    CHECK(b.price_ore == a.price_ore);
    CHECK(b.unit == a.unit);
    CHECK(b.vat_class == a.vat_class);
    CHECK(b.age_limit == a.age_limit);
    CHECK(b.expected_weight_mg == a.expected_weight_mg);
    CHECK(b.weight_spread_mg == a.weight_spread_mg);
    CHECK(b.no_weigh == a.no_weigh);
    CHECK(b.image == a.image);
  }
}

std::string mutate(std::mt19937& rng, std::string s) {
  const int n = 1 + static_cast<int>(rng() % 4);
  static const std::string kInserts[] = {"\"",   "\n",      std::string(1, '\0'), ",", "\r", "\"\"", "{", "}",
                                         "\xC3", "\xFF\xFE"};
  for (int k = 0; k < n; ++k) {
    const std::size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 6) {
      case 0:  // flip a byte
        if (!s.empty()) s[std::min(at, s.size() - 1)] = static_cast<char>(rng() % 256);
        break;
      case 1:  // truncate
        s.resize(at);
        break;
      case 2:
      case 3:  // insert a quote, line break, NUL, comma, stray lead byte...
        s.insert(at, kInserts[rng() % std::size(kInserts)]);
        break;
      case 4:  // delete a few bytes
        s.erase(at, rng() % 8);
        break;
      case 5: {  // repeat a chunk (duplicates rows, splits fields)
        const std::size_t len = s.empty() ? 0 : rng() % std::min<std::size_t>(s.size(), 200);
        const std::size_t from = s.size() > len ? rng() % (s.size() - len) : 0;
        s.insert(at, s.substr(from, len));
        break;
      }
    }
  }
  return s;
}

std::uint32_t line_count(const std::string& s) {
  return static_cast<std::uint32_t>(std::count(s.begin(), s.end(), '\n') + std::count(s.begin(), s.end(), '\r') + 1);
}

// Whatever the input: no crash, and either products (with their lines) or errors that name lines.
void check_outcome(const std::string& text, const ParsedCatalog& got) {
  if (got.errors.empty()) {
    CHECK(!got.products.empty());
    CHECK(got.lines.size() == got.products.size());
    CHECK(std::is_sorted(got.lines.begin(), got.lines.end()));
    return;
  }
  CHECK(got.products.empty());
  for (const auto& e : got.errors) {
    INFO(e.line << ": " << e.column << ": " << e.message);
    CHECK(!e.message.empty());
    // Line 0 only for a file with nothing in it at all.
    const bool whole_file =
        e.message.find("empty") != std::string::npos || e.message.find("no products") != std::string::npos;
    CHECK((e.line >= 1 || whole_file));
    CHECK(e.line <= line_count(text));
  }
}

}  // namespace

TEST_CASE("fuzz: valid pushes round-trip through the CSV and JSON Lines readers") {
  std::mt19937 rng(kSeed);
  for (int round = 0; round < 20; ++round) {
    const auto products = random_products(rng, 1 + rng() % 30);
    check_round_trip(products, kiosk::catalog::parse_catalog_csv(to_csv(products, round % 2 == 1)));
    check_round_trip(products, kiosk::catalog::parse_catalog_jsonl(to_jsonl(products)));
  }
}

TEST_CASE("fuzz: mutated CSV pushes never crash and always parse or name a line") {
  std::mt19937 rng(kSeed + 1);
  const int n = iterations();
  int rejected = 0;
  for (int i = 0; i < n; ++i) {
    const auto products = random_products(rng, 1 + rng() % 8);
    const std::string text = mutate(rng, to_csv(products, rng() % 2 == 0));
    INFO("iteration " << i << " (seed " << kSeed + 1 << ")");
    const auto got = kiosk::catalog::parse_catalog(text, InputFormat::kCsv);
    check_outcome(text, got);
    rejected += got.errors.empty() ? 0 : 1;
  }
  // The mutations are not all harmless: most pushes must be rejected, a few may survive.
  CHECK(rejected > n / 2);
}

TEST_CASE("fuzz: mutated JSON Lines pushes never crash and always parse or name a line") {
  std::mt19937 rng(kSeed + 2);
  const int n = iterations();
  int rejected = 0;
  for (int i = 0; i < n; ++i) {
    const auto products = random_products(rng, 1 + rng() % 8);
    const std::string text = mutate(rng, to_jsonl(products));
    INFO("iteration " << i << " (seed " << kSeed + 2 << ")");
    const auto got = kiosk::catalog::parse_catalog(text, InputFormat::kJsonl);
    check_outcome(text, got);
    rejected += got.errors.empty() ? 0 : 1;
  }
  CHECK(rejected > n / 2);
}
