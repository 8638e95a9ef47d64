#include <grpcpp/grpcpp.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "child_process.h"
#include "common/gtin.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "process.h"
#include "tcp_proxy.h"
#include "temp_dir.h"
#include "test_certs.h"

// The store network, black box: real catalogd processes (a store server on TLS, kiosks, followers),
// kioskctl pushing to several at once, and a TCP forwarder standing in for the network between a
// follower and its server so the test can cut it.

namespace {

namespace fs = std::filesystem;

constexpr const char* kToken = "store-it-test-token";
// SHA-256 of kToken.
constexpr const char* kTokenSha256 = "ac410f443ba557bb181e83200a3b52bcc561a944eb62f075d5a7afb964674928";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// kioskctl through the shell, stdout and stderr captured (stderr is a file: not a TTY).
Run kioskctl(const fs::path& dir, const std::string& args) {
  const auto out = dir / "ctl.out";
  const auto err = dir / "ctl.err";
  const std::string cmd = std::string(KIOSK_BIN_DIR "/kioskctl ") + args + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

std::string gtin(int i) {
  const std::string n = std::to_string(i);
  const std::string body = "73" + std::string(10 - n.size(), '0') + n;
  return body + kiosk::gtin_check_digit(body);
}

// A catalog of `n` generated products plus the milk at `milk_ore`.
fs::path write_catalog(const fs::path& file, int n, int milk_ore) {
  std::ofstream out(file, std::ios::binary);
  out << "gtin,name_sv,name_en,brand,price_ore,vat_class\n";
  out << "7310865004703,Mellanmjölk,Milk,Arla," << milk_ore << ",food\n";
  for (int i = 0; i < n; ++i) {
    out << gtin(i) << ",Produkt nummer " << i << " med ett långt namn,Product number " << i
        << " with a long name,Varumärke," << 100 + i % 5000 << ",food\n";
  }
  return file;
}

// One catalogd: its folder, config and process (restartable).
struct Kiosk {
  fs::path dir;
  fs::path config;
  std::unique_ptr<kiosk::test::ChildProcess> process;
  int tls_port = 0;

  Kiosk(const fs::path& root, const std::string& name, const std::string& catalog_section) : dir(root / name) {
    fs::create_directories(dir);
    config = dir / "kiosk.toml";
    write_config(catalog_section);
  }
  void write_config(const std::string& catalog_section) const {
    std::ofstream(config) << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n[catalog]\ntoken_sha256 = \""
                          << kTokenSha256 << "\"\n"
                          << catalog_section;
  }
  fs::path socket() const { return dir / "run" / "catalog.sock"; }
  std::string unix_address() const { return "unix:" + socket().string(); }
  std::string tls_address() const { return "127.0.0.1:" + std::to_string(tls_port); }

  void start() {
    process = std::make_unique<kiosk::test::ChildProcess>(
        std::vector<std::string>{KIOSK_BIN_DIR "/catalogd", "--config", config.string()}, dir / "catalogd.log");
    INFO(slurp(dir / "catalogd.log"));
    REQUIRE(kiosk::wait_serving(socket(), std::chrono::seconds(30)));
    // The TLS port chosen for "127.0.0.1:0", from the log.
    const std::string log = slurp(dir / "catalogd.log");
    std::smatch m;
    static const std::regex re("listening on TLS port ([0-9]+)");
    std::string::const_iterator from = log.begin();
    while (std::regex_search(from, log.end(), m, re)) {
      tls_port = std::stoi(m[1]);
      from = m[0].second;
    }
  }

  kiosk::v1::CatalogVersion version() const {
    auto stub = kiosk::v1::Catalog::NewStub(kiosk::make_unix_channel(socket()));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    kiosk::v1::CatalogVersion v;
    (void)stub->GetVersion(&ctx, {}, &v);
    return v;
  }
  // The price served for `code`, or -1 when not found.
  std::int64_t price(const std::string& code) const {
    auto stub = kiosk::v1::Catalog::NewStub(kiosk::make_unix_channel(socket()));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    kiosk::v1::LookupRequest req;
    req.set_code(code);
    kiosk::v1::LookupResponse resp;
    return stub->Lookup(&ctx, req, &resp).ok() ? resp.product().price_ore() : -1;
  }
  // Waits (polling the served version, with a deadline) until it came from store server version `v`.
  bool wait_upstream(std::uint64_t v, std::chrono::seconds within = std::chrono::seconds(60)) const {
    const std::string want = "store server version " + std::to_string(v) + " ";
    return kiosk::demo::wait_until([&] { return version().source_name().starts_with(want); }, within);
  }
};

std::string tls_section(const kiosk::test::TestCerts& c, int port = 0) {
  return "listen = \"127.0.0.1:" + std::to_string(port) + "\"\ntls_cert = \"" + c.server_cert.string() +
         "\"\ntls_key = \"" + c.server_key.string() + "\"\n";
}

std::string follow_section(const kiosk::test::TestCerts& c, int port, const fs::path& token_file) {
  return "follow = \"127.0.0.1:" + std::to_string(port) + "\"\nfollow_ca = \"" + c.ca_cert.string() +
         "\"\nfollow_token_file = \"" + token_file.string() + "\"\nfollow_retry_max_ms = 1000\n";
}

}  // namespace

TEST_CASE("kioskctl pushes to several kiosks at once and reports each, one down fails the command") {
  kiosk::test::TempDir tmp{"kiosk-net"};
  const auto certs = kiosk::test::make_test_certs(tmp.path());
  const auto token_file = tmp.path() / "store-it.token";
  std::ofstream(token_file) << kToken << "\n";
  ::unsetenv("KIOSK_STORE_IT_TOKEN");
  Kiosk a(tmp.path(), "a", "");
  Kiosk b(tmp.path(), "b", tls_section(certs));
  Kiosk down(tmp.path(), "c", "");  // never started
  a.start();
  b.start();
  REQUIRE(b.tls_port > 0);
  const std::string creds = " --ca " + certs.ca_cert.string() + " --token-file " + token_file.string();
  const std::string three =
      " --kiosk " + a.unix_address() + " --kiosk " + b.tls_address() + " --kiosk " + down.unix_address();

  const auto small = write_catalog(tmp.path() / "small.csv", 10, 1695);
  auto r = kioskctl(tmp.path(), "catalog" + three + creds + " push " + small.string());
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains(a.unix_address() + ": version 1: 11 products"));
  CHECK_THAT(r.out, Catch::Contains(b.tls_address() + ": version 1: 11 products"));
  CHECK_THAT(r.err, Catch::Contains("kioskctl: catalog (" + down.unix_address() + "): unreachable"));
  CHECK_THAT(r.err, Catch::Contains("the push failed on 1 of 3 kiosks"));
  CHECK(a.price("7310865004703") == 1695);
  CHECK(b.price("7310865004703") == 1695);

