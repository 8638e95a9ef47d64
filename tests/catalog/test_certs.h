#pragma once
// TLS material made at test time with OpenSSL (nothing checked in that could expire): a CA, a server
// certificate for localhost / 127.0.0.1 signed by it, and a client certificate signed by it.
#include <filesystem>
#include <string>

namespace kiosk::test {

struct TestCerts {
  std::filesystem::path ca_cert;      // PEM
  std::filesystem::path server_cert;  // SAN DNS:localhost, IP:127.0.0.1
  std::filesystem::path server_key;
  std::filesystem::path client_cert;  // for listeners with a client CA
  std::filesystem::path client_key;
  std::filesystem::path other_ca_cert;  // a CA that signed nothing here: clients trusting it must fail
};

// Writes the files into `dir`; throws std::runtime_error if OpenSSL fails.
TestCerts make_test_certs(const std::filesystem::path& dir);

std::string read_text(const std::filesystem::path& file);

}  // namespace kiosk::test
