// The Terminal API encryption envelope against the known-answer vector made with Adyen's library
// (tests/data/nexo/crypto_kat.json), both ways, and its refusals.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "payment/nexo_codec.h"
#include "payment/nexo_crypto.h"

using namespace kiosk::payment;
using nlohmann::json;

namespace {

json kat() {
  std::ifstream in(std::string(KIOSK_TEST_DATA_DIR) + "/nexo/crypto_kat.json");
  REQUIRE(in);
  return json::parse(in);
}

std::string hex(const std::uint8_t* p, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("{:02x}", p[i]);
  return out;
}

NexoNonce kat_nonce(const json& k) {
  auto raw = base64_decode(k.at("nonce_b64").get<std::string>());
  REQUIRE(raw);
  REQUIRE(raw->size() == 16);
  NexoNonce n{};
  std::copy(raw->begin(), raw->end(), n.begin());
  return n;
}

NexoKey kat_key(const json& k) {
  return NexoKey{"kiosk-key", 1, k.at("passphrase").get<std::string>()};
}

std::string envelope_of(const json& k, const std::string& key_id = "kiosk-key", std::int64_t version = 1) {
  json tr{{"AdyenCryptoVersion", 1},
          {"KeyIdentifier", key_id},
          {"KeyVersion", version},
          {"Nonce", k.at("nonce_b64")},
          {"Hmac", k.at("Hmac")}};
  return json{
      {"SaleToPOIRequest",
       {{"MessageHeader", {{"ProtocolVersion", "3.0"}}}, {"NexoBlob", k.at("NexoBlob")}, {"SecurityTrailer", tr}}}}
      .dump();
}

}  // namespace

TEST_CASE("PBKDF2 key material matches Adyen's", "[payment][crypto]") {
  const json k = kat();
  auto d = derive_nexo_key(k.at("passphrase").get<std::string>());
  REQUIRE(d);
  CHECK(hex(d->hmac_key.data(), 32) == k.at("hmacKey"));
  CHECK(hex(d->cipher_key.data(), 32) == k.at("cipherKey"));
  CHECK(hex(d->iv.data(), 16) == k.at("iv"));
  CHECK_FALSE(derive_nexo_key(""));
}

TEST_CASE("base64 round-trips and rejects non-base64", "[payment][crypto]") {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    auto back = base64_decode(base64_encode(s));
    REQUIRE(back);
    CHECK(*back == s);
  }
  CHECK(base64_encode("abc") == "YWJj");
  CHECK_FALSE(base64_decode("YWJ"));
  CHECK_FALSE(base64_decode("YW*j"));
}

TEST_CASE("encryption reproduces the known-answer NexoBlob and Hmac", "[payment][crypto]") {
  const json k = kat();
  auto d = derive_nexo_key(k.at("passphrase").get<std::string>());
  REQUIRE(d);
  auto sealed = nexo_encrypt(*d, kat_nonce(k), k.at("plaintext").get<std::string>());
  REQUIRE(sealed);
  CHECK(base64_encode(sealed->blob) == k.at("NexoBlob"));
  CHECK(base64_encode(sealed->hmac) == k.at("Hmac"));

  // The whole-message seal with the same nonce carries the same blob and trailer.
  auto crypto = NexoCrypto::create(kat_key(k));
  REQUIRE(crypto);
  auto env = crypto->seal(k.at("plaintext").get<std::string>(), kat_nonce(k));
  REQUIRE(env);
  const json e = json::parse(*env).at("SaleToPOIRequest");
  CHECK(e.at("NexoBlob") == k.at("NexoBlob"));
  CHECK(e.at("MessageHeader") == json{{"ProtocolVersion", "3.0"}});
  CHECK(e.at("SecurityTrailer").at("Hmac") == k.at("Hmac"));
  CHECK(e.at("SecurityTrailer").at("Nonce") == k.at("nonce_b64"));
  CHECK(e.at("SecurityTrailer").at("KeyIdentifier") == "kiosk-key");
  CHECK(e.at("SecurityTrailer").at("KeyVersion") == 1);
  CHECK(e.at("SecurityTrailer").at("AdyenCryptoVersion") == 1);
}

TEST_CASE("decryption of the known-answer envelope gives the plaintext", "[payment][crypto]") {
  const json k = kat();
  auto crypto = NexoCrypto::create(kat_key(k));
  REQUIRE(crypto);
  auto plain = crypto->open(envelope_of(k));
  REQUIRE(plain);
  CHECK(*plain == k.at("plaintext").get<std::string>());
  CHECK(is_nexo_envelope(envelope_of(k)));
  CHECK_FALSE(is_nexo_envelope(k.at("plaintext").get<std::string>()));
}

