// The gRPC adapter in-process on a real Unix socket. The peers' sockets do not exist: checkoutd must
// keep serving while they are down.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "checkout/checkout_service.h"
#include "common/rpc.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;

namespace {

// Collects what a Watch stream delivers.
class Watcher {
 public:
  explicit Watcher(v1::Checkout::Stub& stub) {
    thread_ = std::thread([this, &stub] {
      auto reader = stub.Watch(&ctx_, v1::WatchRequest());
      v1::Session s;
      while (reader->Read(&s)) {
        std::lock_guard l(mu_);
        got_.push_back(s);
        cv_.notify_all();
      }
      reader->Finish();
    });
  }
  ~Watcher() {
    ctx_.TryCancel();
    thread_.join();
  }
  // Waits (5 s at most) until `n` sessions have arrived.
  std::vector<v1::Session> wait_for(std::size_t n) {
    std::unique_lock l(mu_);
    cv_.wait_for(l, std::chrono::seconds(5), [&] { return got_.size() >= n; });
    return got_;
  }

 private:
  grpc::ClientContext ctx_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<v1::Session> got_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("Checkout over gRPC: Watch Act sales and journal", "[service]") {
  TempDir tmp{"checkout-test"};
  SystemClock clock;
  LaneCore::Options opts;
  opts.lane = {2, "Exempelbutiken", "Storgatan 1", "556000-0000", "SEK"};
  auto core = LaneCore::open(tmp.path() / "data", opts, clock, nullptr);
  REQUIRE(core);
  PeerLinks::Options popts;
  popts.reconnect_backoff = std::chrono::milliseconds(50);
  PeerLinks peers(
      **core,
      {tmp.path() / "catalog.sock", tmp.path() / "vision.sock", tmp.path() / "scale.sock", tmp.path() / "payment.sock"},
      popts);
  CheckoutService service(**core, peers);
  auto server = start_unix_server(tmp.path() / "checkout.sock", {&service});
  REQUIRE(server);
  peers.start();
  auto stub = v1::Checkout::NewStub(make_unix_channel(tmp.path() / "checkout.sock"));

  {
    Watcher watcher(*stub);
    auto first = watcher.wait_for(1);
    REQUIRE(first.size() == 1);
    CHECK(first[0].state() == v1::SESSION_STATE_IDLE);
    CHECK(first[0].revision() == 0);
    CHECK(first[0].lane() == 2);

    // Start: the answer and the stream carry the new revision.
    v1::ActRequest start;
    start.set_request_id("r-1");
    start.mutable_start();
    v1::Session after;
    {
      grpc::ClientContext ctx;
      REQUIRE(stub->Act(&ctx, start, &after).ok());
    }
    CHECK(after.state() == v1::SESSION_STATE_SCANNING);
    CHECK(after.revision() == 1);
    auto got = watcher.wait_for(2);
    REQUIRE(got.size() == 2);
    CHECK(got[1].SerializeAsString() == after.SerializeAsString());

    // The same request_id again: the same answer, nothing redone.
    v1::Session replay;
    {
      grpc::ClientContext ctx;
      REQUIRE(stub->Act(&ctx, start, &replay).ok());
    }
    CHECK(replay.revision() == 1);

    // An intent the state refuses: FAILED_PRECONDITION saying why.
    v1::ActRequest pay;
    pay.set_request_id("r-2");
    pay.mutable_pay();
    {
      grpc::ClientContext ctx;
      v1::Session s;
      const auto st = stub->Act(&ctx, pay, &s);
      CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
      CHECK_THAT(st.error_message(), Catch::Contains("basket is empty"));
    }
    // A request without an action.
    {
      grpc::ClientContext ctx;
      v1::Session s;
      CHECK(stub->Act(&ctx, v1::ActRequest(), &s).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    }
    // Attendant actions need a configured, verified attendant.
    {
      grpc::ClientContext ctx;
      v1::ActRequest help;
      help.mutable_cancel_sale();
      v1::Session s;
      CHECK(stub->Act(&ctx, help, &s).error_code() == grpc::StatusCode::PERMISSION_DENIED);
    }
    // A typed code while the catalog is down: UNAVAILABLE, promptly, and nothing changes.
    {
      grpc::ClientContext ctx;
      v1::ActRequest code;
      code.mutable_enter_code()->set_code("7310865004703");
      v1::Session s;
      const auto st = stub->Act(&ctx, code, &s);
      CHECK(st.error_code() == grpc::StatusCode::UNAVAILABLE);
      CHECK_THAT(st.error_message(), Catch::Contains("7310865004703"));
    }
    CHECK((*core)->session().revision() == 1);
  }

  {
    grpc::ClientContext ctx;
    v1::VerifyJournalResponse v;
    REQUIRE(stub->VerifyJournal(&ctx, v1::VerifyJournalRequest(), &v).ok());
    CHECK(v.ok());
    CHECK(v.sales_checked() == 0);
  }
  {
    grpc::ClientContext ctx;
    v1::GetSaleRequest req;
    req.set_receipt_number(1);
    v1::Sale sale;
    CHECK(stub->GetSale(&ctx, req, &sale).error_code() == grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext ctx;
    v1::ListSalesResponse resp;
    REQUIRE(stub->ListSales(&ctx, v1::ListSalesRequest(), &resp).ok());
    CHECK(resp.sales_size() == 0);
  }

  // Shutdown is prompt even with a Watch open and peers down.
  Watcher open_stream(*stub);
  REQUIRE(open_stream.wait_for(1).size() == 1);
  const auto t0 = std::chrono::steady_clock::now();
  service.stop();
  peers.stop();
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
}
