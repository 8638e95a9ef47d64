#include "auth_token.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <sodium.h>

#include <fstream>

namespace kiosk::catalog {
namespace {

std::array<unsigned char, 32> sha256(std::string_view text) {
  [[maybe_unused]] static const int ready = sodium_init();  // once; safe to call from any thread
  std::array<unsigned char, 32> out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string token_sha256_hex(std::string_view token) {
  const auto h = sha256(token);
  std::string out;
  for (unsigned char c : h) out += fmt::format("{:02x}", c);
  return out;
}

Result<std::string> read_secret_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return invalid_argument(fmt::format("cannot read secret file {}", file));
  std::string line;
  std::getline(in, line);
  const std::string_view t = trim(line);
  if (t.empty()) return invalid_argument(fmt::format("secret file {} is empty", file));
  return std::string(t);
}

Result<TokenVerifier> TokenVerifier::from_sha256_hex(std::string_view hex) {
  hex = trim(hex);
  TokenVerifier v;
  std::size_t len = 0;
  if (hex.size() != 64 ||
      sodium_hex2bin(v.hash_.data(), v.hash_.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != v.hash_.size()) {
    return invalid_argument(fmt::format(
        "a token hash must be 64 hex digits (the SHA-256 of the token, e.g. from `kioskctl token-hash`), got {} "
        "characters",
        hex.size()));
  }
  v.configured_ = true;
  return v;
}

TokenVerifier::Outcome TokenVerifier::check(std::string_view authorization) const {
  if (!configured_) return Outcome::kNotConfigured;
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return Outcome::kMissing;
  // The scheme is case-insensitive (RFC 7235); the token is not.
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    const char want = (kScheme[i] >= 'A' && kScheme[i] <= 'Z') ? static_cast<char>(kScheme[i] + 32) : kScheme[i];
    if (lower != want) return Outcome::kMissing;
  }
  const auto presented = sha256(authorization.substr(kScheme.size()));
  // Hashes of equal length, compared in constant time.
  return sodium_memcmp(presented.data(), hash_.data(), hash_.size()) == 0 ? Outcome::kOk : Outcome::kWrong;
}

}  // namespace kiosk::catalog
