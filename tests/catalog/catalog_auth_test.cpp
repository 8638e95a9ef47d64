#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>

#include "catalog/auth_check.h"
#include "catalog/auth_token.h"
#include "catalog/catalog_service.h"
#include "catalog/catalog_store.h"
#include "common/clock.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "temp_dir.h"
#include "test_certs.h"

// The store-IT token on catalog writes (Unix socket and TLS alike) and the TLS listener for the store
// network: the real service, real gRPC, real certificates made for the test.

using kiosk::catalog::CatalogService;
using kiosk::catalog::CatalogStore;
using kiosk::catalog::TokenVerifier;

namespace {

constexpr const char* kToken = "store-it-test-token";
const std::string kCsv =
    "gtin,name_sv,name_en,price_ore,unit,vat_class\n"
    "7310865004703,Mellanmjölk,Milk,1695,each,food\n";
const std::string kDearer =
    "gtin,name_sv,name_en,price_ore,unit,vat_class\n"
    "7310865004703,Mellanmjölk,Milk,1995,each,food\n";

TokenVerifier verifier() {
  auto v = TokenVerifier::from_sha256_hex(kiosk::catalog::token_sha256_hex(kToken));
  REQUIRE(v);
  return *v;
}

struct Served {
  kiosk::test::TempDir dir{"kiosk-auth"};
  kiosk::ManualClock clock{1'790'000'000'000};
  std::unique_ptr<CatalogStore> store;
  std::unique_ptr<CatalogService> service;
  std::unique_ptr<grpc::Server> server;
  std::filesystem::path socket = dir.path() / "catalog.sock";
  int tls_port = 0;
  kiosk::test::TestCerts certs = kiosk::test::make_test_certs(dir.path());

  // `tls`: also listen on 127.0.0.1 with TLS; `client_ca`: and require client certificates.
  explicit Served(std::optional<TokenVerifier> writes, bool tls = false, bool client_ca = false) {
    auto s = CatalogStore::open(dir.path() / "db", clock);
    REQUIRE(s);
    store = std::move(*s);
    service = std::make_unique<CatalogService>(*store, writes);
    std::optional<kiosk::TlsListener> listener;
    if (tls) {
      listener = kiosk::TlsListener{"127.0.0.1:0", kiosk::test::read_text(certs.server_cert),
                                    kiosk::test::read_text(certs.server_key),
                                    client_ca ? kiosk::test::read_text(certs.ca_cert) : "",
                                    kiosk::catalog::make_token_processor(writes.value_or(TokenVerifier()))};
    }
    auto srv = kiosk::start_server(socket, {service.get()}, {}, listener, &tls_port);
    REQUIRE(srv);
    server = std::move(*srv);
  }
  ~Served() {
    service->stop();
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  }
  std::shared_ptr<grpc::Channel> unix_channel() { return kiosk::make_unix_channel(socket); }
  std::shared_ptr<grpc::Channel> tls_channel(bool client_cert = false, bool right_ca = true) {
    kiosk::TlsClientOptions o;
    o.ca_pem = kiosk::test::read_text(right_ca ? certs.ca_cert : certs.other_ca_cert);
    if (client_cert) {
      o.cert_pem = kiosk::test::read_text(certs.client_cert);
      o.key_pem = kiosk::test::read_text(certs.client_key);
    }
    return kiosk::make_tls_channel("127.0.0.1:" + std::to_string(tls_port), o);
  }
};

grpc::Status import(grpc::Channel& ch, const std::string& csv, const char* token, kiosk::v1::ImportResponse* resp) {
  auto stub = kiosk::v1::Catalog::NewStub(std::shared_ptr<grpc::Channel>(&ch, [](grpc::Channel*) {}));
  kiosk::v1::ImportRequest req;
  req.set_format(kiosk::v1::ImportRequest::FORMAT_CSV);
  req.set_mode(kiosk::v1::ImportRequest::MODE_FULL);
  req.set_data(csv);
  req.set_source_name("push.csv");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (token != nullptr) kiosk::add_bearer_token(ctx, token);
  return stub->Import(&ctx, req, resp);
}

grpc::Status lookup(grpc::Channel& ch, const char* token, kiosk::v1::LookupResponse* resp) {
  auto stub = kiosk::v1::Catalog::NewStub(std::shared_ptr<grpc::Channel>(&ch, [](grpc::Channel*) {}));
  kiosk::v1::LookupRequest req;
  req.set_code("7310865004703");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (token != nullptr) kiosk::add_bearer_token(ctx, token);
  return stub->Lookup(&ctx, req, resp);
}

}  // namespace

