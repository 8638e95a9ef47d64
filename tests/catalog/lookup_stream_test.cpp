#include <grpcpp/grpcpp.h>
#include <catch2/catch.hpp>
#include <thread>

#include "catalog/catalog_service.h"
#include "catalog/catalog_store.h"
#include "catalog/lookup_client.h"
#include "common/clock.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "served_catalog.h"

// Catalog.LookupStream on the real service (Unix socket, real RocksDB in a temp dir), driven by a raw
// gRPC stream and by catalog::LookupClient, the lane's client.

using kiosk::catalog::CatalogService;
using kiosk::catalog::CatalogStore;
using kiosk::catalog::LookupClient;
using kiosk::v1::LookupStreamRequest;
using kiosk::v1::LookupStreamResponse;
using Stream = grpc::ClientReaderWriter<LookupStreamRequest, LookupStreamResponse>;

namespace {

const std::string kProducts =
    "gtin,name_sv,name_en,price_ore,unit,vat_class,expected_weight_mg,weight_spread_mg\n"
    "7310865004703,Mellanmjölk 1 l,Semi-skimmed milk 1 l,1695,each,food,1035000,8000\n"
    "73101604,Tuggummi,Chewing gum,1495,each,food,27000,1500\n"
    "7310520001443,Pripps Blå,Pripps lager,1795,each,food,525000,5000\n";

LookupStreamRequest request(std::uint64_t id, const std::string& code) {
  LookupStreamRequest r;
  r.set_id(id);
  r.set_code(code);
  return r;
}

struct Fixture : kiosk::test::ServedCatalog {
  Fixture() : ServedCatalog("kiosk-lookup-stream") {
    auto imported =
        store->import_text(kProducts, kiosk::catalog::InputFormat::kCsv, kiosk::catalog::ImportMode::kFull, "push.csv");
    REQUIRE(imported);
    REQUIRE(imported->applied);
  }

  // A stream open on the server: one lookup of `code` written and answered.
  std::unique_ptr<Stream> open_stream(grpc::ClientContext& ctx, const std::string& code) {
    auto stream = stub->LookupStream(&ctx);
    REQUIRE(stream->Write(request(1, code)));
    LookupStreamResponse resp;
    REQUIRE(stream->Read(&resp));
    REQUIRE(wait_open_streams(1));
    return stream;
  }