  // Reads over TLS with the token.
  r = kioskctl(tmp.path(), "catalog --kiosk " + b.tls_address() + creds + " get 7310865004703");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Mellanmjölk") && Catch::Contains("16,95 kr"));

  // Without a token, or with a wrong one: refused, nothing changes.
  const auto dearer = write_catalog(tmp.path() / "dearer.csv", 10, 1995);
  r = kioskctl(tmp.path(), "catalog --kiosk " + a.unix_address() + " push " + dearer.string());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("authentication failed: no store-IT token was sent"));
  const auto wrong = tmp.path() / "wrong.token";
  std::ofstream(wrong) << "not-the-token\n";
  r = kioskctl(tmp.path(), "catalog --kiosk " + b.tls_address() + " --ca " + certs.ca_cert.string() + " --token-file " +
                               wrong.string() + " push " + dearer.string());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("authentication failed"));
  // A TLS kiosk named without its CA: a clear usage error.
  r = kioskctl(tmp.path(), "catalog --kiosk " + b.tls_address() + " push " + dearer.string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("needs --ca"));
  CHECK(a.version().version() == 1);
  CHECK(b.version().version() == 1);

  // A large push to both: a progress line per 10 % (stderr is not a TTY), each kiosk reported.
  const auto big = write_catalog(tmp.path() / "big.csv", 60'000, 1995);
  REQUIRE(fs::file_size(big) > 5u * 1024 * 1024);
  const std::string two = " --kiosk " + a.unix_address() + " --kiosk " + b.tls_address();
  r = kioskctl(tmp.path(), "catalog" + two + creds + " push " + big.string());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains(a.unix_address() + ": version 2: 60001 products"));
  CHECK_THAT(r.out, Catch::Contains(b.tls_address() + ": version 2: 60001 products"));
  CHECK_THAT(r.err,
             Catch::Contains("push big.csv to 2 kiosks: 10% (") && Catch::Contains("push big.csv to 2 kiosks: 100% ("));
  CHECK(a.price(gtin(59'999)) == 100 + 59'999 % 5000);
  CHECK(b.price("7310865004703") == 1995);

  // Stock counts: set with the token on both kiosks, read back; without the token refused.
  r = kioskctl(tmp.path(), "catalog" + two + creds + " stock set 7310865004703 12");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("07310865004703  stock 12"));
  r = kioskctl(tmp.path(), "catalog --kiosk " + a.unix_address() + " stock set 7310865004703 99");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("authentication failed"));
  r = kioskctl(tmp.path(), "catalog --kiosk " + a.unix_address() + " stock get 7310865004703");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("stock 12"));

  // Rollback on both at once, over the Unix socket and TLS.
  r = kioskctl(tmp.path(), "catalog" + two + creds + " rollback 1");
  CHECK(r.exit_code == 0);
  CHECK(a.price("7310865004703") == 1695);
  CHECK(b.price("7310865004703") == 1695);
  CHECK(a.process->stop() == 0);
  CHECK(b.process->stop() == 0);
}

