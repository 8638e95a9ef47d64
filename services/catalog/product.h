#pragma once
// A product as the catalog core sees it: plain C++ with units in the names, no gRPC or protobuf.
#include <cstdint>
#include <optional>
#include <string>

#include "common/money.h"
#include "common/vat.h"

namespace kiosk::catalog {

enum class SaleUnit : int { kEach = 1, kPerKg = 2 };  // = proto SaleUnit

struct PriceChange {
  Ore price_ore = 0;
  std::int64_t from_unix_ms = 0;

  bool operator==(const PriceChange&) const = default;
};

struct Product {
  std::string gtin14;  // 14 digits, check digit verified; the key
  std::string name_sv;
  std::string name_en;
  std::string brand;
  std::string department;
  Ore price_ore = 0;  // per piece, or per kg when unit is kPerKg
  SaleUnit unit = SaleUnit::kEach;
  VatClass vat_class = VatClass::kFood;
  std::string deposit_code;           // pant class, empty for none
  std::uint32_t age_limit = 0;        // years; 0 for none
  Milligrams expected_weight_mg = 0;  // mean weight of one piece; 0 = unknown
  Milligrams weight_spread_mg = 0;    // standard deviation of that weight
  bool no_weigh = false;              // not verified on the bagging scale
  std::string plu;                    // IFPS PLU, empty for none
  std::string image;
  // Stock alerts fire when the counted quantity falls to this or below (pieces, or grams for kPerKg).
  std::int64_t low_stock_threshold = 0;
  // A price change pushed ahead of time: served from `from_unix_ms` (UTC) on. Versioned with the product.
  std::optional<PriceChange> scheduled_price;
  // Not part of a catalog version (see stock_ledger.h): in a push, the count to set; in a lookup, the
  // current count. Pieces for kEach, grams for kPerKg; absent when never counted.
  std::optional<std::int64_t> stock_quantity;

  bool operator==(const Product&) const = default;
};

// One problem in an input file, where a person can find it (same shape as kiosk.v1.InputError).
struct InputError {
  std::uint32_t line = 0;  // 1-based; 0 when the whole input is wrong
  std::string column;      // column name; empty when the whole record is wrong
  std::string message;

  bool operator==(const InputError&) const = default;
};

}  // namespace kiosk::catalog
