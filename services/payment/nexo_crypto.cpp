#include "payment/nexo_crypto.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <nlohmann/json.hpp>

namespace kiosk::payment {
namespace {

using nlohmann::json;

constexpr std::string_view kSalt = "AdyenNexoV1Salt";
constexpr int kIterations = 4000;

const auto* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string hmac_sha256(const NexoDerivedKey& key, std::string_view data) {
  unsigned char out[32];
  std::size_t len = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.hmac_key.data(), key.hmac_key.size(), bytes(data),
                 data.size(), out, sizeof out, &len))
    return {};
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::array<std::uint8_t, 16> actual_iv(const NexoDerivedKey& key, const NexoNonce& nonce) {
  std::array<std::uint8_t, 16> iv{};
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] = key.iv[i] ^ nonce[i];
  return iv;
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Result<std::string> aes_cbc(const NexoDerivedKey& key, const NexoNonce& nonce, std::string_view in, bool encrypt) {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (!ctx) return internal_error("OpenSSL: cannot create a cipher context");
  const auto iv = actual_iv(key, nonce);
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.cipher_key.data(), iv.data(), encrypt ? 1 : 0) != 1)
    return internal_error("OpenSSL: AES-256-CBC init failed");
  std::string out(in.size() + 16, '\0');
  int n = 0;
  int total = 0;
  if (EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n, bytes(in),
                       static_cast<int>(in.size())) != 1)
    return invalid_argument("NexoBlob: AES-256-CBC failed");
  total = n;
  if (EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + total, &n) != 1)
    return invalid_argument(encrypt ? "AES-256-CBC final block failed"
                                    : "NexoBlob: bad padding after decryption (wrong passphrase or damaged blob)");
  total += n;
  out.resize(static_cast<std::size_t>(total));
  return out;
}

Result<json> parse_object(std::string_view text, std::string_view what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return invalid_argument(fmt::format("{} is not a JSON object", what));
  return j;
}

// The one root member ("SaleToPOIRequest" or "SaleToPOIResponse") of a message.
Result<std::pair<std::string, const json*>> root_of(const json& j, std::string_view what) {
  for (const char* name : {"SaleToPOIRequest", "SaleToPOIResponse"}) {
    auto it = j.find(name);
    if (it != j.end() && it->is_object()) return std::pair<std::string, const json*>{name, &*it};
  }
  return invalid_argument(fmt::format("{} has neither SaleToPOIRequest nor SaleToPOIResponse", what));
}

std::int64_t int_field(const json& j, std::string_view key, bool& ok) {
  auto it = j.find(key);
  if (it == j.end()) {
    ok = false;
    return 0;
  }
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_string()) {  // some terminals send numbers as strings
    try {
      std::size_t used = 0;
      const std::string s = it->get<std::string>();
      const std::int64_t v = std::stoll(s, &used);
      if (used == s.size()) return v;
    } catch (const std::exception&) {
    }
  }
  ok = false;
  return 0;
}

}  // namespace

Result<NexoDerivedKey> derive_nexo_key(std::string_view passphrase) {
  if (passphrase.empty()) return invalid_argument("nexo passphrase is empty");
  std::array<std::uint8_t, 80> material{};
  if (PKCS5_PBKDF2_HMAC(passphrase.data(), static_cast<int>(passphrase.size()), bytes(kSalt),
                        static_cast<int>(kSalt.size()), kIterations, EVP_sha1(), static_cast<int>(material.size()),
                        material.data()) != 1)
    return internal_error("OpenSSL: PBKDF2 failed");
  NexoDerivedKey k;
  std::copy_n(material.begin(), 32, k.hmac_key.begin());
  std::copy_n(material.begin() + 32, 32, k.cipher_key.begin());
  std::copy_n(material.begin() + 64, 16, k.iv.begin());
  OPENSSL_cleanse(material.data(), material.size());
  return k;
}

