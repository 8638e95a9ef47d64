// The local binding as deployed: HTTPS to the terminal (its certificate checked against tls_ca and
// tls_host) with every message in the encryption envelope, against the real terminal-sim process;
// and paymentd configured that way, showing the terminal's card prompts on WatchPrompts.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "kiosk/v1/payment.grpc.pb.h"

#include "child_process.h"
#include "common/clock.h"
#include "common/rpc.h"
#include "payment/http_transport.h"
#include "payment/nexo_codec.h"
#include "payment/payment_processor.h"
#include "payment/terminal_sim_tls.h"
#include "secure_terminal.h"
#include "temp_dir.h"

using namespace kiosk::payment;
using namespace std::chrono_literals;
using namespace kiosk::test;

namespace {

PaymentConfig config() {
  PaymentConfig c;
  c.sale_id = "kiosk-01";
  c.poi_id = kPoiId;
  c.payment_timeout = 5s;
  c.status_timeout = 5s;
  c.recovery_attempts = 5;
  c.recovery_interval = 10ms;
  return c;
}

// A well-formed request that charges nothing, for probing the link.
std::string login_request() {
  LoginRequest l;
  l.header = {"3.0", "Service", "Login", "Request", "1", "kiosk-01", kPoiId};
  return encode(l);
}

std::unique_ptr<PaymentJournal> open_journal(const std::filesystem::path& path) {
  auto j = PaymentJournal::open(path);
  REQUIRE(j);
  return std::move(*j);
}

}  // namespace

TEST_CASE("payments over HTTPS with the encryption envelope approve, decline and recover", "[payment][integration]") {
  kiosk::test::TempDir dir{"payment-tls"};
  SecureTerminal terminal(dir.path());
  auto journal = open_journal(dir.path() / "payment");
  HttpTransport transport(terminal.options());
  kiosk::SystemClock clock;
  PaymentProcessor processor(config(), *journal, transport, clock);

  auto ok = processor.pay("tls/pay/1", 12345, "SEK");
  REQUIRE(ok);
  CHECK(ok->state == PaymentState::kApproved);
  CHECK(ok->masked_pan == "541333******9999");
  auto declined = processor.pay("tls/pay/2", 1124, "SEK");
  REQUIRE(declined);
  CHECK(declined->state == PaymentState::kDeclined);
  CHECK_THAT(declined->refusal_reason, Catch::Contains("210 Not enough balance"));

  // A dropped answer is resolved with an (encrypted) TransactionStatus, charged once.
  HttpTransport control({"https://127.0.0.1:" + std::to_string(terminal.port) + "/control", terminal.cert, kPoiId});
  REQUIRE(control.exchange(R"({"drop_next":1})", 5s));
  auto dropped = processor.pay("tls/pay/3", 5000, "SEK");
  REQUIRE(dropped);
  CHECK(dropped->state == PaymentState::kApproved);
  CHECK(terminal.count("approved") == 2);

  // Everything on the wire was sealed: no amount or card number in clear.
  int captured = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "captures")) {
    std::ifstream in(e.path());
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(e.path().string());
    CHECK(is_nexo_envelope(body));
    CHECK(body.find("123.45") == std::string::npos);
    ++captured;
  }
  CHECK(captured >= 4);  // 3 payments and a TransactionStatus
}

