#pragma once
// The binary record layout every catalog record uses in RocksDB (products, versions, promotions):
// little-endian sized integers and strings prefixed with their u32 length, in a fixed order per record.
// One writer and one bounds-checked reader for all of them.
#include <cstdint>
#include <string>
#include <string_view>

namespace kiosk::catalog {

class RecordWriter {
 public:
  explicit RecordWriter(std::size_t reserve = 64) { out_.reserve(reserve); }
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  std::string take() && { return std::move(out_); }

 private:
  void put(std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
  }
  std::string out_;
};

// Reads fields in order; once a read runs past the end, ok() stays false and reads give 0 / "".
class RecordReader {
 public:
  explicit RecordReader(std::string_view b) : b_(b) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(uint(1)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(uint(4)); }
  std::uint64_t u64() { return uint(8); }
  std::string str() { return bytes(u32()); }
  // Strings with a u64 length: promotion records of format 1 only.
  std::string str_u64_length() { return bytes(u64()); }
  bool ok() const { return ok_; }
  bool at_end() const { return b_.empty(); }

 private:
  std::uint64_t uint(int n) {
    if (!ok_ || b_.size() < static_cast<std::size_t>(n)) {
      ok_ = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i)
      v |= std::uint64_t{static_cast<unsigned char>(b_[static_cast<std::size_t>(i)])} << (8 * i);
    b_.remove_prefix(static_cast<std::size_t>(n));
    return v;
  }
  std::string bytes(std::uint64_t n) {
    if (!ok_ || n > b_.size()) {
      ok_ = false;
      return {};
    }
    std::string s(b_.substr(0, static_cast<std::size_t>(n)));
    b_.remove_prefix(static_cast<std::size_t>(n));
    return s;
  }
  std::string_view b_;
  bool ok_ = true;
};

}  // namespace kiosk::catalog