std::string base64_encode(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(in), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return invalid_argument("not base64: length is not a multiple of 4");
  std::string out(text.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(text), static_cast<int>(text.size()));
  if (n < 0) return invalid_argument("not base64: invalid character");
  std::size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

Result<NexoSealed> nexo_encrypt(const NexoDerivedKey& key, const NexoNonce& nonce, std::string_view plaintext) {
  auto blob = aes_cbc(key, nonce, plaintext, true);
  if (!blob) return blob.error();
  std::string mac = hmac_sha256(key, plaintext);
  if (mac.empty()) return internal_error("OpenSSL: HMAC-SHA256 failed");
  return NexoSealed{std::move(*blob), std::move(mac)};
}

Result<std::string> nexo_decrypt(const NexoDerivedKey& key, const NexoNonce& nonce, std::string_view blob,
                                 std::string_view hmac) {
  if (blob.empty() || blob.size() % 16 != 0)
    return invalid_argument(fmt::format("NexoBlob: {} bytes is not a whole number of AES blocks", blob.size()));
  auto plain = aes_cbc(key, nonce, blob, false);
  if (!plain) return plain.error();
  const std::string mac = hmac_sha256(key, *plain);
  if (mac.empty()) return internal_error("OpenSSL: HMAC-SHA256 failed");
  if (hmac.size() != mac.size() || CRYPTO_memcmp(mac.data(), hmac.data(), mac.size()) != 0)
    return invalid_argument("SecurityTrailer.Hmac: does not match the decrypted message (wrong key or tampered)");
  return plain;
}

Result<NexoCrypto> NexoCrypto::create(NexoKey key) {
  if (key.key_identifier.empty()) return invalid_argument("nexo key_identifier is empty");
  if (key.key_version < 0) return invalid_argument("nexo key_version must not be negative");
  auto derived = derive_nexo_key(key.passphrase);
  if (!derived) return derived.error();
  return NexoCrypto(std::move(key), *derived);
}

Result<std::string> NexoCrypto::seal(std::string_view message_json, std::optional<NexoNonce> nonce) const {
  auto j = parse_object(message_json, "message to encrypt");
  if (!j) return j.error();
  auto root = root_of(*j, "message to encrypt");
  if (!root) return root.error();
  auto header = root->second->find("MessageHeader");
  if (header == root->second->end()) return invalid_argument(fmt::format("{}.MessageHeader: missing", root->first));
  NexoNonce n{};
  if (nonce)
    n = *nonce;
  else if (RAND_bytes(n.data(), static_cast<int>(n.size())) != 1)
    return internal_error("OpenSSL: no random bytes for the nonce");
  auto sealed = nexo_encrypt(derived_, n, message_json);
  if (!sealed) return sealed.error();
  json trailer{{"AdyenCryptoVersion", key_.crypto_version},
               {"KeyIdentifier", key_.key_identifier},
               {"KeyVersion", key_.key_version},
               {"Nonce", base64_encode(std::string_view(reinterpret_cast<const char*>(n.data()), n.size()))},
               {"Hmac", base64_encode(sealed->hmac)}};
  json out{{root->first,
            json{{"MessageHeader", *header}, {"NexoBlob", base64_encode(sealed->blob)}, {"SecurityTrailer", trailer}}}};
  return out.dump();
}

Result<std::string> NexoCrypto::open(std::string_view envelope_json) const {
  auto j = parse_object(envelope_json, "encrypted message");
  if (!j) return j.error();
  auto root = root_of(*j, "encrypted message");
  if (!root) return root.error();
  const std::string& where = root->first;
  const json& env = *root->second;
  auto blob_it = env.find("NexoBlob");
  if (blob_it == env.end() || !blob_it->is_string()) return invalid_argument(where + ".NexoBlob: missing");
  auto tr = env.find("SecurityTrailer");
  if (tr == env.end() || !tr->is_object()) return invalid_argument(where + ".SecurityTrailer: missing");
  bool ok = true;
  const std::int64_t crypto_version = int_field(*tr, "AdyenCryptoVersion", ok);
  if (!ok || crypto_version != key_.crypto_version)
    return invalid_argument(fmt::format("{}.SecurityTrailer.AdyenCryptoVersion: {} is not {}", where,
                                        tr->value("AdyenCryptoVersion", json()).dump(), key_.crypto_version));
  const std::string key_id = tr->value("KeyIdentifier", std::string());
  if (key_id != key_.key_identifier)
    return invalid_argument(fmt::format("{}.SecurityTrailer.KeyIdentifier: '{}' is not the configured '{}'", where,
                                        key_id, key_.key_identifier));
  const std::int64_t key_version = int_field(*tr, "KeyVersion", ok);
  if (!ok || key_version != key_.key_version)
    return invalid_argument(fmt::format("{}.SecurityTrailer.KeyVersion: {} is not the configured {}", where,
                                        tr->value("KeyVersion", json()).dump(), key_.key_version));
  auto nonce = base64_decode(tr->value("Nonce", std::string()));
  if (!nonce || nonce->size() != 16)
    return invalid_argument(fmt::format("{}.SecurityTrailer.Nonce: not 16 bytes of base64", where));
  auto mac = base64_decode(tr->value("Hmac", std::string()));
  if (!mac || mac->size() != 32)
    return invalid_argument(fmt::format("{}.SecurityTrailer.Hmac: not 32 bytes of base64", where));
  auto blob = base64_decode(blob_it->get<std::string>());
  if (!blob) return invalid_argument(fmt::format("{}.NexoBlob: {}", where, blob.message()));
  NexoNonce n{};
  std::copy(nonce->begin(), nonce->end(), n.begin());
  auto plain = nexo_decrypt(derived_, n, *blob, *mac);
  if (!plain) return Error{plain.error().code, fmt::format("{}: {}", where, plain.message())};
  // The clear header is what routers read; it must say what the authenticated one says.
  auto inner = parse_object(*plain, "decrypted message");
  if (!inner) return inner.error();
  auto inner_root = root_of(*inner, "decrypted message");
  if (!inner_root || inner_root->first != where)
    return invalid_argument(fmt::format("decrypted message is not a {}", where));
  auto clear_header = env.find("MessageHeader");
  auto inner_header = inner_root->second->find("MessageHeader");
  if (clear_header != env.end() && (inner_header == inner_root->second->end() || *clear_header != *inner_header))
    return invalid_argument(fmt::format("{}.MessageHeader: the clear header differs from the encrypted one", where));
  return plain;
}

bool is_nexo_envelope(std::string_view json_text) {
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return false;
  auto root = root_of(j, "message");
  return root && root->second->contains("NexoBlob");
}

}  // namespace kiosk::payment
