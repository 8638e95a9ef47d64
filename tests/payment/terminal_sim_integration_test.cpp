// The production payment path (PaymentProcessor + HttpTransport, and paymentd over gRPC) against
// the real terminal-sim executable over HTTP.
#include <httplib.h>
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
#include "payment/payment_processor.h"
#include "temp_dir.h"
#include "terminal_records.h"

using namespace kiosk::payment;
using namespace std::chrono_literals;

namespace {

const std::string kBin = KIOSK_BIN_DIR;

struct Terminal {
  std::filesystem::path journal;
  kiosk::test::ChildProcess proc;
  int port = 0;
  explicit Terminal(const std::filesystem::path& dir)
      : journal(dir / "terminal.jsonl"),
        proc({kBin + "/terminal-sim", "--listen", "127.0.0.1:0", "--journal", journal.string()},
             dir / "terminal-sim.log") {
    const std::string line = proc.wait_for_line("ready ");
    REQUIRE_FALSE(line.empty());
    port = std::stoi(line.substr(6));
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port) + "/nexo"; }
  void control(const std::string& json) {
    HttpTransport t("http://127.0.0.1:" + std::to_string(port) + "/control");
    auto r = t.exchange(json, 5s);
    REQUIRE(r);
  }
  // Outcome of the latest transaction the terminal holds (GET /charges), "" when none.
  std::string latest_outcome() {
    httplib::Client client("127.0.0.1", port);
    return kiosk::test::latest_outcome(client.Get("/charges"));
  }
  // Transactions the terminal recorded with the given outcome (its --journal file).
  int count(const std::string& outcome) const { return kiosk::test::count_outcomes(journal, outcome); }
};

PaymentConfig config() {
  PaymentConfig c;
  c.sale_id = "kiosk-01";
  c.poi_id = "V400m-324688179";
  c.payment_timeout = 5s;
  c.status_timeout = 5s;
  c.recovery_attempts = 5;
  c.recovery_interval = 10ms;
  return c;
}

// terminal-sim over HTTP and the payment core in front of it, with a fresh journal.
struct TerminalAndProcessor {
  kiosk::test::TempDir dir{"payment-it"};
  Terminal terminal{dir.path()};
  std::unique_ptr<PaymentJournal> journal = open_journal(dir.path() / "payment");
  HttpTransport transport{terminal.endpoint()};
  kiosk::SystemClock clock;
  PaymentProcessor processor{config(), *journal, transport, clock};

  static std::unique_ptr<PaymentJournal> open_journal(const std::filesystem::path& path) {
    auto j = PaymentJournal::open(path);
    REQUIRE(j);
    return std::move(*j);
  }
};

}  // namespace

TEST_CASE("terminal-sim approves and declines the test amounts over HTTP", "[payment][integration]") {
  TerminalAndProcessor it;
  auto& terminal = it.terminal;
  auto& processor = it.processor;

  auto ok = processor.pay("it/pay/1", 1000, "SEK");
  REQUIRE(ok);
  CHECK(ok->state == PaymentState::kApproved);
  CHECK(ok->masked_pan == "541333******9999");
  CHECK_THAT(ok->receipt_text, Catch::Contains("SEK 10.00"));

  const std::pair<kiosk::Ore, const char*> declines[] = {
      {1124, "210 Not enough balance"}, {1125, "199 Card blocked"}, {1126, "228 Card expired"},
      {1127, "214 Declined online"},    {1128, "InvalidCard"},      {1134, "WrongPIN: 129 Invalid online PIN"}};
  int n = 1;
  for (auto [amount, reason] : declines) {
    INFO(amount);
    auto r = processor.pay("it/pay/" + std::to_string(++n), amount, "SEK");
    REQUIRE(r);
    CHECK(r->state == PaymentState::kDeclined);
    CHECK_THAT(r->refusal_reason, Catch::Contains(reason));
  }
  CHECK(terminal.count("approved") == 1);
  CHECK(terminal.count("declined") == 6);
}