TEST_CASE("the token check: SHA-256 from config, missing, wrong and right tokens") {
  CHECK(kiosk::catalog::token_sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_FALSE(TokenVerifier::from_sha256_hex("abc"));
  CHECK_FALSE(TokenVerifier::from_sha256_hex(std::string(64, 'g')));
  const auto v = verifier();
  CHECK(v.check("") == TokenVerifier::Outcome::kMissing);
  CHECK(v.check("Basic dXNlcjpwYXNz") == TokenVerifier::Outcome::kMissing);
  CHECK(v.check("Bearer nope") == TokenVerifier::Outcome::kWrong);
  CHECK(v.check(std::string("Bearer ") + kToken + "x") == TokenVerifier::Outcome::kWrong);
  CHECK(v.check(std::string("Bearer ") + kToken) == TokenVerifier::Outcome::kOk);
  CHECK(v.check(std::string("bearer ") + kToken) == TokenVerifier::Outcome::kOk);
  CHECK(TokenVerifier().check(std::string("Bearer ") + kToken) == TokenVerifier::Outcome::kNotConfigured);
}

TEST_CASE("writes on the Unix socket without or with a wrong token are refused and change nothing") {
  Served s(verifier());
  auto ch = s.unix_channel();
  kiosk::v1::ImportResponse resp;
  REQUIRE(import(*ch, kCsv, kToken, &resp).ok());
  REQUIRE(resp.applied());
  REQUIRE(resp.version() == 1);

  auto st = import(*ch, kDearer, nullptr, &resp);
  CHECK(st.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK_THAT(st.error_message(), Catch::Contains("store-IT token"));
  st = import(*ch, kDearer, "guess", &resp);
  CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(s.store->version().version == 1);

  // Rollback and the streamed import too.
  auto stub = kiosk::v1::Catalog::NewStub(ch);
  {
    kiosk::v1::RollbackRequest req;
    req.set_version(1);
    kiosk::v1::CatalogVersion out;
    grpc::ClientContext ctx;
    CHECK(stub->Rollback(&ctx, req, &out).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext ctx;
    kiosk::add_bearer_token(ctx, "guess");
    kiosk::v1::ImportResponse out;
    auto w = stub->ImportStream(&ctx, &out);
    kiosk::v1::ImportRequest piece;
    piece.set_format(kiosk::v1::ImportRequest::FORMAT_CSV);
    piece.set_data(kDearer);
    w->Write(piece);
    w->WritesDone();
    CHECK(w->Finish().error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }
  CHECK(s.store->version().version == 1);
  kiosk::v1::LookupResponse hit;
  REQUIRE(lookup(*ch, nullptr, &hit).ok());  // reads on the local socket need no token
  CHECK(hit.product().price_ore() == 1695);

  // The right token through the streamed import: applied.
  {
    grpc::ClientContext ctx;
    kiosk::add_bearer_token(ctx, kToken);
    kiosk::v1::ImportResponse out;
    auto w = stub->ImportStream(&ctx, &out);
    kiosk::v1::ImportRequest piece;
    piece.set_format(kiosk::v1::ImportRequest::FORMAT_CSV);
    piece.set_source_name("dearer.csv");
    piece.set_data(kDearer.substr(0, 20));
    REQUIRE(w->Write(piece));
    piece.clear_format();
    piece.set_data(kDearer.substr(20));
    REQUIRE(w->Write(piece));
    w->WritesDone();
    REQUIRE(w->Finish().ok());
    CHECK(out.applied());
    CHECK(out.version() == 2);
  }
  REQUIRE(lookup(*ch, nullptr, &hit).ok());
  CHECK(hit.product().price_ore() == 1995);
}

TEST_CASE("every RPC marked store_it_write in catalog.proto refuses a call without the token") {
  Served s(verifier());
  auto ch = s.unix_channel();
  kiosk::v1::ImportResponse resp;
  REQUIRE(import(*ch, kCsv, kToken, &resp).ok());
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(kiosk::v1::Catalog::service_full_name());
  REQUIRE(service != nullptr);
  int writes = 0;
  grpc::GenericStub generic(ch);
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* m = service->method(i);
    if (!m->options().GetExtension(kiosk::v1::store_it_write)) continue;
    ++writes;
    INFO(m->full_name());
    // An empty request message: the token check comes before anything is read or changed.
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::ByteBuffer request;
    grpc::Slice empty("", 0);
    request = grpc::ByteBuffer(&empty, 1);
    grpc::ByteBuffer response;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status st;
    generic.UnaryCall(&ctx, "/" + service->full_name() + "/" + m->name(), grpc::StubOptions(), &request, &response,
                      [&](grpc::Status status) {
                        std::lock_guard lock(mu);
                        st = std::move(status);
                        done = true;
                        cv.notify_all();
                      });
    std::unique_lock lock(mu);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return done; }));
    // UNIMPLEMENTED (a handler not written yet) changes nothing either.
    CHECK((st.error_code() == grpc::StatusCode::UNAUTHENTICATED || st.error_code() == grpc::StatusCode::UNIMPLEMENTED));
  }
  CHECK(writes >= 3);  // Import, ImportStream, Rollback at least
  CHECK(s.store->version().version == 1);
}

