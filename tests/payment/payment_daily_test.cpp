// Refunds and the daily reconciliation through paymentd (gRPC) against terminal-sim (HTTP), both real
// processes; and the reconciliation arithmetic and schedule on their own.
#include <catch2/catch.hpp>
#include <fstream>

#include "kiosk/v1/payment.grpc.pb.h"

#include "child_process.h"
#include "common/rpc.h"
#include "payment/http_transport.h"
#include "payment/nexo_codec.h"
#include "payment/reconciliation.h"
#include "temp_dir.h"

using namespace kiosk::payment;
using namespace std::chrono_literals;

namespace {

const std::string kBin = KIOSK_BIN_DIR;

struct Lane {
  kiosk::test::TempDir dir{"payment-daily"};
  kiosk::test::ChildProcess terminal{
      {kBin + "/terminal-sim", "--listen", "127.0.0.1:0", "--journal", (dir.path() / "terminal.jsonl").string()},
      dir.path() / "terminal-sim.log"};
  std::string endpoint;
  std::unique_ptr<kiosk::test::ChildProcess> paymentd;
  std::unique_ptr<kiosk::v1::Payment::Stub> stub;

  Lane() {
    const std::string line = terminal.wait_for_line("ready ");
    REQUIRE_FALSE(line.empty());
    endpoint = "http://127.0.0.1:" + line.substr(6) + "/nexo";
    const auto config = dir.path() / "kiosk.toml";
    std::ofstream(config) << "[runtime]\ndir = \"" << (dir.path() / "run").string() << "\"\ndata_dir = \""
                          << (dir.path() / "data").string()
                          << "\"\n[lane]\ncurrency = \"SEK\"\n[payment]\nendpoint = \"" << endpoint
                          << "\"\npoi_id = \"V400m-324688179\"\nsale_id = \"kiosk-01\"\n"
                          << "recovery_interval_ms = 20\n";
    paymentd = std::make_unique<kiosk::test::ChildProcess>(
        std::vector<std::string>{kBin + "/paymentd", "--config", config.string()}, dir.path() / "paymentd.log");
    REQUIRE(kiosk::wait_serving(dir.path() / "run" / "payment.sock", 20s));
    stub = kiosk::v1::Payment::NewStub(kiosk::make_unix_channel(dir.path() / "run" / "payment.sock"));
  }
  kiosk::v1::PaymentResult pay(const std::string& key, std::int64_t ore) {
    grpc::ClientContext ctx;
    kiosk::v1::PayRequest req;
    req.set_idempotency_key(key);
    req.set_amount_ore(ore);
    req.set_currency("SEK");
    kiosk::v1::PaymentResult out;
    REQUIRE(stub->Pay(&ctx, req, &out).ok());
    return out;
  }
  grpc::Status refund(const std::string& key, const std::string& original, std::int64_t ore,
                      kiosk::v1::PaymentResult* out) {
    grpc::ClientContext ctx;
    kiosk::v1::RefundRequest req;
    req.set_idempotency_key(key);
    req.set_original_idempotency_key(original);
    req.set_amount_ore(ore);
    return stub->Refund(&ctx, req, out);
  }
  kiosk::v1::ReconcileReport reconcile() {
    grpc::ClientContext ctx;
    kiosk::v1::ReconcileReport out;
    const auto st = stub->Reconcile(&ctx, kiosk::v1::ReconcileRequest(), &out);
    INFO(st.error_message());
    REQUIRE(st.ok());
    return out;
  }
};

const kiosk::v1::ReconciliationTotal* total(const kiosk::v1::ReconcileReport& r, const std::string& type) {
  for (const auto& t : r.totals())
    if (t.transaction_type() == type) return &t;
  return nullptr;
}

}  // namespace

TEST_CASE("a refund through paymentd references the original sale and is charged back once",
          "[payment][integration][refund]") {
  Lane lane;
  auto paid = lane.pay("d1/pay/1", 25000);
  REQUIRE(paid.outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED);
  kiosk::v1::PaymentResult out;
  REQUIRE(lane.refund("d1/refund/1", "d1/pay/1", 10000, &out).ok());
  CHECK(out.outcome() == kiosk::v1::PAYMENT_OUTCOME_REFUNDED);
  CHECK(out.amount_ore() == 10000);
  CHECK_FALSE(out.poi_transaction_id().empty());
  REQUIRE(lane.refund("d1/refund/1", "d1/pay/1", 10000, &out).ok());  // replayed
  CHECK(lane.refund("d1/refund/2", "d1/pay/1", 15001, &out).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(lane.refund("d1/refund/3", "nobody", 100, &out).error_code() == grpc::StatusCode::NOT_FOUND);
  // The terminal recorded one refund, pointing at the original payment.
  std::ifstream in(lane.dir.path() / "terminal.jsonl");
  int refunds = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find("\"outcome\":\"refunded\"") == std::string::npos) continue;
    ++refunds;
    CHECK_THAT(line, Catch::Contains(paid.poi_transaction_id()));
  }
  CHECK(refunds == 1);
}

