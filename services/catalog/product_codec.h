#pragma once
// On-disk encoding of products and catalog versions in RocksDB: a format byte, then sized
// little-endian integers and length-prefixed strings in a fixed order. Decoding checks every bound.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "product.h"

namespace kiosk::catalog {

// What a catalog version is: set when an import is applied.
struct VersionInfo {
  std::uint64_t version = 0;  // 0 = nothing imported yet
  std::uint32_t product_count = 0;
  std::int64_t applied_unix_ms = 0;
  std::string source_name;  // the pushed file's name

  bool operator==(const VersionInfo&) const = default;
};

std::string encode_product(const Product& p);
Result<Product> decode_product(std::string_view bytes);

std::string encode_version(const VersionInfo& v);
Result<VersionInfo> decode_version(std::string_view bytes);

}  // namespace kiosk::catalog
