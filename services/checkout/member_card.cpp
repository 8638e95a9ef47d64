#include "checkout/member_card.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <fstream>

namespace kiosk::checkout {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string hex(const unsigned char* p, std::size_t n) {
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("{:02x}", p[i]);
  return out;
}

Result<std::array<unsigned char, 32>> read_key(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line))
    return not_found(fmt::format("member_key_file {}: cannot read it", file.string()));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  std::array<unsigned char, 32> key{};
  std::size_t len = 0;
  if (line.size() != 64 ||
      sodium_hex2bin(key.data(), key.size(), line.data(), line.size(), nullptr, &len, nullptr) != 0 || len != 32) {
    return invalid_argument(
        fmt::format("member_key_file {}: the first line must be 64 hex digits (32 bytes)", file.string()));
  }
  return key;
}

}  // namespace

std::string masked_card_number(const std::string& card_number) {
  return "****" + (card_number.size() > 4 ? card_number.substr(card_number.size() - 4) : card_number);
}

Result<MemberCards> MemberCards::make(std::vector<std::string> prefixes, std::size_t digits,
                                      std::optional<std::array<unsigned char, 32>> key) {
  if (digits < 8 || digits > 19) {
    return invalid_argument(fmt::format("member_card_digits {}: a card number has 8 to 19 digits", digits));
  }
  for (const auto& p : prefixes) {
    if (!all_digits(p) || p.size() >= digits) {
      return invalid_argument(fmt::format(
          "member_card_prefixes '{}': a prefix is digits, shorter than the {}-digit card number", p, digits));
    }
  }
  if (sodium_init() < 0) return internal_error("libsodium failed to initialise");
  MemberCards m;
  m.prefixes_ = std::move(prefixes);
  m.digits_ = digits;
  m.key_ = key;
  return m;
}

Result<MemberCards> MemberCards::from_config(const Config& config) {
  std::vector<std::string> prefixes;
  if (const toml::node* node = config.table().at_path("checkout.member_card_prefixes").node()) {
    const toml::array* arr = node->as_array();
    if (arr == nullptr) return invalid_argument("[checkout] member_card_prefixes must be an array of digit strings");
    for (const auto& v : *arr) {
      const auto s = v.value<std::string>();
      if (!v.is_string() || !s) {
        return invalid_argument("[checkout] member_card_prefixes must be an array of digit strings");
      }
      prefixes.push_back(*s);
    }
  }
  auto digits = config.get_int("checkout", "member_card_digits", 13);
  if (!digits) return digits.error();
  auto key_file = config.get_string("checkout", "member_key_file", "");
  if (!key_file) return key_file.error();
  std::optional<std::array<unsigned char, 32>> key;
  if (!key_file->empty()) {
    auto k = read_key(config.resolve(*key_file));
    if (!k) return k.error();
    key = *k;
  }
  if (*digits < 0) return invalid_argument("[checkout] member_card_digits must be positive");
  auto m = make(std::move(prefixes), static_cast<std::size_t>(*digits), key);
  if (!m) return invalid_argument("[checkout] " + m.message());
  return m;
}

std::optional<std::string> MemberCards::card_number(const std::string& code) const {
  if (prefixes_.empty() || !all_digits(code)) return std::nullopt;
  std::string n = code;
  // A GTIN-14 from the camera carries the EAN-13's leading zero.
  if (n.size() == 14 && digits_ == 13 && n[0] == '0') n.erase(0, 1);
  if (n.size() != digits_) return std::nullopt;
  for (const auto& p : prefixes_) {
    if (n.rfind(p, 0) == 0) return n;
  }
  return std::nullopt;
}

v1::Member MemberCards::member(const std::string& card_number, std::int64_t now_unix_ms) const {
  v1::Member m;
  m.set_masked_number(masked_card_number(card_number));
  m.set_since_unix_ms(now_unix_ms);
  if (key_) {
    std::array<unsigned char, 32> h{};
    crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(card_number.data()),
                       card_number.size(), key_->data(), key_->size());
    m.set_card_hash(hex(h.data(), h.size()));
  }
  return m;
}

}  // namespace kiosk::checkout
