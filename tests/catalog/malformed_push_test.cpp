// Malformed pushes through the real store (RocksDB in a temp dir): each is rejected with the line (and
// column) of the problem, and the version served before it is served unchanged afterwards.
#include <catch2/catch.hpp>

#include <fstream>

#include "catalog/catalog_store.h"
#include "catalog/csv_reader.h"
#include "common/clock.h"
#include "temp_dir.h"

using kiosk::catalog::CatalogStore;
using kiosk::catalog::ImportMode;
using kiosk::catalog::InputError;
using kiosk::catalog::InputFormat;

namespace {

constexpr const char* kHeader = "gtin,name_sv,price_ore,vat_class\n";
constexpr const char* kMilk = "7310865004703";  // served at 1695 öre before every bad push

std::string dump(const std::vector<InputError>& errors) {
  std::string s;
  for (const auto& e : errors) s += std::to_string(e.line) + ": " + e.column + ": " + e.message + "\n";
  return s;
}

// kB of /proc/self/status field (VmHWM = peak resident set).
long status_kb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

struct Fixture {
  kiosk::test::TempDir dir{"kiosk-malformed"};
  kiosk::ManualClock clock{1'790'000'000'000};
  std::unique_ptr<CatalogStore> store;

  Fixture() {
    auto s = CatalogStore::open(dir.path(), clock);
    REQUIRE(s);
    store = std::move(*s);
    auto first =
        store->import_csv(std::string(kHeader) + kMilk + ",Mellanmjölk,1695,food\n", ImportMode::kFull, "good.csv");
    REQUIRE(first);
    REQUIRE(first->applied);
  }

  // Pushes `text` (full and delta); requires it rejected with an error on `line` in `column` whose
  // message contains `text_part`, and version 1 still served with the milk at its old price.
  void expect_rejected(const std::string& text, InputFormat format, std::uint32_t line, std::string_view column,
                       std::string_view text_part) {
    for (const ImportMode mode : {ImportMode::kFull, ImportMode::kDelta}) {
      auto out = store->import_text(text, format, mode, "bad");
      REQUIRE(out);
      INFO(dump(out->errors));
      CHECK_FALSE(out->applied);
      const bool found = std::any_of(out->errors.begin(), out->errors.end(), [&](const InputError& e) {
        return e.line == line && e.column == column && e.message.find(text_part) != std::string::npos;
      });
      CHECK(found);
      CHECK(store->version().version == 1);
      auto milk = store->lookup(kMilk);
      REQUIRE(milk);
      CHECK(milk->product.price_ore == 1695);
      CHECK(milk->catalog_version == 1);
    }
  }
};

}  // namespace

TEST_CASE("malformed push: a bad check digit") {
  Fixture f;
  f.expect_rejected(std::string(kHeader) + "7310865004703,Mjölk,999,food\n7310865004704,Fel,100,food\n",
                    InputFormat::kCsv, 3, "gtin", "check digit");
  f.expect_rejected(R"({"gtin":"7310865004703","name_sv":"Mjölk","price_ore":999,"vat_class":"food"})"
                    "\n"
                    R"({"gtin":"7310865004704","name_sv":"Fel","price_ore":100,"vat_class":"food"})",
                    InputFormat::kJsonl, 2, "gtin", "check digit");
}

TEST_CASE("malformed push: duplicate GTINs, also in different forms") {
  Fixture f;
  // 07310865004703 is the GTIN-14 of the EAN-13 on line 2.
  f.expect_rejected(std::string(kHeader) + "7310865004703,Mjölk,999,food\n07310865004703,Mjölk igen,999,food\n",
                    InputFormat::kCsv, 3, "gtin", "duplicate GTIN 07310865004703 (first on line 2)");
  f.expect_rejected(R"({"gtin":"7310865004703","name_sv":"Mjölk","price_ore":999,"vat_class":"food"})"
                    "\n\n"
                    R"({"gtin":"7310865004703","name_sv":"Mjölk","price_ore":999,"vat_class":"food"})",
                    InputFormat::kJsonl, 3, "gtin", "duplicate GTIN");
}

TEST_CASE("malformed push: negative and non-numeric prices") {
  Fixture f;
  f.expect_rejected(std::string(kHeader) + "7310865004703,Mjölk,-5,food\n", InputFormat::kCsv, 2, "price_ore",
                    "negative");
  f.expect_rejected(std::string(kHeader) + "7310865004703,Mjölk,16.95,food\n", InputFormat::kCsv, 2, "price_ore",
                    "not a whole number");
  f.expect_rejected(std::string(kHeader) + "7310865004703,Mjölk,tolv,food\n", InputFormat::kCsv, 2, "price_ore",
                    "not a whole number");
  f.expect_rejected(R"({"gtin":"7310865004703","name_sv":"Mjölk","price_ore":-5,"vat_class":"food"})",
                    InputFormat::kJsonl, 1, "price_ore", "negative");
  f.expect_rejected(R"({"gtin":"7310865004703","name_sv":"Mjölk","price_ore":"12 kr","vat_class":"food"})",
                    InputFormat::kJsonl, 1, "price_ore", "not a whole number");
}

