#include "product_codec.h"

#include <cstring>

#include "record_codec.h"

namespace kiosk::catalog {
namespace {

// Format 2 appends the low-stock threshold and the scheduled price; 1 is still read (older databases).
constexpr std::uint8_t kProductFormat = 2;
// Format 2 appends the promotion count and the scheduled price changes.
constexpr std::uint8_t kVersionFormat = 2;

}  // namespace

std::string encode_product(const Product& p) {
  RecordWriter w(128);
  w.u8(kProductFormat);
  w.str(p.gtin14);
  w.str(p.name_sv);
  w.str(p.name_en);
  w.str(p.brand);
  w.str(p.department);
  w.u64(static_cast<std::uint64_t>(p.price_ore));
  w.u8(static_cast<std::uint8_t>(p.unit));
  w.u8(static_cast<std::uint8_t>(p.vat_class));
  w.str(p.deposit_code);
  w.u32(p.age_limit);
  w.u64(static_cast<std::uint64_t>(p.expected_weight_mg));
  w.u64(static_cast<std::uint64_t>(p.weight_spread_mg));
  w.u8(p.no_weigh ? 1 : 0);
  w.str(p.plu);
  w.str(p.image);
  w.u64(static_cast<std::uint64_t>(p.low_stock_threshold));
  w.u8(p.scheduled_price ? 1 : 0);
  if (p.scheduled_price) {
    w.u64(static_cast<std::uint64_t>(p.scheduled_price->price_ore));
    w.u64(static_cast<std::uint64_t>(p.scheduled_price->from_unix_ms));
  }
  return std::move(w).take();
}

Result<Product> decode_product(std::string_view bytes) {
  if (bytes.empty() || (bytes[0] != 1 && bytes[0] != kProductFormat)) {
    return data_loss("product record: unknown format");
  }
  const char format = bytes[0];
  RecordReader r(bytes.substr(1));
  Product p;
  p.gtin14 = r.str();
  p.name_sv = r.str();
  p.name_en = r.str();
  p.brand = r.str();
  p.department = r.str();
  p.price_ore = static_cast<std::int64_t>(r.u64());
  const auto unit = r.u8();
  const auto vat = r.u8();
  p.deposit_code = r.str();
  p.age_limit = r.u32();
  p.expected_weight_mg = static_cast<std::int64_t>(r.u64());
  p.weight_spread_mg = static_cast<std::int64_t>(r.u64());
  p.no_weigh = r.u8() != 0;
  p.plu = r.str();
  p.image = r.str();
  if (format >= 2) {
    p.low_stock_threshold = static_cast<std::int64_t>(r.u64());
    if (r.u8() != 0) {
      PriceChange c;
      c.price_ore = static_cast<std::int64_t>(r.u64());
      c.from_unix_ms = static_cast<std::int64_t>(r.u64());
      p.scheduled_price = c;
    }
  }
  if (!r.ok() || !r.at_end()) return data_loss("product record: truncated or oversized");
  if (unit < 1 || unit > 2 || vat < 1 || vat > 4) return data_loss("product record: bad unit or VAT class");
  p.unit = static_cast<SaleUnit>(unit);
  p.vat_class = static_cast<VatClass>(vat);
  return p;
}

std::string encode_version(const VersionInfo& v) {
  RecordWriter w;
  w.u8(kVersionFormat);
  w.u64(v.version);
  w.u32(v.product_count);
  w.u64(static_cast<std::uint64_t>(v.applied_unix_ms));
  w.str(v.source_name);
  w.u32(v.promotion_count);
  w.u32(v.scheduled_price_count);
  w.u32(static_cast<std::uint32_t>(v.price_change_unix_ms.size()));
  for (const std::int64_t t : v.price_change_unix_ms) w.u64(static_cast<std::uint64_t>(t));
  return std::move(w).take();
}

Result<VersionInfo> decode_version(std::string_view bytes) {
  if (bytes.empty() || (bytes[0] != 1 && bytes[0] != kVersionFormat)) {
    return data_loss("version record: unknown format");
  }
  const char format = bytes[0];
  RecordReader r(bytes.substr(1));
  VersionInfo v;
  v.version = r.u64();
  v.product_count = r.u32();
  v.applied_unix_ms = static_cast<std::int64_t>(r.u64());
  v.source_name = r.str();
  if (format >= 2) {
    v.promotion_count = r.u32();
    v.scheduled_price_count = r.u32();
    const std::uint32_t n = r.u32();
    for (std::uint32_t i = 0; i < n && r.ok(); ++i)
      v.price_change_unix_ms.push_back(static_cast<std::int64_t>(r.u64()));
  }
  if (!r.ok() || !r.at_end()) return data_loss("version record: truncated or oversized");
  return v;
}

}  // namespace kiosk::catalog