TEST_CASE("a follower kiosk cut off during two pushes keeps selling, then catches up to the latest") {
  kiosk::test::TempDir tmp{"kiosk-net"};
  const auto certs = kiosk::test::make_test_certs(tmp.path());
  const auto token_file = tmp.path() / "store-it.token";
  std::ofstream(token_file) << kToken << "\n";
  ::setenv("KIOSK_STORE_IT_TOKEN", kToken, 1);
  Kiosk server(tmp.path(), "server", tls_section(certs));
  server.start();
  REQUIRE(server.tls_port > 0);
  kiosk::test::TcpProxy network(server.tls_port);
  Kiosk follower(tmp.path(), "kiosk1", follow_section(certs, network.port(), token_file));
  follower.start();
  INFO(slurp(follower.dir / "catalogd.log"));

  const std::string to_server = "catalog --kiosk " + server.unix_address() + " push ";
  REQUIRE(kioskctl(tmp.path(), to_server + write_catalog(tmp.path() / "v1.csv", 10, 1695).string()).exit_code == 0);
  REQUIRE(follower.wait_upstream(1));
  CHECK(follower.price("7310865004703") == 1695);

  network.block();
  REQUIRE(kioskctl(tmp.path(), to_server + write_catalog(tmp.path() / "v2.csv", 10, 1795).string()).exit_code == 0);
  REQUIRE(kioskctl(tmp.path(), to_server + write_catalog(tmp.path() / "v3.csv", 20, 1995).string()).exit_code == 0);
  REQUIRE(server.price("7310865004703") == 1995);
  // Cut off: the kiosk still sells on its last complete version.
  CHECK(follower.price("7310865004703") == 1695);
  CHECK(follower.price(gtin(15)) == -1);
  CHECK(follower.version().source_name().starts_with("store server version 1 "));

  network.pass();
  REQUIRE(follower.wait_upstream(3));
  CHECK(follower.price("7310865004703") == 1995);
  CHECK(follower.price(gtin(15)) == 115);
  CHECK(follower.version().product_count() == 21);
  // Straight to the latest: one new local version, not one per missed push.
  CHECK(follower.version().version() == 2);

  // The server itself restarting (on the same port) is just another outage.
  CHECK(server.process->stop() == 0);
  server.write_config(tls_section(certs, server.tls_port));
  server.start();
  REQUIRE(kioskctl(tmp.path(), to_server + write_catalog(tmp.path() / "v4.csv", 5, 2095).string()).exit_code == 0);
  REQUIRE(follower.wait_upstream(4));
  CHECK(follower.price("7310865004703") == 2095);
  CHECK(follower.process->stop() == 0);
  CHECK(server.process->stop() == 0);
}

TEST_CASE("kill -9 of a follower in the middle of a fetch leaves its previous version served") {
  kiosk::test::TempDir tmp{"kiosk-net"};
  const auto certs = kiosk::test::make_test_certs(tmp.path());
  const auto token_file = tmp.path() / "store-it.token";
  std::ofstream(token_file) << kToken << "\n";
  ::setenv("KIOSK_STORE_IT_TOKEN", kToken, 1);
  Kiosk server(tmp.path(), "server", tls_section(certs));
  server.start();
  kiosk::test::TcpProxy network(server.tls_port);
  Kiosk follower(tmp.path(), "kiosk1", follow_section(certs, network.port(), token_file));
  follower.start();
  INFO(slurp(follower.dir / "catalogd.log"));
  const std::string to_server = "catalog --kiosk " + server.unix_address() + " push ";
  REQUIRE(kioskctl(tmp.path(), to_server + write_catalog(tmp.path() / "v1.csv", 10, 1695).string()).exit_code == 0);
  REQUIRE(follower.wait_upstream(1));
  CHECK(follower.process->stop() == 0);

  // A version of more than 4 MB (gRPC's default message size) on the server.
  REQUIRE(kioskctl(tmp.path(), to_server + write_catalog(tmp.path() / "v2.csv", 60'000, 1995).string()).exit_code == 0);
  // The follower starts, begins the fetch, and freezes 1 MB into it; then it is killed.
  network.stall_after(1024 * 1024);
  follower.start();
  REQUIRE(kiosk::demo::wait_until([&] { return network.stalled(); }, std::chrono::seconds(30)));
  REQUIRE(follower.process->kill9());

  // Back up with the network still cut: the previous version, whole.
  network.block();
  follower.start();
  CHECK(follower.version().version() == 1);
  CHECK(follower.version().product_count() == 11);
  CHECK(follower.price("7310865004703") == 1695);
  CHECK(follower.price(gtin(59'999)) == -1);

  // The network back: the whole new version.
  network.pass();
  REQUIRE(follower.wait_upstream(2));
  CHECK(follower.version().product_count() == 60'001);
  CHECK(follower.price(gtin(59'999)) == 100 + 59'999 % 5000);
  CHECK(follower.price("7310865004703") == 1995);
  CHECK(follower.process->stop() == 0);
  CHECK(server.process->stop() == 0);
}
