#pragma once
// On-disk encoding of products and catalog versions in RocksDB: a format byte, then sized
// little-endian integers and length-prefixed strings in a fixed order. Decoding checks every bound.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "product.h"

namespace kiosk::catalog {

inline constexpr std::size_t kMaxListedPriceChanges = 64;

// What a catalog version is: set when an import is applied.
struct VersionInfo {
  std::uint64_t version = 0;  // 0 = nothing imported yet
  std::uint32_t product_count = 0;
  std::int64_t applied_unix_ms = 0;
  std::string source_name;  // the pushed file's name
  std::uint32_t promotion_count = 0;
  std::uint32_t scheduled_price_count = 0;  // products with a scheduled price change
  // The distinct times (UTC ms, ascending) at which those changes take effect; at most kMaxListedPriceChanges.
  std::vector<std::int64_t> price_change_unix_ms;

  bool operator==(const VersionInfo&) const = default;
};

std::string encode_product(const Product& p);
Result<Product> decode_product(std::string_view bytes);

std::string encode_version(const VersionInfo& v);
Result<VersionInfo> decode_version(std::string_view bytes);

}  // namespace kiosk::catalog