TEST_CASE("the daily reconciliation agrees with the terminal, period by period, and reports differences",
          "[payment][integration][reconciliation]") {
  Lane lane;
  REQUIRE(lane.pay("r1/pay/1", 10000).outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED);
  REQUIRE(lane.pay("r2/pay/1", 20000).outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED);
  REQUIRE(lane.pay("r3/pay/1", 5124).outcome() == kiosk::v1::PAYMENT_OUTCOME_DECLINED);
  REQUIRE(lane.pay("r4/pay/1", 7000).outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED);
  kiosk::v1::PaymentResult out;
  REQUIRE(lane.refund("r1/refund/1", "r1/pay/1", 2500, &out).ok());
  {
    grpc::ClientContext ctx;
    kiosk::v1::ReverseRequest rev;
    rev.set_idempotency_key("r4/pay/1");
    rev.set_reason("Malfunction");
    REQUIRE(lane.stub->Reverse(&ctx, rev, &out).ok());
  }
  auto first = lane.reconcile();
  INFO(first.DebugString());
  CHECK(first.matches());
  CHECK(first.differences().empty());
  REQUIRE(total(first, "Debit"));
  CHECK(total(first, "Debit")->journal_count() == 2);
  CHECK(total(first, "Debit")->journal_ore() == 30000);
  CHECK(total(first, "Debit")->terminal_ore() == 30000);
  REQUIRE(total(first, "Credit"));
  CHECK(total(first, "Credit")->terminal_ore() == 2500);
  REQUIRE(total(first, "ReverseDebit"));
  CHECK(total(first, "ReverseDebit")->journal_ore() == 7000);

  // The next period holds only what came after; a charge the journal never saw is reported.
  REQUIRE(lane.pay("r5/pay/1", 4200).outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED);
  PaymentRequest stray;
  stray.header = {"3.0", "Service", "Payment", "Request", "99", "other-till", "V400m-324688179"};
  stray.sale_transaction = {"other-till-99", "2026-11-27T12:00:00.000Z"};
  stray.currency = "SEK";
  stray.requested_ore = 990;
  HttpTransport direct(lane.endpoint);
  REQUIRE(direct.exchange(encode(stray), 5s));
  auto second = lane.reconcile();
  INFO(second.DebugString());
  CHECK_FALSE(second.matches());
  CHECK(second.from_unix_ms() == first.to_unix_ms());
  REQUIRE(total(second, "Debit"));
  CHECK(total(second, "Debit")->journal_ore() == 4200);
  CHECK(total(second, "Debit")->terminal_ore() == 5190);
  REQUIRE(second.differences_size() == 1);
  CHECK_THAT(second.differences(0), Catch::Contains("Debit: journal 1 for 4200 öre, terminal 2 for 5190 öre"));
}

TEST_CASE("reconciliation totals count approvals, refunds and reversals of the period only",
          "[payment][reconciliation]") {
  auto rec = [](std::string key, std::string kind, PaymentState st, kiosk::Ore ore, std::int64_t at) {
    PaymentRecord r;
    r.key = std::move(key);
    r.kind = std::move(kind);
    r.state = st;
    r.amount_ore = r.authorized_ore = ore;
    r.created_unix_ms = at;
    return r;
  };
  std::vector<PaymentRecord> records{
      rec("old", "payment", PaymentState::kApproved, 999, 100),  // an earlier period
      rec("a", "payment", PaymentState::kApproved, 1000, 200),
      rec("b", "payment", PaymentState::kDeclined, 500, 210),
      rec("c", "payment", PaymentState::kReversed, 300, 220),
      rec("d", "refund", PaymentState::kRefunded, 400, 230),
      rec("e", "payment", PaymentState::kInProgress, 50, 240),
      rec("later", "payment", PaymentState::kApproved, 7, 400),  // after the period closed
  };
  const std::vector<PaymentTotal> terminal{{"mc", "SEK", "Debit", 1, 600},
                                           {"visa", "SEK", "Debit", 0, 400},
                                           {"mc", "SEK", "ReverseDebit", 1, 300},
                                           {"mc", "SEK", "Credit", 1, 400}};
  auto r = compare_totals(records, 150, 300, terminal);
  CHECK(r.journal["Debit"] == Totals{1, 1000});
  CHECK(r.terminal["Debit"] == Totals{1, 1000});
  CHECK(r.journal["ReverseDebit"] == Totals{1, 300});
  CHECK(r.journal["Credit"] == Totals{1, 400});
  CHECK(r.unresolved == std::vector<std::string>{"e"});
  REQUIRE(r.differences.size() == 1);  // only the unresolved payment
  CHECK_THAT(r.differences[0], Catch::Contains("unresolved: e"));
  CHECK_THAT(to_json(r), Catch::Contains("\"matches\":false"));

  CHECK(reconciliation_due(86'400'000 + 23 * 3'600'000, 0, 22 * 60));                                  // 23:00, never
  CHECK_FALSE(reconciliation_due(86'400'000 + 21 * 3'600'000, 0, 22 * 60));                            // 21:00: not yet
  CHECK_FALSE(reconciliation_due(86'400'000 + 23 * 3'600'000, 86'400'000 + 22 * 3'600'000, 22 * 60));  // done
  CHECK(parse_time_of_day("22:30").value() == 22 * 60 + 30);
  CHECK_FALSE(parse_time_of_day("24:00"));
  CHECK_FALSE(parse_time_of_day("7:5"));
}