TEST_CASE("malformed push: an unknown VAT class") {
  Fixture f;
  f.expect_rejected(std::string(kHeader) + "7310865004703,Mjölk,999,lyx\n", InputFormat::kCsv, 2, "vat_class",
                    "unknown VAT class 'lyx'");
  f.expect_rejected(R"({"gtin":"7310865004703","name_sv":"Mjölk","price_ore":999,"vat_class":"lyx"})",
                    InputFormat::kJsonl, 1, "vat_class", "unknown VAT class");
}

TEST_CASE("malformed push: Latin-1 bytes, named by line, column and byte") {
  Fixture f;
  f.expect_rejected(std::string(kHeader) + "7310865004703,Mj\xF6lk,999,food\n", InputFormat::kCsv, 2, "name_sv",
                    "invalid UTF-8 at byte 3");
  f.expect_rejected("{\"gtin\":\"7310865004703\",\"name_sv\":\"Mj\xF6lk\",\"price_ore\":999,\"vat_class\":\"food\"}",
                    InputFormat::kJsonl, 1, "", "invalid UTF-8 at byte 38");
}

TEST_CASE("malformed push: a UTF-16 file with a byte order mark") {
  Fixture f;
  // "gtin,..." as UTF-16LE with its BOM, the way Excel's "Unicode text" saves.
  const std::string utf8 = std::string(kHeader) + "7310865004703,Mjölk,999,food\n";
  std::string utf16 = "\xFF\xFE";
  for (const char c : utf8) {
    utf16 += c;
    utf16 += '\0';
  }
  f.expect_rejected(utf16, InputFormat::kCsv, 1, "", "UTF-16 (little-endian, byte order mark FF FE)");
  f.expect_rejected(utf16, InputFormat::kJsonl, 1, "", "UTF-16");
  // Big-endian, and without a mark at all.
  f.expect_rejected("\xFE\xFF" + utf16.substr(2), InputFormat::kCsv, 1, "", "UTF-16 (big-endian");
  f.expect_rejected(utf16.substr(2), InputFormat::kCsv, 1, "", "looks like UTF-16");
}

TEST_CASE("malformed push: a truncated file") {
  Fixture f;
  // A quoted field opened on line 3 and never closed: the file ends inside it.
  f.expect_rejected(std::string(kHeader) + "7310865004703,Mjölk,999,food\n7310865005120,\"Smör ekologisk",
                    InputFormat::kCsv, 3, "name_sv", "not closed before the end of the file");
  // A JSON Lines file cut in the middle of its second object.
  f.expect_rejected(R"({"gtin":"7310865004703","name_sv":"Mjölk","price_ore":999,"vat_class":"food"})"
                    "\n"
                    R"({"gtin":"7310865005120","name_sv":"Sm)",
                    InputFormat::kJsonl, 2, "", "ends inside its JSON object");
}

TEST_CASE("malformed push: a 100 MB line is rejected by the line limit without being copied") {
  Fixture f;
  constexpr std::size_t kHuge = 100u * 1024 * 1024;
  const auto limit = std::to_string(kiosk::catalog::kMaxRecordBytes);
  SECTION("CSV, unquoted") {
    std::string csv = std::string(kHeader) + "7310865004703,Mjölk,999,food\n7310865005120,";
    csv.append(kHuge, 'x');
    csv += ",100,food\n7310112004500,Kaffe,100,food\n";
    const long before_kb = status_kb("VmHWM");
    f.expect_rejected(csv, InputFormat::kCsv, 3, "name_sv", "longer than " + limit + " bytes");
    // Reading it held at most a few copies of the limit, not a copy of the line.
    CHECK(status_kb("VmHWM") - before_kb < 32 * 1024);
  }
  SECTION("CSV, inside quotes") {
    std::string csv = std::string(kHeader) + "7310865004703,Mjölk,999,food\n7310865005120,\"";
    csv.append(kHuge, 'x');
    csv += "\",100,food\n";
    const long before_kb = status_kb("VmHWM");
    f.expect_rejected(csv, InputFormat::kCsv, 3, "name_sv", "longer than " + limit + " bytes");
    CHECK(status_kb("VmHWM") - before_kb < 32 * 1024);
  }
  SECTION("JSON Lines") {
    std::string jsonl = R"({"gtin":"7310865004703","name_sv":"Mjölk","price_ore":999,"vat_class":"food"})"
                        "\n"
                        R"({"gtin":"7310865005120","name_sv":")";
    jsonl.append(kHuge, 'x');
    jsonl += R"(","price_ore":100,"vat_class":"food"})"
             "\n";
    const long before_kb = status_kb("VmHWM");
    f.expect_rejected(jsonl, InputFormat::kJsonl, 2, "", "more than the " + limit + " bytes");
    CHECK(status_kb("VmHWM") - before_kb < 32 * 1024);
  }
}
