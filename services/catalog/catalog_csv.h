#pragma once
// Reads a catalog CSV (header row naming the columns, in any order) into products, validating every
// row. Columns: gtin,name_sv,name_en,brand,department,price_ore,unit,vat_class,deposit_code,age_limit,
// expected_weight_mg,weight_spread_mg,no_weigh,plu,image,stock_quantity,low_stock_threshold,new_price_ore,
// new_price_from; gtin, name_sv, price_ore and vat_class are required, the others optional (empty = the
// default: no stock count, threshold 0, no scheduled price). new_price_ore and new_price_from (a UTC time,
// see parse_utc_time) go together: the price served from that time on. Unknown or repeated columns are errors.
#include <cstdint>
#include <string_view>
#include <vector>

#include "product.h"

namespace kiosk::catalog {

struct ParsedCatalog {
  std::vector<Product> products;     // in file order; empty when there are errors
  std::vector<std::uint32_t> lines;  // the line each product came from
  std::vector<InputError> errors;    // every problem found, in file order
};

// Never stops at the first error: the result lists them all (and then holds no products).
ParsedCatalog parse_catalog_csv(std::string_view text);

// The same products as JSON Lines: one object per line with the CSV's column names as keys; values are
// strings, numbers, true/false (no_weigh) or null. Lines are the file's lines.
ParsedCatalog parse_catalog_jsonl(std::string_view text);

enum class InputFormat { kCsv, kJsonl };
ParsedCatalog parse_catalog(std::string_view text, InputFormat format);

}  // namespace kiosk::catalog
