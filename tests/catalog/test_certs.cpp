#include "test_certs.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace kiosk::test {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificates: ") + what);
}

KeyPtr new_key() {
  KeyPtr k(EVP_EC_gen("P-256"), EVP_PKEY_free);
  check(k != nullptr, "EC key");
  return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, value);
  check(X509_add_ext(cert, ext, -1) == 1, "add extension");
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, signed by issuer/issuer_key (self-signed when issuer is null).
CertPtr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, bool ca, const char* san,
                  long serial) {
  CertPtr c(X509_new(), X509_free);
  check(c != nullptr, "X509_new");
  X509_set_version(c.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), 7L * 24 * 3600);
  X509_set_pubkey(c.get(), key);
  X509_NAME* name = X509_get_subject_name(c.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(c.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509* signer = issuer != nullptr ? issuer : c.get();
  if (ca) {
    add_ext(c.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(c.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(c.get(), signer, NID_basic_constraints, "CA:FALSE");
    add_ext(c.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(c.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
    if (san != nullptr) add_ext(c.get(), signer, NID_subject_alt_name, san);
  }
  check(X509_sign(c.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "sign");
  return c;
}

void write_cert(const std::filesystem::path& p, X509* c) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(p.c_str(), "w"), BIO_free);
  check(bio != nullptr && PEM_write_bio_X509(bio.get(), c) == 1, "write certificate");
}

void write_key(const std::filesystem::path& p, EVP_PKEY* k) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(p.c_str(), "w"), BIO_free);
  check(bio != nullptr && PEM_write_bio_PrivateKey(bio.get(), k, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "write key");
}

}  // namespace

TestCerts make_test_certs(const std::filesystem::path& dir) {
  TestCerts t{dir / "ca.pem",     dir / "server.pem", dir / "server.key",
              dir / "client.pem", dir / "client.key", dir / "other-ca.pem"};
  auto ca_key = new_key();
  auto ca = make_cert(ca_key.get(), "Test store IT CA", nullptr, nullptr, true, nullptr, 1);
  auto server_key = new_key();
  auto server =
      make_cert(server_key.get(), "localhost", ca.get(), ca_key.get(), false, "DNS:localhost,IP:127.0.0.1", 2);
  auto client_key = new_key();
  auto client = make_cert(client_key.get(), "kiosk-client", ca.get(), ca_key.get(), false, nullptr, 3);
  auto other_key = new_key();
  auto other = make_cert(other_key.get(), "Some other CA", nullptr, nullptr, true, nullptr, 4);
  write_cert(t.ca_cert, ca.get());
  write_cert(t.server_cert, server.get());
  write_key(t.server_key, server_key.get());
  write_cert(t.client_cert, client.get());
  write_key(t.client_key, client_key.get());
  write_cert(t.other_ca_cert, other.get());
  return t;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace kiosk::test