TEST_CASE("a dropped connection after approval is recovered as APPROVED with one charge", "[payment][integration]") {
  TerminalAndProcessor it;
  auto& terminal = it.terminal;
  auto& processor = it.processor;

  terminal.control(R"({"drop_next":1})");
  auto r = processor.pay("drop/pay/1", 25900, "SEK");
  REQUIRE(r);
  CHECK(r->state == PaymentState::kApproved);
  CHECK(r->authorized_ore == 25900);
  CHECK(terminal.count("approved") == 1);
  auto again = processor.pay("drop/pay/1", 25900, "SEK");
  REQUIRE(again);
  CHECK(again->poi_transaction_id == r->poi_transaction_id);
  CHECK(terminal.count("approved") == 1);
}

TEST_CASE("Abort ends a payment waiting at the terminal as ABORTED", "[payment][integration]") {
  TerminalAndProcessor it;
  auto& terminal = it.terminal;
  auto& processor = it.processor;

  terminal.control(R"({"hold_next_ms":10000})");
  std::optional<kiosk::Result<PaymentRecord>> result;
  std::thread payer([&] { result = processor.pay("abort/pay/1", 5000, "SEK"); });
  // Poll the terminal's real state until the payment waits at its card reader, then abort.
  bool waiting = false;
  for (auto deadline = std::chrono::steady_clock::now() + 5s;
       std::chrono::steady_clock::now() < deadline && !waiting;) {
    waiting = terminal.latest_outcome() == "in_progress";
    if (!waiting) std::this_thread::sleep_for(5ms);  // polling the terminal's state with a deadline
  }
  if (waiting) CHECK(processor.abort("abort/pay/1"));
  payer.join();
  REQUIRE(waiting);
  REQUIRE(result);
  REQUIRE(*result);
  CHECK((*result)->state == PaymentState::kAborted);
  CHECK(terminal.count("approved") == 0);
}

namespace {

// paymentd on its own config in dir, talking to terminal; recovery polls every 50 ms for 10 s.
struct Paymentd {
  std::filesystem::path config_file;
  std::filesystem::path socket;
  std::filesystem::path log;
  Paymentd(const std::filesystem::path& dir, const Terminal& terminal)
      : config_file(dir / "kiosk.toml"), socket(dir / "run" / "payment.sock"), log(dir / "paymentd.log") {
    std::ofstream(config_file) << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n"
                               << "[lane]\ncurrency = \"SEK\"\n"
                               << "[payment]\nendpoint = \"" << terminal.endpoint() << "\"\n"
                               << "poi_id = \"V400m-324688179\"\nsale_id = \"kiosk-01\"\ntimeout_ms = 20000\n"
                               << "status_timeout_ms = 5000\nrecovery_interval_ms = 50\nrecovery_attempts = 200\n";
  }
  std::pair<std::unique_ptr<kiosk::test::ChildProcess>, std::unique_ptr<kiosk::v1::Payment::Stub>> start() {
    std::filesystem::remove(socket);
    auto p = std::make_unique<kiosk::test::ChildProcess>(
        std::vector<std::string>{kBin + "/paymentd", "--config", config_file.string()}, log);
    auto channel = kiosk::make_unix_channel(socket);
    for (auto deadline = std::chrono::steady_clock::now() + 10s;
         !std::filesystem::exists(socket) && std::chrono::steady_clock::now() < deadline;)
      std::this_thread::sleep_for(5ms);  // polling for the socket with a deadline
    REQUIRE(channel->WaitForConnected(std::chrono::system_clock::now() + 10s));
    return std::make_pair(std::move(p), kiosk::v1::Payment::NewStub(channel));
  }
};

}  // namespace

