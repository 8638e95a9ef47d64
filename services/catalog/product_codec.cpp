#include "product_codec.h"

#include <cstring>

namespace kiosk::catalog {
namespace {

// Format 2 appends the low-stock threshold and the scheduled price; 1 is still read (older databases).
constexpr char kProductFormat = 2;
// Format 2 appends the promotion count and the scheduled price changes.
constexpr char kVersionFormat = 2;

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}
void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}
void put_str(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// Reads fields in order; once a read runs past the end, ok() stays false.
class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  std::uint64_t u64() { return uint(8); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(uint(4)); }
  std::uint8_t u8() { return static_cast<std::uint8_t>(uint(1)); }
  std::string str() {
    const std::uint32_t n = u32();
    if (!ok_ || n > b_.size()) {
      ok_ = false;
      return {};
    }
    std::string s(b_.substr(0, n));
    b_.remove_prefix(n);
    return s;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return b_.empty(); }

 private:
  std::uint64_t uint(int bytes) {
    if (!ok_ || b_.size() < static_cast<std::size_t>(bytes)) {
      ok_ = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
      v |= std::uint64_t{static_cast<unsigned char>(b_[static_cast<std::size_t>(i)])} << (8 * i);
    b_.remove_prefix(static_cast<std::size_t>(bytes));
    return v;
  }
  std::string_view b_;
  bool ok_ = true;
};

}  // namespace

std::string encode_product(const Product& p) {
  std::string out;
  out.reserve(128);
  out.push_back(kProductFormat);
  put_str(out, p.gtin14);
  put_str(out, p.name_sv);
  put_str(out, p.name_en);
  put_str(out, p.brand);
  put_str(out, p.department);
  put_u64(out, static_cast<std::uint64_t>(p.price_ore));
  out.push_back(static_cast<char>(p.unit));
  out.push_back(static_cast<char>(p.vat_class));
  put_str(out, p.deposit_code);
  put_u32(out, p.age_limit);
  put_u64(out, static_cast<std::uint64_t>(p.expected_weight_mg));
  put_u64(out, static_cast<std::uint64_t>(p.weight_spread_mg));
  out.push_back(p.no_weigh ? 1 : 0);
  put_str(out, p.plu);
  put_str(out, p.image);
  put_u64(out, static_cast<std::uint64_t>(p.low_stock_threshold));
  out.push_back(p.scheduled_price ? 1 : 0);
  if (p.scheduled_price) {
    put_u64(out, static_cast<std::uint64_t>(p.scheduled_price->price_ore));
    put_u64(out, static_cast<std::uint64_t>(p.scheduled_price->from_unix_ms));
  }
  return out;
}

Result<Product> decode_product(std::string_view bytes) {
  if (bytes.empty() || (bytes[0] != 1 && bytes[0] != kProductFormat)) {
    return data_loss("product record: unknown format");
  }
  const char format = bytes[0];
  Reader r(bytes.substr(1));
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
  std::string out;
  out.push_back(kVersionFormat);
  put_u64(out, v.version);
  put_u32(out, v.product_count);
  put_u64(out, static_cast<std::uint64_t>(v.applied_unix_ms));
  put_str(out, v.source_name);
  put_u32(out, v.promotion_count);
  put_u32(out, v.scheduled_price_count);
  put_u32(out, static_cast<std::uint32_t>(v.price_change_unix_ms.size()));
  for (const std::int64_t t : v.price_change_unix_ms) put_u64(out, static_cast<std::uint64_t>(t));
  return out;
}

Result<VersionInfo> decode_version(std::string_view bytes) {
  if (bytes.empty() || (bytes[0] != 1 && bytes[0] != kVersionFormat)) {
    return data_loss("version record: unknown format");
  }
  const char format = bytes[0];
  Reader r(bytes.substr(1));
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