TEST_CASE("a kiosk without a configured token refuses every write") {
  Served s(TokenVerifier{});
  auto ch = s.unix_channel();
  kiosk::v1::ImportResponse resp;
  const auto st = import(*ch, kCsv, kToken, &resp);
  CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK_THAT(st.error_message(), Catch::Contains("no store-IT token configured"));
  CHECK(s.store->version().version == 0);
}

TEST_CASE("TLS listener: a client with the right CA and token reads and writes, others are refused") {
  Served s(verifier(), /*tls=*/true);
  REQUIRE(s.tls_port > 0);
  auto tls = s.tls_channel();
  kiosk::v1::ImportResponse resp;
  REQUIRE(import(*tls, kCsv, kToken, &resp).ok());
  CHECK(resp.applied());
  kiosk::v1::LookupResponse hit;
  REQUIRE(lookup(*tls, kToken, &hit).ok());
  CHECK(hit.product().name_sv() == "Mellanmjölk");

  // On the store network every call needs the token, reads too.
  CHECK(lookup(*tls, nullptr, &hit).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(lookup(*tls, "guess", &hit).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(import(*tls, kDearer, nullptr, &resp).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(import(*tls, kDearer, "guess", &resp).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(s.store->version().version == 1);

  // A client that trusts another CA does not get a connection.
  auto wrong_ca = s.tls_channel(false, /*right_ca=*/false);
  CHECK(lookup(*wrong_ca, kToken, &hit).error_code() == grpc::StatusCode::UNAVAILABLE);
  // Plaintext to the TLS port fails.
  auto plain = grpc::CreateChannel("127.0.0.1:" + std::to_string(s.tls_port), grpc::InsecureChannelCredentials());
  const auto st = lookup(*plain, kToken, &hit);
  CHECK_FALSE(st.ok());
  CHECK(st.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK(s.store->version().version == 1);
}

TEST_CASE("TLS listener with a client CA: only clients with a certificate it signed get in") {
  Served s(verifier(), /*tls=*/true, /*client_ca=*/true);
  kiosk::v1::LookupResponse hit;
  kiosk::v1::ImportResponse resp;
  auto without = s.tls_channel(/*client_cert=*/false);
  CHECK(import(*without, kCsv, kToken, &resp).error_code() == grpc::StatusCode::UNAVAILABLE);
  auto with = s.tls_channel(/*client_cert=*/true);
  REQUIRE(import(*with, kCsv, kToken, &resp).ok());
  CHECK(resp.applied());
  CHECK(lookup(*with, kToken, &hit).ok());
}
