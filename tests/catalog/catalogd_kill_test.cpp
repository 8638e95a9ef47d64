#include <grpcpp/grpcpp.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "child_process.h"
#include "common/gtin.h"
#include "common/rpc.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "temp_dir.h"

// kill -9 of the real catalogd at several points of a large push (while the push arrives, while it is
// parsed, while the new version is written, after it is applied): after a restart the catalog serves
// either the previous version intact or the whole new one, never a mix.

namespace {

constexpr int kBigProducts = 150'000;

std::string big_gtin(int i) {
  const std::string body = "73" + std::string(10 - std::to_string(i).size(), '0') + std::to_string(i);
  return body + kiosk::gtin_check_digit(body);
}

// kB from /proc/<pid>/status (VmRSS), 0 once the process is gone.
long rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// Bytes of RocksDB write-ahead logs (*.log) in the database folder.
std::uintmax_t wal_bytes(const std::filesystem::path& db) {
  std::uintmax_t n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(db, ec)) {
    if (e.path().extension() == ".log") n += e.file_size(ec);
  }
  return n;
}

struct Served {
  std::uint64_t version = 0;
  std::uint32_t products = 0;
  std::string milk_name;  // from the first push; empty when not found
  bool big_found = false;
};

Served served(const std::filesystem::path& socket) {
  auto stub = kiosk::v1::Catalog::NewStub(kiosk::make_unix_channel(socket));
  Served s;
  kiosk::v1::CatalogVersion v;
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    REQUIRE(stub->GetVersion(&ctx, {}, &v).ok());
  }
  s.version = v.version();
  s.products = v.product_count();
  kiosk::v1::LookupRequest req;
  kiosk::v1::LookupResponse resp;
  req.set_code("7310865004703");
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (stub->Lookup(&ctx, req, &resp).ok()) s.milk_name = resp.product().name_sv();
  }
  req.set_code(big_gtin(kBigProducts - 1));
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    s.big_found = stub->Lookup(&ctx, req, &resp).ok();
  }
  return s;
}

}  // namespace

TEST_CASE("kill -9 of catalogd during a large push: afterwards the previous version is served intact") {
  kiosk::test::TempDir dir{"kiosk-catalog"};
  const auto config = dir.path() / "kiosk.toml";
  // token_sha256: SHA-256 of "store-it-test-token", which kioskctl reads from the environment.
  std::ofstream(config) << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n[catalog]\n"
                           "token_sha256 = \"ac410f443ba557bb181e83200a3b52bcc561a944eb62f075d5a7afb964674928\"\n";
  ::setenv("KIOSK_STORE_IT_TOKEN", "store-it-test-token", 1);
  const auto socket = dir.path() / "run" / "catalog.sock";
  const auto db = dir.path() / "data" / "catalog";
  const auto log = dir.path() / "catalogd.log";
  const std::vector<std::string> daemon_argv{KIOSK_BIN_DIR "/catalogd", "--config", config.string()};
  const std::vector<std::string> small_push{KIOSK_BIN_DIR "/kioskctl",
                                            "--config",
                                            config.string(),
                                            "catalog",
                                            "import",
                                            KIOSK_SOURCE_DIR "/deploy/demo/catalog.csv"};
  const auto big = dir.path() / "big.csv";
  {
    std::ofstream out(big, std::ios::binary);
    out << "gtin,name_sv,name_en,price_ore,vat_class\n";
    for (int i = 0; i < kBigProducts; ++i) {
      out << big_gtin(i) << ",Produkt " << i << ",Product " << i << "," << 100 + i % 5000 << ",food\n";
    }
  }
  const std::vector<std::string> big_push{
      KIOSK_BIN_DIR "/kioskctl", "--config", config.string(), "catalog", "import", big.string()};

  Served before;
  {
    kiosk::test::ChildProcess daemon(daemon_argv, log);
    REQUIRE(kiosk::wait_serving(socket, std::chrono::seconds(20)));
    REQUIRE(kiosk::test::run_to_exit(small_push, dir.path() / "kioskctl.log") == 0);
    before = served(socket);
    REQUIRE(before.version == 1);
    REQUIRE(before.products > 10);
    REQUIRE(!before.milk_name.empty());
    REQUIRE_FALSE(before.big_found);
    CHECK(daemon.stop() == 0);
  }

  // Where to kill: polled real states of the daemon, each with a deadline (then it is killed anyway).
  enum class Point { kAtOnce, kReceiving, kWriting, kAfterApplied };
  int new_version_seen = 0;
  for (const Point point : {Point::kAtOnce, Point::kReceiving, Point::kWriting, Point::kAfterApplied}) {
    INFO("kill point " << static_cast<int>(point));
    std::uint64_t served_version = 0;
    {
      kiosk::test::ChildProcess daemon(daemon_argv, log);
      REQUIRE(kiosk::wait_serving(socket, std::chrono::seconds(20)));
      served_version = served(socket).version;
      const long rss0 = rss_kb(daemon.pid());
      const std::uintmax_t wal0 = wal_bytes(db);
      kiosk::test::ChildProcess push(big_push, dir.path() / "kioskctl.log");
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      const auto reached = [&] {
        switch (point) {
          case Point::kAtOnce:
            return true;
          case Point::kReceiving:  // the push is arriving: the daemon has grown by a few MB
            return rss_kb(daemon.pid()) > rss0 + 4 * 1024;
          case Point::kWriting:  // the new version is going into the write-ahead log
            return wal_bytes(db) > wal0 + 1024 * 1024;
          case Point::kAfterApplied:  // kioskctl got its answer
            return !push.running();
        }
        return true;
      };
      while (!reached() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // polling the daemon's state, with a deadline
      }
      REQUIRE(daemon.kill9());
    }
    kiosk::test::ChildProcess daemon(daemon_argv, log);
    REQUIRE(kiosk::wait_serving(socket, std::chrono::seconds(30)));
    const Served after = served(socket);
    if (after.version == served_version) {
      // The push never applied: the previous version, whole.
      CHECK(after.products == (served_version == 1 ? before.products : static_cast<std::uint32_t>(kBigProducts)));
      CHECK(after.milk_name == (served_version == 1 ? before.milk_name : ""));
      CHECK(after.big_found == (served_version != 1));
    } else {
      // The push applied before the kill: the whole new version.
      ++new_version_seen;
      CHECK(after.version == served_version + 1);
      CHECK(after.products == static_cast<std::uint32_t>(kBigProducts));
      CHECK(after.big_found);
      CHECK(after.milk_name.empty());
    }
    CHECK(daemon.stop() == 0);
  }
  // The last kill point waits for kioskctl's answer, so at least that push was applied.
  CHECK(new_version_seen >= 1);
}