  // Waits (polling a real state, with a deadline) until the service has `n` open lookup streams.
  bool wait_open_streams(std::size_t n) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < until) {
      if (service->open_lookup_streams() == n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
};

}  // namespace

TEST_CASE("LookupStream answers every request in order with its id and code, bad codes are per-message errors") {
  Fixture f;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = f.stub->LookupStream(&ctx);
  // All sent before any answer is read: the answers must still come one per request, in order.
  const std::vector<std::string> codes{"7310865004703", "7310865004704",  "73101604",     "7310865004710",
                                       "abc",           "07310520001443", "7310865004703"};
  for (std::size_t i = 0; i < codes.size(); ++i) REQUIRE(stream->Write(request(100 + i, codes[i])));
  std::vector<LookupStreamResponse> answers;
  LookupStreamResponse resp;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    REQUIRE(stream->Read(&resp));
    answers.push_back(resp);
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {
    INFO("answer " << i);
    CHECK(answers[i].id() == 100 + i);
    CHECK(answers[i].code() == codes[i]);
  }
  CHECK(answers[0].has_found());
  CHECK(answers[0].found().product().gtin14() == "07310865004703");
  CHECK(answers[0].found().product().price_ore() == 1695);
  CHECK(answers[0].found().catalog_version() == 1);
  // A malformed code: INVALID_ARGUMENT saying why, and the stream carries on.
  CHECK(answers[1].has_error());
  CHECK(answers[1].error().code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_FALSE(answers[1].error().message().empty());
  CHECK(answers[2].found().product().gtin14() == "00000073101604");
  // A well-formed code no product has: NOT_FOUND, and the stream carries on.
  CHECK(answers[3].has_error());
  CHECK(answers[3].error().code() == grpc::StatusCode::NOT_FOUND);
  CHECK(answers[4].error().code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(answers[5].found().product().gtin14() == "07310520001443");
  CHECK(answers[6].found().product().name_sv() == "Mellanmjölk 1 l");

  // The same answers as the unary Lookup, field for field.
  {
    grpc::ClientContext uctx;
    kiosk::v1::LookupRequest ureq;
    ureq.set_code(codes[0]);
    kiosk::v1::LookupResponse uresp;
    REQUIRE(f.stub->Lookup(&uctx, ureq, &uresp).ok());
    CHECK(uresp.SerializeAsString() == answers[0].found().SerializeAsString());
  }

  // Closing the client's side ends the stream with OK (and the server forgets it).
  REQUIRE(stream->WritesDone());
  CHECK_FALSE(stream->Read(&resp));
  const grpc::Status st = stream->Finish();
  CHECK(st.ok());
  CHECK(f.wait_open_streams(0));
}

TEST_CASE("LookupStream ends promptly when the catalog shuts down, and refuses new streams after") {
  Fixture f;
  grpc::ClientContext ctx;
  auto stream = f.open_stream(ctx, "7310865004703");

  // A reader blocked on the next answer; shutting down with a long grace must still end it at once.
  std::atomic<bool> read_returned{false};
  std::thread reader([&] {
    LookupStreamResponse r;
    while (stream->Read(&r)) {
    }
    read_returned = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  f.service->stop();
  reader.join();
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(read_returned);
  CHECK(took < std::chrono::seconds(2));
  const grpc::Status st = stream->Finish();
  CHECK(st.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK(f.wait_open_streams(0));

  // A stream opened after stop() ends at once.
  grpc::ClientContext ctx2;
  ctx2.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto late = f.stub->LookupStream(&ctx2);
  (void)late->Write(request(2, "7310865004703"));
  LookupStreamResponse resp;
  CHECK_FALSE(late->Read(&resp));
  CHECK(late->Finish().error_code() == grpc::StatusCode::UNAVAILABLE);

  const auto s0 = std::chrono::steady_clock::now();
  f.shut_down(std::chrono::seconds(10));  // nothing left open: returns without using the grace
  CHECK(std::chrono::steady_clock::now() - s0 < std::chrono::seconds(3));
}

TEST_CASE("LookupStream ends on the server when the client cancels") {
  Fixture f;
  grpc::ClientContext ctx;
  auto stream = f.open_stream(ctx, "73101604");
  ctx.TryCancel();
  CHECK(f.wait_open_streams(0));
  CHECK(stream->Finish().error_code() == grpc::StatusCode::CANCELLED);
}

TEST_CASE("LookupClient answers on one stream, with Lookup's errors") {
  Fixture f;
  LookupClient client(kiosk::make_unix_channel(f.socket), {.deadline = std::chrono::seconds(5)});
  auto hit = client.lookup("7310865004703");
  REQUIRE(hit);
  CHECK(hit->product().gtin14() == "07310865004703");
  auto bad = client.lookup("7310865004704");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == kiosk::ErrorCode::kInvalidArgument);
  CHECK(bad.message().find("catalog lookup of 7310865004704") != std::string::npos);
  auto unknown = client.lookup("7310865004710");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == kiosk::ErrorCode::kNotFound);
  auto again = client.lookup("73101604");
  REQUIRE(again);
  CHECK(again->product().price_ore() == 1495);
  const auto n = client.counts();
  CHECK(n.streamed == 4);
  CHECK(n.unary == 0);
  CHECK(n.opened == 1);
  CHECK(f.service->open_lookup_streams() == 1);
}

TEST_CASE("LookupClient reopens its stream after the catalog restarts, and uses Lookup while none opens") {
  Fixture f;
  LookupClient client(kiosk::make_unix_channel(f.socket),
                      {.deadline = std::chrono::seconds(2), .reopen_backoff = std::chrono::milliseconds(200)});
  REQUIRE(client.lookup("73101604"));
  REQUIRE(f.wait_open_streams(1));

  f.shut_down(std::chrono::seconds(1));
  // The catalog is down: the lookup fails (fast, within its deadline) rather than hang.
  const auto t0 = std::chrono::steady_clock::now();
  auto down = client.lookup("73101604");
  REQUIRE_FALSE(down);
  CHECK(down.error().code == kiosk::ErrorCode::kUnavailable);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2500));

  f.serve();  // the same store, a new server on the same socket
  REQUIRE(kiosk::wait_serving(f.socket, std::chrono::seconds(10)));
  // Within the reopen backoff lookups may go unary; after it, a new stream. Either way they answer.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (client.counts().opened < 2 && std::chrono::steady_clock::now() < until) {
    auto r = client.lookup("7310865004703");
    REQUIRE(r);
    CHECK(r->product().price_ore() == 1695);
  }
  CHECK(client.counts().opened == 2);
  CHECK(f.wait_open_streams(1));
  const auto streamed = client.counts().streamed;
  REQUIRE(client.lookup("7310520001443"));
  CHECK(client.counts().streamed == streamed + 1);
}

TEST_CASE("LookupClient::stop cancels and later lookups fail at once") {
  Fixture f;
  LookupClient client(kiosk::make_unix_channel(f.socket), {});
  REQUIRE(client.lookup("73101604"));
  REQUIRE(f.wait_open_streams(1));
  client.stop();
  CHECK(f.wait_open_streams(0));  // the stream was cancelled
  auto r = client.lookup("73101604");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == kiosk::ErrorCode::kUnavailable);
}
