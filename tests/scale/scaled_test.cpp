// The scaled process over real gRPC on its Unix socket, against the real scale-sim: Watch starts with
// the status, a scanned and bagged item is ACCEPTED, Zero is refused during a session, SIGTERM exits 0.
#include <catch2/catch.hpp>

#include <grpcpp/grpcpp.h>
#include <fstream>

#include "child_process.h"
#include "common/rpc.h"
#include "kiosk/v1/scale.grpc.pb.h"
#include "sim_process.h"
#include "temp_dir.h"

using namespace std::chrono_literals;
using scale_test::Sim;
namespace fs = std::filesystem;
namespace pb = kiosk::v1;

TEST_CASE("scaled serves kiosk.v1.Scale: status first, ACCEPTED for a bagged scan, clean SIGTERM", "[integration]") {
  kiosk::test::TempDir dir{"scale-test"};
  Sim sim(dir.path() / "ttyScale", dir.path() / "scale.ctl");
  {
    std::ofstream cfg(dir.path() / "kiosk.toml");
    cfg << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n"
        << "[scale]\ndevice = \"ttyScale\"\npoll_ms = 50\nstable_ms = 400\ntolerance_min_mg = 10000\n"
        << "tolerance_k = 3\nbagging_timeout_ms = 20000\ninterval_mg = 1000\n";
  }
  kiosk::test::ChildProcess scaled(
      {std::string(KIOSK_BIN_DIR) + "/scaled", "--config", (dir.path() / "kiosk.toml").string()},
      dir.path() / "scaled.log");
  auto channel = kiosk::make_unix_channel(dir.path() / "run" / "scale.sock");
  const auto deadline = std::chrono::system_clock::now() + 20s;
  // Ready = the socket answers (bounded wait on the real state, no sleeping).
  bool connected = false;
  while (!connected && std::chrono::system_clock::now() < deadline)
    connected = channel->WaitForConnected(std::chrono::system_clock::now() + 200ms);
  REQUIRE(connected);
  auto stub = pb::Scale::NewStub(channel);

  grpc::ClientContext watch_ctx;
  watch_ctx.set_deadline(deadline);
  auto reader = stub->Watch(&watch_ctx, pb::ScaleWatchRequest());
  pb::ScaleEvent ev;
  REQUIRE(reader->Read(&ev));
  REQUIRE(ev.has_status());
  CHECK(ev.status().interval_mg() == 1000);

  // A session needs a weight from the scale: retry while the first readings come in.
  pb::ScaleSessionResponse session;
  grpc::Status st;
  do {
    grpc::ClientContext c;
    pb::BeginScaleSessionRequest req;
    req.set_session_id("s-42");
    st = stub->BeginSession(&c, req, &session);
    if (!st.ok()) {
      REQUIRE(st.error_code() == grpc::StatusCode::UNAVAILABLE);
      REQUIRE(reader->Read(&ev));  // the next event paces the retry
    }
  } while (!st.ok() && std::chrono::system_clock::now() < deadline);
  REQUIRE(st.ok());

  {
    grpc::ClientContext c;
    pb::ZeroResponse z;
    CHECK(stub->Zero(&c, pb::ZeroRequest(), &z).error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  }
  {
    grpc::ClientContext c;
    pb::ExpectItemRequest bad;
    bad.set_expectation_id("s-42/0");
    bad.set_expected_mg(-3);
    pb::ExpectItemResponse r;
    CHECK(stub->ExpectItem(&c, bad, &r).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  }
  pb::ExpectItemRequest item;
  item.set_expectation_id("s-42/1");
  item.set_gtin14("07310865004703");
  item.set_expected_mg(330000);
  item.set_spread_mg(4000);
  for (int i = 0; i < 2; ++i) {  // the retry is idempotent
    grpc::ClientContext c;
    pb::ExpectItemResponse r;
    REQUIRE(stub->ExpectItem(&c, item, &r).ok());
    CHECK(r.tolerance_mg() == 12093);  // 3 × sqrt((4 g)² + (0.5 g scale)²)
  }
  CHECK(sim.ctl("place 331000") == "ok 331000");

  int verdicts = 0;
  pb::BaggingVerdict verdict;
  while (reader->Read(&ev)) {
    CHECK_FALSE(ev.has_alert());
    if (ev.has_verdict()) {
      verdict = ev.verdict();
      ++verdicts;
      break;
    }
  }
  REQUIRE(verdicts == 1);
  CHECK(verdict.kind() == pb::BaggingVerdict::KIND_ACCEPTED);
  CHECK(verdict.expectation_id() == "s-42/1");
  CHECK(std::llabs(verdict.measured_delta_mg() - 331000) <= 1000);

  {
    grpc::ClientContext c;
    pb::EndScaleSessionRequest req;
    req.set_session_id("s-42");
    pb::ScaleSessionResponse r;
    REQUIRE(stub->EndSession(&c, req, &r).ok());
    CHECK(std::llabs(r.baseline_mg() - 331000) <= 1000);
  }
  // SIGTERM ends the open Watch stream and the process exits 0.
  CHECK(scaled.stop() == 0);
  while (reader->Read(&ev)) {
  }
  const auto end = reader->Finish();
  CHECK((end.ok() || end.error_code() == grpc::StatusCode::UNAVAILABLE ||
         end.error_code() == grpc::StatusCode::CANCELLED));
}
