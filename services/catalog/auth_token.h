#pragma once
// The store-IT bearer token. A kiosk keeps only the token's SHA-256 ([catalog] token_sha256, or
// token_file holding it), so a copy of a kiosk's config does not reveal the token; a presented token
// is hashed and compared in constant time (libsodium). No gRPC here.
#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk::catalog {

// SHA-256 of `token` as 64 lowercase hex digits (what `sha256sum` prints for the token's bytes).
std::string token_sha256_hex(std::string_view token);

// The first line of a secret file (a token, or a token's hash), surrounding whitespace removed.
// Errors name the file but never its content.
Result<std::string> read_secret_file(const std::filesystem::path& file);

class TokenVerifier {
 public:
  enum class Outcome {
    kOk,
    kMissing,        // no "authorization: Bearer ..." presented
    kWrong,          // a token that does not hash to the configured one
    kNotConfigured,  // this kiosk has no store-IT token: writes are refused to everyone
  };

  // No token configured: check() never says kOk.
  TokenVerifier() = default;
  // From the hex SHA-256 of the token (64 hex digits, either case); kInvalidArgument otherwise.
  static Result<TokenVerifier> from_sha256_hex(std::string_view hex);

  bool configured() const { return configured_; }
  // `authorization` is the header's value as sent, e.g. "Bearer s3cret" (empty when absent).
  Outcome check(std::string_view authorization) const;

 private:
  bool configured_ = false;
  std::array<unsigned char, 32> hash_{};
};

}  // namespace kiosk::catalog