TEST_CASE("a terminal with the wrong certificate, name or key charges nothing", "[payment][integration]") {
  kiosk::test::TempDir dir{"payment-tls"};
  SecureTerminal terminal(dir.path());
  auto journal = open_journal(dir.path() / "payment");
  kiosk::SystemClock clock;

  SECTION("certificate not from tls_ca: refused before anything is sent") {
    REQUIRE(ensure_self_signed_cert(dir.path() / "other.crt", dir.path() / "other.key", kPoiId));
    auto o = terminal.options();
    o.tls_ca = dir.path() / "other.crt";
    HttpTransport transport(o);
    auto r = transport.exchange(login_request(), 5s);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == kiosk::ErrorCode::kUnavailable);
    PaymentProcessor processor(config(), *journal, transport, clock);
    auto p = processor.pay("bad/pay/1", 1000, "SEK");
    REQUIRE(p);
    CHECK(p->state == PaymentState::kFailed);
  }
  SECTION("certificate for another terminal name") {
    auto o = terminal.options();
    o.tls_host = "V400m-000000000";
    HttpTransport transport(o);
    auto r = transport.exchange(login_request(), 5s);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == kiosk::ErrorCode::kUnavailable);
    CHECK_THAT(r.message(), Catch::Contains("V400m-000000000"));
  }
  SECTION("another passphrase: the terminal rejects the request in clear") {
    HttpTransport transport(terminal.options("not the passphrase"));
    PaymentProcessor processor(config(), *journal, transport, clock);
    auto p = processor.pay("bad/pay/2", 1000, "SEK");
    REQUIRE(p);
    CHECK(p->state == PaymentState::kFailed);
    CHECK_THAT(p->refusal_reason, Catch::Contains("rejected"));
  }
  SECTION("a plain JSON request to an encrypted terminal") {
    HttpTransport transport({terminal.endpoint(), terminal.cert, kPoiId, nullptr});
    PaymentProcessor processor(config(), *journal, transport, clock);
    auto p = processor.pay("bad/pay/3", 1000, "SEK");
    REQUIRE(p);
    CHECK(p->state == PaymentState::kFailed);
  }
  CHECK(terminal.count("approved") == 0);
}

TEST_CASE("paymentd over HTTPS and encryption shows the terminal's card prompts", "[payment][integration]") {
  kiosk::test::TempDir dir{"payment-tls"};
  const int notify_port = free_port();
  SecureTerminal terminal(dir.path(), "http://127.0.0.1:" + std::to_string(notify_port) + "/nexo");
  std::ofstream(dir.path() / "passphrase") << kPassphrase << "\n";
  const auto config_file = dir.path() / "kiosk.toml";
  std::ofstream(config_file) << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n"
                             << "[lane]\ncurrency = \"SEK\"\n"
                             << "[payment]\nendpoint = \"" << terminal.endpoint() << "\"\n"
                             << "poi_id = \"" << kPoiId << "\"\nsale_id = \"kiosk-01\"\n"
                             << "tls_ca = \"terminal.crt\"\ntls_host = \"" << kPoiId << "\"\n"
                             << "encrypted = true\nkey_identifier = \"kiosk-key\"\nkey_version = 2\n"
                             << "passphrase_file = \"passphrase\"\n"
                             << "notify_listen = \"127.0.0.1:" << notify_port << "\"\n"
                             << "timeout_ms = 20000\nstatus_timeout_ms = 5000\nrecovery_interval_ms = 50\n";
  const auto socket = dir.path() / "run" / "payment.sock";
  kiosk::test::ChildProcess paymentd({kBin + "/paymentd", "--config", config_file.string()},
                                     dir.path() / "paymentd.log");
  auto channel = kiosk::make_unix_channel(socket);
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       !std::filesystem::exists(socket) && std::chrono::steady_clock::now() < deadline;)
    std::this_thread::sleep_for(5ms);  // polling for the socket with a deadline
  REQUIRE(channel->WaitForConnected(std::chrono::system_clock::now() + 10s));
  auto stub = kiosk::v1::Payment::NewStub(channel);

  grpc::ClientContext watch_ctx;
  watch_ctx.set_deadline(std::chrono::system_clock::now() + 30s);  // the stream ends even if prompts never come
  kiosk::v1::WatchPromptsRequest wreq;
  auto stream = stub->WatchPrompts(&watch_ctx, wreq);

  grpc::ClientContext ctx;
  kiosk::v1::PayRequest req;
  req.set_idempotency_key("s1/pay/1");
  req.set_amount_ore(12345);
  req.set_currency("SEK");
  kiosk::v1::PaymentResult out;
  REQUIRE(stub->Pay(&ctx, req, &out).ok());
  CHECK(out.outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED);

  // The terminal's own "Present card / SEK 123.45" and "Approved" arrive among paymentd's prompts.
  bool present = false;
  bool approved = false;
  kiosk::v1::TerminalPrompt p;
  while (!(present && approved) && stream->Read(&p)) {
    if (p.text() == "Present card\nSEK 123.45") {
      present = true;
      CHECK(p.idempotency_key() == "s1/pay/1");
    }
    if (p.kind() == kiosk::v1::TerminalPrompt::KIND_TEXT && p.text() == "Approved") approved = true;
  }
  watch_ctx.TryCancel();
  CHECK(present);
  CHECK(approved);
  CHECK(terminal.count("approved") == 1);
  CHECK(paymentd.stop() >= 0);
}
