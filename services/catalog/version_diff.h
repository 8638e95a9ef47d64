#pragma once
// What changed between two catalog versions, product by product (for `kioskctl catalog diff`).
#include <cstdint>
#include <string>
#include <vector>

#include "product.h"

namespace kiosk::catalog {

struct ProductChange {
  Product before;
  Product after;
  std::vector<std::string> fields;  // names as in the CSV header, e.g. "price_ore", "name_sv"
};

struct VersionDiff {
  std::uint64_t from_version = 0;
  std::uint64_t to_version = 0;
  std::vector<Product> added;    // in `to` only; all three lists in GTIN order
  std::vector<Product> removed;  // in `from` only
  std::vector<ProductChange> changed;
};

// The fields (CSV column names) whose values differ; empty when the products are equal.
std::vector<std::string> changed_fields(const Product& a, const Product& b);

}  // namespace kiosk::catalog