TEST_CASE("paymentd serves kiosk.v1.Payment and recovers after kill -9", "[payment][integration]") {
  kiosk::test::TempDir dir{"payment-it"};
  Terminal terminal(dir.path());
  Paymentd paymentd(dir.path(), terminal);
  auto start = [&] { return paymentd.start(); };
  {
    auto [proc, stub] = start();
    grpc::ClientContext ctx;
    kiosk::v1::PayRequest req;
    req.set_idempotency_key("grpc/pay/1");
    req.set_amount_ore(12345);
    req.set_currency("SEK");
    kiosk::v1::PaymentResult out;
    auto s = stub->Pay(&ctx, req, &out);
    REQUIRE(s.ok());
    CHECK(out.outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED);
    CHECK(out.masked_pan() == "541333******9999");

    grpc::ClientContext bad_ctx;
    req.set_amount_ore(-1);
    req.set_idempotency_key("grpc/pay/bad");
    CHECK(stub->Pay(&bad_ctx, req, &out).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(proc->kill9());
  }
  {
    auto [proc, stub] = start();
    grpc::ClientContext ctx;
    kiosk::v1::GetPaymentRequest get;
    get.set_idempotency_key("grpc/pay/1");
    kiosk::v1::PaymentResult out;
    REQUIRE(stub->GetPayment(&ctx, get, &out).ok());
    CHECK(out.outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED);
    CHECK(out.amount_ore() == 12345);

    grpc::ClientContext rctx;
    kiosk::v1::ReverseRequest rev;
    rev.set_idempotency_key("grpc/pay/1");
    rev.set_reason("test");
    REQUIRE(stub->Reverse(&rctx, rev, &out).ok());
    CHECK(out.outcome() == kiosk::v1::PAYMENT_OUTCOME_REVERSED);

    grpc::ClientContext nctx;
    get.set_idempotency_key("nobody");
    CHECK(stub->GetPayment(&nctx, get, &out).error_code() == grpc::StatusCode::NOT_FOUND);
    CHECK(proc->stop() >= 0);  // exited, not killed by a signal
  }
  CHECK(terminal.count("approved") == 1);
  CHECK(terminal.count("reversed") == 1);
}

TEST_CASE("paymentd stops promptly mid-payment and resolves it after the restart", "[payment][integration]") {
  kiosk::test::TempDir dir{"payment-it"};
  Terminal terminal(dir.path());
  Paymentd paymentd(dir.path(), terminal);
  auto [proc, stub] = paymentd.start();

  grpc::ClientContext watch_ctx;
  auto prompts = stub->WatchPrompts(&watch_ctx, kiosk::v1::WatchPromptsRequest{});
  terminal.control(R"({"hold_next_ms":4000})");  // the shopper takes 4 s at the terminal
  std::thread payer([&] {
    grpc::ClientContext ctx;
    kiosk::v1::PayRequest req;
    req.set_idempotency_key("term/pay/1");
    req.set_amount_ore(4200);
    req.set_currency("SEK");
    kiosk::v1::PaymentResult out;
    (void)stub->Pay(&ctx, req, &out);  // cut off by the shutdown; the outcome is read after the restart
  });
  kiosk::v1::TerminalPrompt prompt;
  REQUIRE(prompts->Read(&prompt));
  CHECK(prompt.kind() == kiosk::v1::TerminalPrompt::KIND_PRESENT_CARD);
  CHECK(prompt.idempotency_key() == "term/pay/1");
  bool waiting = false;  // until the payment waits at the terminal's card reader
  for (auto deadline = std::chrono::steady_clock::now() + 5s;
       std::chrono::steady_clock::now() < deadline && !waiting;) {
    waiting = terminal.latest_outcome() == "in_progress";
    if (!waiting) std::this_thread::sleep_for(5ms);  // polling the terminal's state with a deadline
  }
  CHECK(waiting);

  const auto t0 = std::chrono::steady_clock::now();
  const int status = proc->stop();
  CHECK(std::chrono::steady_clock::now() - t0 < 3000ms);  // before the terminal even decided
  CHECK(status >= 0);                                     // exited, not killed by a signal
  CHECK(status == 0);
  payer.join();
  watch_ctx.TryCancel();

  auto [proc2, stub2] = paymentd.start();
  kiosk::v1::PaymentResult out;
  for (auto deadline = std::chrono::steady_clock::now() + 15s; std::chrono::steady_clock::now() < deadline;) {
    grpc::ClientContext ctx;
    kiosk::v1::GetPaymentRequest get;
    get.set_idempotency_key("term/pay/1");
    REQUIRE(stub2->GetPayment(&ctx, get, &out).ok());
    if (out.outcome() != kiosk::v1::PAYMENT_OUTCOME_IN_PROGRESS) break;
    std::this_thread::sleep_for(20ms);  // polling the journaled state with a deadline
  }
  CHECK(out.outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED);
  CHECK(out.amount_ore() == 4200);
  CHECK(terminal.count("approved") == 1);
}
