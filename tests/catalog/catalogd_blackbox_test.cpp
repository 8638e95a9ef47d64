#include <grpcpp/grpcpp.h>
#include <sodium.h>
#include <sys/wait.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "common/gtin.h"
#include "common/rpc.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "temp_dir.h"

// The real catalogd and kioskctl executables, as store IT runs them: a config file in a temp dir, the
// daemon on its Unix socket, kioskctl pushing and reading, SIGTERM for a clean exit.

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a command through the shell with stdout and stderr captured in files.
Run run(const kiosk::test::TempDir& dir, const std::string& cmd) {
  const auto out = dir.path() / "cmd.out";
  const auto err = dir.path() / "cmd.err";
  const int status = std::system((cmd + " >" + out.string() + " 2>" + err.string()).c_str());
  Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

// A real catalogd on a temp config, serving, and the kioskctl command line that talks to it.
struct CatalogdRun {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  std::filesystem::path config = write_config(dir.path() / "kiosk.toml");
  std::string ctl = std::string(KIOSK_BIN_DIR "/kioskctl --config ") + config.string();
  kiosk::test::ChildProcess daemon{{KIOSK_BIN_DIR "/catalogd", "--config", config.string()},
                                   dir.path() / "catalogd.log"};

  CatalogdRun() {
    // kioskctl's store-IT token, from the environment as a store IT shell would set it.
    ::setenv("KIOSK_STORE_IT_TOKEN", "store-it-test-token", 1);
    REQUIRE(kiosk::wait_serving(dir.path() / "run" / "catalog.sock", std::chrono::seconds(20)));
  }
  static std::filesystem::path write_config(const std::filesystem::path& p) {
    // token_sha256: SHA-256 of "store-it-test-token".
    std::ofstream(p) << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n[catalog]\n"
                        "token_sha256 = \"ac410f443ba557bb181e83200a3b52bcc561a944eb62f075d5a7afb964674928\"\n";
    return p;
  }
};

}  // namespace

TEST_CASE("catalogd and kioskctl: push the demo catalog, read it back, reject a bad push, exit on SIGTERM") {
  CatalogdRun it;
  const auto& dir = it.dir;
  const std::string& ctl = it.ctl;
  auto& daemon = it.daemon;
  INFO(slurp(dir.path() / "catalogd.log"));
  CHECK(std::filesystem::is_directory(dir.path() / "data" / "catalog"));

  auto r = run(dir, ctl + " catalog version");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "version 0: nothing imported yet\n");

  r = run(dir, ctl + " catalog import " KIOSK_SOURCE_DIR "/deploy/demo/catalog.csv");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("version 1: ") && Catch::EndsWith(" products\n"));

  r = run(dir, ctl + " catalog get 7310865004703");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Mellanmjölk") && Catch::Contains("16,95 kr"));
  r = run(dir, ctl + " catalog get 4011");
  CHECK_THAT(r.out, Catch::Contains("Bananer") && Catch::Contains("kr/kg"));
  r = run(dir, ctl + " catalog get 7310865004704");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("check digit"));

  r = run(dir, ctl + " catalog search kaffe");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("07310112004500"));

  const auto bad = dir.path() / "bad.csv";
  std::ofstream(bad) << "gtin,name_sv,price_ore,vat_class\n7310865004703,Mjölk,100,food\n"
                        "7310865004704,Fel,100,food\n7310865005120,Smör,-1,food\n";
  r = run(dir, ctl + " catalog import " + bad.string());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(bad.string() + ":3: gtin: ") && Catch::Contains(bad.string() + ":4: price_ore: ") &&
                        Catch::Contains("nothing imported, version 1 is still served"));
  r = run(dir, ctl + " catalog version");
  CHECK_THAT(r.out, Catch::StartsWith("version 1: ") && Catch::Contains("from catalog.csv"));

  // A second push with the milk dearer, then back to version 1.
  const auto dearer = dir.path() / "dearer.csv";
  std::ofstream(dearer) << "gtin,name_sv,name_en,price_ore,unit,vat_class\n"
                           "7310865004703,Mellanmjölk,Milk,1995,each,food\n";
  r = run(dir, ctl + " catalog import " + dearer.string());
  CHECK(r.exit_code == 0);
  r = run(dir, ctl + " catalog versions");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("*      2") && Catch::Contains("dearer.csv") && Catch::Contains("catalog.csv"));
  r = run(dir, ctl + " catalog diff 1 2");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("~ 07310865004703  Mellanmjölk: ") && Catch::Contains("price_ore 1695 -> 1995") &&
                        Catch::Contains("- 07310112004500") && Catch::Contains("version 1 -> 2: 0 added"));
  r = run(dir, ctl + " catalog rollback 1");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("version 3: ") && Catch::Contains("rollback to version 1"));
  r = run(dir, ctl + " catalog get 7310865004703");
  CHECK_THAT(r.out, Catch::Contains("16,95 kr"));
  r = run(dir, ctl + " catalog rollback 9");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("not found") && Catch::Contains("version 9 is not kept"));

  r = run(dir, ctl + " health");
  CHECK(r.exit_code == 1);  // only the catalog runs here
  CHECK_THAT(r.out, Catch::Contains("SERVING") && Catch::Contains("vision") && Catch::Contains("unreachable"));
  CHECK_THAT(r.out.substr(0, r.out.find('\n')), Catch::StartsWith("catalog") && Catch::EndsWith("SERVING"));

  CHECK(daemon.stop() == 0);
}

TEST_CASE("catalogd takes a push larger than gRPC's default 4 MB message limit from kioskctl") {
  CatalogdRun it;
  const auto& dir = it.dir;
  const std::string& ctl = it.ctl;
  auto& daemon = it.daemon;
  INFO(slurp(dir.path() / "catalogd.log"));

  const auto big = dir.path() / "big.csv";
  std::size_t bytes = 0;
  {
    std::ofstream out(big, std::ios::binary);
    const std::string header = "gtin,name_sv,name_en,brand,price_ore,vat_class\n";
    out << header;
    bytes += header.size();
    for (int i = 0; i < 60'000; ++i) {
      const std::string body = "73" + std::string(10 - std::to_string(i).size(), '0') + std::to_string(i);
      const std::string row = body + kiosk::gtin_check_digit(body) + ",Produkt nummer " + std::to_string(i) +
                              " med ett långt namn,Product number " + std::to_string(i) +
                              " with a long name,Varumärke,1995,food\n";
      out << row;
      bytes += row.size();
    }
  }
  REQUIRE(bytes > 5 * 1024 * 1024);
  auto r = run(dir, ctl + " catalog import " + big.string());
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "version 1: 60000 products\n");
  r = run(dir, ctl + " catalog get 7300000599997");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Product number 59999 with a long name"));
  CHECK(daemon.stop() == 0);
}

TEST_CASE("kioskctl hash-pin prints an Argon2id hash that verifies") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  auto r = run(dir, "echo 4711 | " KIOSK_BIN_DIR "/kioskctl hash-pin");
  REQUIRE(r.exit_code == 0);
  REQUIRE(!r.out.empty());
  const std::string hash = r.out.substr(0, r.out.size() - 1);
  CHECK_THAT(hash, Catch::StartsWith("$argon2id$"));
  REQUIRE(sodium_init() >= 0);
  CHECK(crypto_pwhash_str_verify(hash.c_str(), "4711", 4) == 0);
  CHECK(crypto_pwhash_str_verify(hash.c_str(), "4712", 4) != 0);
}