TEST_CASE("a real message seals with a fresh nonce each time and opens again", "[payment][crypto]") {
  auto crypto = NexoCrypto::create({"kiosk-key", 3, "another passphrase"});
  REQUIRE(crypto);
  PaymentRequest req;
  req.header = {"3.0", "Service", "Payment", "Request", "17", "kiosk-01", "V400m-324688179"};
  req.sale_transaction = {"kiosk-01-17", "2026-11-27T12:00:00.000Z"};
  req.currency = "SEK";
  req.requested_ore = 12'350;
  const std::string plain = encode(req);
  auto a = crypto->seal(plain);
  auto b = crypto->seal(plain);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);                               // random nonces
  CHECK(a->find("123.5") == std::string::npos);  // the amount is not in clear
  CHECK(json::parse(*a).at("SaleToPOIRequest").at("MessageHeader").at("ServiceID") == "17");
  auto back = crypto->open(*a);
  REQUIRE(back);
  CHECK(*back == plain);
}

TEST_CASE("a bad Hmac, a wrong key, bad padding or a forged header are refused with a clear error",
          "[payment][crypto]") {
  const json k = kat();
  auto crypto = NexoCrypto::create(kat_key(k));
  REQUIRE(crypto);

  SECTION("wrong KeyIdentifier") {
    auto r = crypto->open(envelope_of(k, "other-key"));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.message(), Catch::Contains("KeyIdentifier") && Catch::Contains("other-key"));
  }
  SECTION("wrong KeyVersion") {
    auto r = crypto->open(envelope_of(k, "kiosk-key", 2));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.message(), Catch::Contains("KeyVersion"));
  }
  SECTION("tampered Hmac") {
    json e = json::parse(envelope_of(k));
    std::string h = e["SaleToPOIRequest"]["SecurityTrailer"]["Hmac"];
    h[0] = h[0] == 'A' ? 'B' : 'A';
    e["SaleToPOIRequest"]["SecurityTrailer"]["Hmac"] = h;
    auto r = crypto->open(e.dump());
    REQUIRE_FALSE(r);
    CHECK_THAT(r.message(), Catch::Contains("Hmac"));
  }
  SECTION("wrong passphrase: bad padding or Hmac") {
    auto other = NexoCrypto::create({"kiosk-key", 1, "not the passphrase"});
    REQUIRE(other);
    auto r = other->open(envelope_of(k));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.message(), Catch::Contains("padding") || Catch::Contains("Hmac"));
  }
  SECTION("bad padding") {
    // Re-encrypt a block-aligned plaintext without padding: the last block does not end in PKCS#7.
    auto d = derive_nexo_key(k.at("passphrase").get<std::string>());
    REQUIRE(d);
    auto good = nexo_encrypt(*d, kat_nonce(k), k.at("plaintext").get<std::string>());
    REQUIRE(good);
    std::string blob = good->blob;
    blob.resize(blob.size() - 16);  // drop the padding block: the last one is plaintext
    auto r = nexo_decrypt(*d, kat_nonce(k), blob, good->hmac);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.message(), Catch::Contains("padding") || Catch::Contains("Hmac"));
    auto odd = nexo_decrypt(*d, kat_nonce(k), blob.substr(0, 20), good->hmac);
    REQUIRE_FALSE(odd);
    CHECK_THAT(odd.message(), Catch::Contains("AES blocks"));
  }
  SECTION("a clear header that differs from the encrypted one") {
    json e = json::parse(envelope_of(k));
    e["SaleToPOIRequest"]["MessageHeader"]["ServiceID"] = "999";
    auto r = crypto->open(e.dump());
    REQUIRE_FALSE(r);
    CHECK_THAT(r.message(), Catch::Contains("clear header"));
  }
  SECTION("missing parts") {
    CHECK_FALSE(crypto->open("{}"));
    CHECK_FALSE(crypto->open("not json"));
    json e = json::parse(envelope_of(k));
    e["SaleToPOIRequest"].erase("SecurityTrailer");
    auto r = crypto->open(e.dump());
    REQUIRE_FALSE(r);
    CHECK_THAT(r.message(), Catch::Contains("SecurityTrailer"));
  }
  CHECK_FALSE(NexoCrypto::create({"", 1, "x"}));
  CHECK_FALSE(NexoCrypto::create({"id", 1, ""}));
}
