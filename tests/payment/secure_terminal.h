#pragma once
// terminal-sim as deployed for the secure binding tests: HTTPS with a self-signed certificate for
// kPoiId made at start-up, every message in the encryption envelope, raw requests captured.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "child_process.h"
#include "payment/http_transport.h"
#include "terminal_records.h"

namespace kiosk::test {

inline const std::string kBin = KIOSK_BIN_DIR;
inline const std::string kPoiId = "V400m-324688179";
inline const std::string kPassphrase = "kiosk test passphrase";

// A TCP port that was free a moment ago (for a listener the terminal must know before it starts).
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// terminal-sim over HTTPS with a self-signed certificate for kPoiId, encrypted with kPassphrase.
struct SecureTerminal {
  std::filesystem::path dir;
  std::filesystem::path cert;
  std::filesystem::path journal;
  kiosk::test::ChildProcess proc;
  int port = 0;
  SecureTerminal(const std::filesystem::path& d, const std::string& notify_url = {})
      : dir(d), cert(d / "terminal.crt"), journal(d / "terminal.jsonl"), proc(argv(d, notify_url), d / "sim.log") {
    const std::string line = proc.wait_for_line("ready ");
    REQUIRE_FALSE(line.empty());
    port = std::stoi(line.substr(6));
  }
  static std::vector<std::string> argv(const std::filesystem::path& d, const std::string& notify_url) {
    std::vector<std::string> a{kBin + "/terminal-sim",
                               "--listen",
                               "127.0.0.1:0",
                               "--journal",
                               (d / "terminal.jsonl").string(),
                               "--tls-cert",
                               (d / "terminal.crt").string(),
                               "--tls-key",
                               (d / "terminal.key").string(),
                               "--tls-name",
                               kPoiId,
                               "--key-id",
                               "kiosk-key",
                               "--key-version",
                               "2",
                               "--passphrase",
                               kPassphrase,
                               "--capture-dir",
                               (d / "captures").string()};
    if (!notify_url.empty()) a.insert(a.end(), {"--notify", notify_url});
    return a;
  }
  std::string endpoint() const { return "https://127.0.0.1:" + std::to_string(port) + "/nexo"; }
  payment::HttpTransportOptions options(const std::string& passphrase = kPassphrase) const {
    auto c = payment::NexoCrypto::create({"kiosk-key", 2, passphrase});
    REQUIRE(c);
    return {endpoint(), cert, kPoiId, std::make_shared<const payment::NexoCrypto>(std::move(*c))};
  }
  // Outcome of the latest transaction the terminal holds (GET /charges over TLS), "" when none.
  std::string latest_outcome() const {
    httplib::SSLClient client("127.0.0.1", port);
    client.set_ca_cert_path(cert.c_str());
    client.enable_server_certificate_verification(true);
    return kiosk::test::latest_outcome(client.Get("/charges"));
  }
  int count(const std::string& outcome) const { return count_outcomes(journal, outcome); }
};

}  // namespace kiosk::test
