#pragma once
// The Adyen Terminal API local encryption envelope. A message {"SaleToPOIRequest": {...}} travels as
//   {"SaleToPOIRequest": {"MessageHeader": <the same header, in clear>,
//                         "NexoBlob": base64(AES-256-CBC(plaintext)),
//                         "SecurityTrailer": {"AdyenCryptoVersion": 1, "KeyIdentifier": ..., "KeyVersion": ...,
//                                             "Nonce": base64(16 random bytes), "Hmac":
//                                             base64(HMAC-SHA256(plaintext))}}}
// (SaleToPOIResponse likewise). Keys come from the shared passphrase: PBKDF2-HMAC-SHA1, salt
// "AdyenNexoV1Salt", 4000 iterations, 80 bytes = HMAC key (32) | cipher key (32) | IV (16); the IV
// used is that IV XOR the nonce; PKCS#7 padding. OpenSSL EVP only.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk::payment {

// What both ends configure alike ([payment] key_identifier, key_version, passphrase).
struct NexoKey {
  std::string key_identifier;
  std::int64_t key_version = 1;
  std::string passphrase;
  std::int64_t crypto_version = 1;  // AdyenCryptoVersion
};

struct NexoDerivedKey {
  std::array<std::uint8_t, 32> hmac_key{};
  std::array<std::uint8_t, 32> cipher_key{};
  std::array<std::uint8_t, 16> iv{};
};

using NexoNonce = std::array<std::uint8_t, 16>;

Result<NexoDerivedKey> derive_nexo_key(std::string_view passphrase);

// Bytes ⇄ base64 (standard alphabet, padded). Decoding rejects anything that is not base64.
std::string base64_encode(std::string_view bytes);
Result<std::string> base64_decode(std::string_view text);

// The blob and MAC of one plaintext (raw bytes, not base64).
struct NexoSealed {
  std::string blob;
  std::string hmac;
};
Result<NexoSealed> nexo_encrypt(const NexoDerivedKey& key, const NexoNonce& nonce, std::string_view plaintext);
// Decrypts and checks the HMAC; errors say which check failed (padding, HMAC).
Result<std::string> nexo_decrypt(const NexoDerivedKey& key, const NexoNonce& nonce, std::string_view blob,
                                 std::string_view hmac);

// Seals and opens whole messages with one configured key (derived once).
class NexoCrypto {
 public:
  static Result<NexoCrypto> create(NexoKey key);

  // {"SaleToPOIRequest"|"SaleToPOIResponse": {...}} → its envelope. A random nonce unless one is given.
  Result<std::string> seal(std::string_view message_json, std::optional<NexoNonce> nonce = std::nullopt) const;
  // An envelope → the plaintext message. Errors (nothing is returned) for a wrong KeyIdentifier or
  // KeyVersion, an unknown AdyenCryptoVersion, bad base64, bad padding, a failed HMAC, or a clear
  // MessageHeader that differs from the encrypted one.
  Result<std::string> open(std::string_view envelope_json) const;

  const NexoKey& key() const { return key_; }

 private:
  NexoCrypto(NexoKey key, NexoDerivedKey derived) : key_(std::move(key)), derived_(derived) {}
  NexoKey key_;
  NexoDerivedKey derived_;
};

// True when the JSON text is an envelope (its root object holds a NexoBlob).
bool is_nexo_envelope(std::string_view json_text);

}  // namespace kiosk::payment
