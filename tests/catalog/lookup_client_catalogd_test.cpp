#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "catalog/lookup_client.h"
#include "child_process.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "temp_dir.h"

// catalog::LookupClient (the lane's lookups) against the real catalogd: a daemon that stops answering
// (SIGSTOP) costs a lookup its deadline, never more; a daemon killed and restarted is looked up again
// on a new stream.

namespace {

const char* const kToken = "store-it-test-token";

struct Catalogd {
  kiosk::test::TempDir dir{"kiosk-lookup-client"};
  std::filesystem::path config = dir.path() / "kiosk.toml";
  std::filesystem::path socket = dir.path() / "run" / "catalog.sock";
  std::unique_ptr<kiosk::test::ChildProcess> daemon;

  Catalogd() {
    // token_sha256: SHA-256 of kToken.
    std::ofstream(config) << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n[catalog]\n"
                             "token_sha256 = \"ac410f443ba557bb181e83200a3b52bcc561a944eb62f075d5a7afb964674928\"\n";
    start();
    auto stub = kiosk::v1::Catalog::NewStub(kiosk::make_unix_channel(socket));
    kiosk::v1::ImportRequest req;
    req.set_format(kiosk::v1::ImportRequest::FORMAT_CSV);
    req.set_mode(kiosk::v1::ImportRequest::MODE_FULL);
    req.set_source_name("push.csv");
    req.set_data(
        "gtin,name_sv,name_en,price_ore,unit,vat_class\n"
        "7310865004703,Mellanmjölk 1 l,Semi-skimmed milk 1 l,1695,each,food\n"
        "73101604,Tuggummi,Chewing gum,1495,each,food\n");
    kiosk::v1::ImportResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    kiosk::add_bearer_token(ctx, kToken);
    REQUIRE(stub->Import(&ctx, req, &resp).ok());
    REQUIRE(resp.applied());
  }
  ~Catalogd() {
    if (daemon && daemon->pid() > 0) ::kill(daemon->pid(), SIGCONT);  // a stopped child cannot take SIGTERM
  }
  void start() {
    daemon = std::make_unique<kiosk::test::ChildProcess>(
        std::vector<std::string>{KIOSK_BIN_DIR "/catalogd", "--config", config.string()}, dir.path() / "catalogd.log");
    REQUIRE(kiosk::wait_serving(socket, std::chrono::seconds(20)));
  }
};

// SIGSTOP is delivered asynchronously: waits (polling /proc, with a deadline) until every thread of
// `pid` is stopped, so no answer can still be on its way.
bool stopped(pid_t pid) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    bool all = true;
    std::error_code ec;
    for (const auto& t : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
      std::ifstream in(t.path() / "stat");
      std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const auto paren = stat.rfind(')');
      if (paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'T') all = false;
    }
    if (all && !ec) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace

TEST_CASE("a lookup to a catalogd that stopped answering ends at its deadline, later lookups work again") {
  Catalogd c;
  kiosk::catalog::LookupClient client(kiosk::make_unix_channel(c.socket), {.deadline = std::chrono::milliseconds(300)});
  REQUIRE(client.lookup("73101604"));
  REQUIRE(::kill(c.daemon->pid(), SIGSTOP) == 0);
  REQUIRE(stopped(c.daemon->pid()));
  for (int i = 0; i < 2; ++i) {  // on the open stream, then on a new one
    const auto t0 = std::chrono::steady_clock::now();
    auto r = client.lookup("7310865004703");
    const auto took = std::chrono::steady_clock::now() - t0;
    REQUIRE_FALSE(r);
    CHECK(r.error().code == kiosk::ErrorCode::kDeadlineExceeded);
    CHECK(took >= std::chrono::milliseconds(250));
    CHECK(took < std::chrono::milliseconds(1500));
  }
  REQUIRE(::kill(c.daemon->pid(), SIGCONT) == 0);
  auto r = client.lookup("7310865004703");
  REQUIRE(r);
  CHECK(r->product().price_ore() == 1695);
}

TEST_CASE("lookups survive kill -9 and restart of catalogd, on a new stream") {
  Catalogd c;
  kiosk::catalog::LookupClient client(
      kiosk::make_unix_channel(c.socket),
      {.deadline = std::chrono::seconds(2), .reopen_backoff = std::chrono::milliseconds(100)});
  REQUIRE(client.lookup("73101604"));
  CHECK(client.counts().opened == 1);
  REQUIRE(c.daemon->kill9());
  c.start();  // the same data folder: the pushed catalog is still served
  auto r = client.lookup("7310865004703");
  INFO((r ? std::string("ok") : r.message()));
  REQUIRE(r);
  CHECK(r->product().name_sv() == "Mellanmjölk 1 l");
  CHECK(client.counts().opened == 2);  // the broken stream was replaced, not given up for unary
  CHECK(client.counts().unary == 0);
}
