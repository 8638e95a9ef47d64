#include "payment/terminal_sim_tls.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

namespace kiosk::payment {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;
using File = std::unique_ptr<FILE, decltype(&std::fclose)>;

bool add_ext(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

Status ensure_self_signed_cert(const std::filesystem::path& cert_file, const std::filesystem::path& key_file,
                               const std::string& name) {
  if (std::filesystem::exists(cert_file) && std::filesystem::exists(key_file)) return Status::ok();
  Key key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) return internal_error("OpenSSL: cannot generate a P-256 key");
  Cert cert(X509_new(), X509_free);
  if (!cert) return internal_error("OpenSSL: cannot create a certificate");
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_set_version(cert.get(), 2);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("kiosk terminal-sim"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), subject);
  // Its own CA (so it can be the trust anchor in tls_ca) and a TLS server certificate for `name`.
  if (!add_ext(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !add_ext(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign") ||
      !add_ext(cert.get(), NID_ext_key_usage, "serverAuth") ||
      !add_ext(cert.get(), NID_subject_alt_name, fmt::format("DNS:{},IP:127.0.0.1", name)))
    return internal_error("OpenSSL: cannot add the certificate extensions");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return internal_error("OpenSSL: cannot sign");

  if (!cert_file.parent_path().empty()) std::filesystem::create_directories(cert_file.parent_path());
  if (!key_file.parent_path().empty()) std::filesystem::create_directories(key_file.parent_path());
  const mode_t old_mask = umask(077);
  File kf(std::fopen(key_file.c_str(), "wb"), std::fclose);
  umask(old_mask);
  if (!kf || PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return internal_error(fmt::format("cannot write the key to {}", key_file.string()));
  File cf(std::fopen(cert_file.c_str(), "wb"), std::fclose);
  if (!cf || PEM_write_X509(cf.get(), cert.get()) != 1)
    return internal_error(fmt::format("cannot write the certificate to {}", cert_file.string()));
  return Status::ok();
}

}  // namespace kiosk::payment
