// PaymentProcessor against the in-process terminal simulator (same codec, same behaviour as
// terminal-sim) and against scripted transports that break the exchange in precise ways.
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>

#include "common/clock.h"
#include "payment/nexo_codec.h"
#include "payment/payment_processor.h"
#include "payment/terminal_simulator.h"
#include "temp_dir.h"

using namespace kiosk::payment;
using namespace std::chrono_literals;

namespace {

// A transport whose behaviour each test scripts; by default it forwards to a TerminalSimulator.
class ScriptedTransport final : public TerminalTransport {
 public:
  explicit ScriptedTransport(TerminalSimulator& sim) : sim_(sim) {}
  // Called before the simulator sees the request; may return an error or an answer to use instead.
  std::function<std::optional<kiosk::Result<std::string>>(std::string_view)> before;
  // Called after the simulator answered; may replace the answer.
  std::function<std::optional<kiosk::Result<std::string>>(std::string_view, const std::string&)> after;
  std::vector<std::string> sent;

  kiosk::Result<std::string> exchange(std::string_view request, std::chrono::milliseconds) override {
    sent.emplace_back(request);
    if (before)
      if (auto r = before(request)) return *r;
    auto reply = sim_.handle(request);
    if (after)
      if (auto r = after(request, reply.body)) return *r;
    if (reply.drop || reply.crash) return kiosk::internal_error("connection dropped");
    return reply.body;
  }
  int count(std::string_view category) const {
    int n = 0;
    for (const auto& s : sent) n += s.find(fmt_category(category)) != std::string::npos ? 1 : 0;
    return n;
  }

 private:
  static std::string fmt_category(std::string_view c) {
    return "\"MessageCategory\":\"" + std::string(c) + "\",\"MessageClass\":\"Service\",\"MessageType\":\"Request\"";
  }
  TerminalSimulator& sim_;
};

PaymentConfig config() {
  PaymentConfig c;
  c.sale_id = "kiosk-01";
  c.poi_id = "V400m-324688179";
  c.currency = "SEK";
  c.recovery_attempts = 3;
  c.recovery_interval = 1ms;
  c.not_found_grace = 0ms;
  return c;
}

struct Fixture {
  kiosk::test::TempDir dir{"payment-test"};
  std::unique_ptr<PaymentJournal> journal;
  TerminalSimulator sim;
  ScriptedTransport transport{sim};
  kiosk::ManualClock clock;
  std::unique_ptr<PaymentProcessor> processor;
  Fixture() {
    auto j = PaymentJournal::open(dir.path() / "payment");
    REQUIRE(j);
    journal = std::move(*j);
    processor = std::make_unique<PaymentProcessor>(config(), *journal, transport, clock);
  }
  // A fresh processor on the same journal and terminal, as after a paymentd restart.
  void restart() {
    processor.reset();
    journal.reset();
    auto j = PaymentJournal::open(dir.path() / "payment");
    REQUIRE(j);
    journal = std::move(*j);
    processor = std::make_unique<PaymentProcessor>(config(), *journal, transport, clock);
  }
};

}  // namespace

TEST_CASE("an approved payment carries the terminal reference and card and receipt", "[payment][processor]") {
  Fixture f;
  auto r = f.processor->pay("s1/pay/1", 4990, "SEK", "s1");
  REQUIRE(r);
  CHECK(r->state == PaymentState::kApproved);
  CHECK(r->amount_ore == 4990);
  CHECK(r->authorized_ore == 4990);
  CHECK(r->masked_pan == "541333******9999");
  CHECK(r->card_brand == "mc");
  CHECK_FALSE(r->poi_transaction_id.empty());
  CHECK(r->service_id == "1");
  CHECK(r->sale_transaction_id == "kiosk-01-1");
  CHECK_THAT(r->receipt_text, Catch::Contains("CARDHOLDER COPY"));
  CHECK_THAT(r->receipt_text, Catch::Contains("SEK 49.90"));
  CHECK_THAT(f.transport.sent.at(0), Catch::Contains("\"RequestedAmount\":49.90"));
  CHECK(f.sim.charges() == 1);
}

TEST_CASE("each test-card decline maps to DECLINED with the terminal's reason", "[payment][processor]") {
  const std::pair<kiosk::Ore, const char*> cases[] = {
      {11124, "Refusal: 210 Not enough balance"}, {2125, "Refusal: 199 Card blocked"},
      {126, "Refusal: 228 Card expired"},         {1127, "Refusal: 214 Declined online"},
      {1128, "InvalidCard: 214 Declined online"}, {1134, "WrongPIN: 129 Invalid online PIN"}};
  Fixture f;
  int n = 0;
  for (auto [amount, reason] : cases) {
    INFO(amount);
    auto r = f.processor->pay("s/pay/" + std::to_string(++n), amount, "SEK");
    REQUIRE(r);
    CHECK(r->state == PaymentState::kDeclined);
    CHECK(r->refusal_reason == reason);
  }
  CHECK(f.sim.charges() == 0);
}

TEST_CASE("the record is journaled before the request leaves", "[payment][processor][journal]") {
  Fixture f;
  std::optional<PaymentRecord> seen;
  f.transport.before = [&](std::string_view req) -> std::optional<kiosk::Result<std::string>> {
    if (req.find("PaymentRequest") == std::string_view::npos) return std::nullopt;
    auto got = f.journal->get("s2/pay/1");
    REQUIRE(got);
    seen = *got;
    return std::nullopt;
  };
  auto r = f.processor->pay("s2/pay/1", 1000, "SEK");
  REQUIRE(r);
  REQUIRE(seen);
  CHECK(seen->state == PaymentState::kStarted);
  CHECK(seen->amount_ore == 1000);
  CHECK(seen->service_id == r->service_id);
  CHECK(seen->sale_transaction_id == r->sale_transaction_id);
}

TEST_CASE("a finished key replays without calling the terminal again", "[payment][processor]") {
  Fixture f;
  auto first = f.processor->pay("s3/pay/1", 2500, "SEK");
  REQUIRE(first);
  const auto sent = f.transport.sent.size();
  auto again = f.processor->pay("s3/pay/1", 2500, "SEK");
  REQUIRE(again);
  CHECK(f.transport.sent.size() == sent);
  CHECK(again->state == PaymentState::kApproved);
  CHECK(again->poi_transaction_id == first->poi_transaction_id);
  f.restart();
  auto after_restart = f.processor->pay("s3/pay/1", 2500, "SEK");
  REQUIRE(after_restart);
  CHECK(f.transport.sent.size() == sent);
  CHECK(f.sim.charges() == 1);

  auto other_amount = f.processor->pay("s3/pay/1", 2600, "SEK");
  REQUIRE_FALSE(other_amount);
  CHECK(other_amount.error().code == kiosk::ErrorCode::kInvalidArgument);
}

TEST_CASE("a dropped answer after approval is recovered with TransactionStatus and charged once",
          "[payment][processor]") {
  Fixture f;
  REQUIRE(f.sim.control(R"({"drop_next":1})"));
  auto r = f.processor->pay("s4/pay/1", 12300, "SEK");
  REQUIRE(r);
  CHECK(r->state == PaymentState::kApproved);
  CHECK(r->authorized_ore == 12300);
  CHECK(r->masked_pan == "541333******9999");
  CHECK(f.transport.count("Payment") == 1);
  CHECK(f.transport.count("TransactionStatus") == 1);
  CHECK(f.sim.charges() == 1);
}

TEST_CASE("a timeout is never a decline and stays IN_PROGRESS until the terminal can tell", "[payment][processor]") {
  Fixture f;
  bool terminal_down = true;
  f.transport.after = [&](std::string_view, const std::string&) -> std::optional<kiosk::Result<std::string>> {
    if (terminal_down) return kiosk::Result<std::string>(kiosk::Error{kiosk::ErrorCode::kDeadlineExceeded, "timeout"});
    return std::nullopt;
  };
  auto r = f.processor->pay("s5/pay/1", 5000, "SEK");
  REQUIRE(r);
  CHECK(r->state == PaymentState::kInProgress);
  CHECK(f.sim.charges() == 1);  // the terminal did charge; only the answers were lost
  auto stored = f.processor->get("s5/pay/1");
  REQUIRE(stored);
  CHECK(stored->state == PaymentState::kInProgress);

  terminal_down = false;
  auto again = f.processor->pay("s5/pay/1", 5000, "SEK");
  REQUIRE(again);
  CHECK(again->state == PaymentState::kApproved);
  CHECK(f.transport.count("Payment") == 1);
  CHECK(f.sim.charges() == 1);
}

TEST_CASE("after a crash mid-payment the key is recovered and not paid again", "[payment][processor]") {
  Fixture f;
  SECTION("the terminal charged before the crash") {
    // The request reached the terminal, then paymentd died before journaling the answer.
    bool killed = false;
    f.transport.after = [&](std::string_view, const std::string&) -> std::optional<kiosk::Result<std::string>> {
      if (killed) return std::nullopt;
      killed = true;  // only the first answer is lost with the process
      return kiosk::Result<std::string>(kiosk::internal_error("process killed"));
    };
    kiosk::payment::PaymentConfig once = config();
    once.recovery_attempts = 0;  // the crashed run never got to ask
    PaymentProcessor crashed(once, *f.journal, f.transport, f.clock);
    auto r = crashed.pay("s6/pay/1", 7000, "SEK");
    REQUIRE(r);
    CHECK(r->state == PaymentState::kInProgress);
    f.restart();
    auto resolved = f.processor->recover_all();
    REQUIRE(resolved);
    CHECK(*resolved == 1);
    auto got = f.processor->get("s6/pay/1");
    REQUIRE(got);
    CHECK(got->state == PaymentState::kApproved);
    CHECK(f.transport.count("Payment") == 1);
    CHECK(f.sim.charges() == 1);
  }
  SECTION("the request never reached the terminal") {
    PaymentRecord started;
    started.key = "s6/pay/2";
    started.sale_id = "kiosk-01";
    started.poi_id = "V400m-324688179";
    started.amount_ore = 7000;
    started.currency = "SEK";
    auto created = f.journal->create(started);  // journaled, then killed before sending
    REQUIRE(created);
    f.restart();
    auto r = f.processor->pay("s6/pay/2", 7000, "SEK");
    REQUIRE(r);
    CHECK(r->state == PaymentState::kFailed);
    CHECK_THAT(r->refusal_reason, Catch::Contains("no record"));
    CHECK(f.transport.count("Payment") == 0);
    CHECK(f.sim.charges() == 0);
  }
}

TEST_CASE("answers for another request are discarded and not believed", "[payment][processor]") {
  Fixture f;
  f.transport.after = [&](std::string_view req, const std::string& body) -> std::optional<kiosk::Result<std::string>> {
    if (req.find("PaymentRequest") == std::string_view::npos) return std::nullopt;
    auto msg = parse_terminal_message(body);
    REQUIRE(msg);
    auto p = std::get<PaymentResponse>(*msg);
    p.header.service_id = "999";  // someone else's answer, claiming a decline
    p.response = {NexoResult::kFailure, "Refusal", "refusalReason=bogus"};
    return kiosk::Result<std::string>(encode(p));
  };
  auto r = f.processor->pay("s7/pay/1", 3000, "SEK");
  REQUIRE(r);
  CHECK(r->state == PaymentState::kApproved);  // resolved by TransactionStatus, not the stray answer
  CHECK(f.sim.charges() == 1);
}

TEST_CASE("an unreachable terminal fails without a charge and bad input changes nothing", "[payment][processor]") {
  Fixture f;
  f.transport.before = [](std::string_view) -> std::optional<kiosk::Result<std::string>> {
    return kiosk::Result<std::string>(kiosk::unavailable("connection refused"));
  };
  auto r = f.processor->pay("s8/pay/1", 3000, "SEK");
  REQUIRE(r);
  CHECK(r->state == PaymentState::kFailed);
  CHECK_FALSE(f.processor->pay("", 100, "SEK"));
  CHECK_FALSE(f.processor->pay("s8/pay/2", 0, "SEK"));
  CHECK_FALSE(f.processor->pay("s8/pay/3", 100, "EUR"));
  CHECK_FALSE(f.processor->pay(std::string(65, 'k'), 100, "SEK"));
  CHECK(f.processor->get("s8/pay/2").error().code == kiosk::ErrorCode::kNotFound);
}

TEST_CASE("a busy terminal fails the attempt without a charge", "[payment][processor]") {
  Fixture f;
  f.transport.after = [&](std::string_view req, const std::string& body) -> std::optional<kiosk::Result<std::string>> {
    if (req.find("PaymentRequest") == std::string_view::npos) return std::nullopt;
    auto p = std::get<PaymentResponse>(*parse_terminal_message(body));
    p.response = {NexoResult::kFailure, "Busy", ""};
    return kiosk::Result<std::string>(encode(p));
  };
  auto r = f.processor->pay("s9/pay/1", 3000, "SEK");
  REQUIRE(r);
  CHECK(r->state == PaymentState::kFailed);
  CHECK(r->refusal_reason == "Busy");
}

TEST_CASE("an approved payment can be reversed once", "[payment][processor]") {
  Fixture f;
  auto r = f.processor->pay("s10/pay/1", 3000, "SEK");
  REQUIRE(r);
  auto rev = f.processor->reverse("s10/pay/1", "sale voided");
  REQUIRE(rev);
  CHECK(rev->state == PaymentState::kReversed);
  CHECK(f.sim.charges() == 0);
  auto again = f.processor->reverse("s10/pay/1", "sale voided");
  REQUIRE(again);
  CHECK(f.transport.count("Reversal") == 1);
  auto declined = f.processor->pay("s10/pay/2", 3124, "SEK");
  REQUIRE(declined);
  CHECK(f.processor->reverse("s10/pay/2", "x").error().code == kiosk::ErrorCode::kFailedPrecondition);
}

TEST_CASE("the ServiceID counter survives restarts and stays within 10 characters", "[payment][journal]") {
  Fixture f;
  auto a = f.journal->next_service_id();
  auto b = f.journal->next_service_id();
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a == "1");
  CHECK(*b == "2");
  f.restart();
  auto c = f.journal->next_service_id();
  REQUIRE(c);
  CHECK(*c == "3");
  auto r = f.processor->pay("s11/pay/1", 100, "SEK");
  REQUIRE(r);
  CHECK(r->service_id == "4");
  CHECK(r->sale_transaction_id.size() <= 35);
}

TEST_CASE("prompts follow the payment for the kiosk screen", "[payment][processor]") {
  Fixture f;
  auto& feed = f.processor->prompts();
  REQUIRE(f.processor->pay("s12/pay/1", 100, "SEK"));
  REQUIRE(f.processor->pay("s12/pay/2", 1124, "SEK"));
  auto prompts = feed.wait_after(0, std::chrono::milliseconds(0));
  REQUIRE(prompts.size() == 4);
  CHECK(prompts[0].kind == Prompt::Kind::kPresentCard);
  CHECK(prompts[1].kind == Prompt::Kind::kApproved);
  CHECK(prompts[1].key == "s12/pay/1");
  CHECK(prompts[3].kind == Prompt::Kind::kDeclined);
  CHECK(prompts[3].text == "Refusal: 210 Not enough balance");
  f.processor->stop();
  CHECK(feed.wait_after(feed.latest_seq(), std::chrono::seconds(10)).empty());  // returns at once when stopped
}

TEST_CASE("a NotFound answer only counts once the request is older than the grace period", "[payment][processor]") {
  Fixture f;
  PaymentConfig c = config();
  c.not_found_grace = 500ms;
  c.recovery_attempts = 100;
  // The request is lost on the way (the terminal never saw it); each status poll takes 100 ms.
  f.transport.before = [&](std::string_view req) -> std::optional<kiosk::Result<std::string>> {
    if (req.find("PaymentRequest") != std::string_view::npos)
      return kiosk::Result<std::string>(kiosk::internal_error("connection reset"));
    f.clock.advance(100ms);
    return std::nullopt;
  };
  PaymentProcessor p(c, *f.journal, f.transport, f.clock);
  auto r = p.pay("g1/pay/1", 5000, "SEK");
  REQUIRE(r);
  CHECK(r->state == PaymentState::kFailed);
  CHECK(f.transport.count("TransactionStatus") == 5);  // asked until 500 ms had passed
  CHECK(f.sim.charges() == 0);
}

TEST_CASE("a reversal is sent as Malfunction unless a nexo reason is given", "[payment][processor]") {
  Fixture f;
  REQUIRE(f.processor->pay("m1/pay/1", 3000, "SEK"));
  REQUIRE(f.processor->pay("m2/pay/1", 3000, "SEK"));
  REQUIRE(f.processor->reverse("m1/pay/1", "the sale could not be journaled"));
  REQUIRE(f.processor->reverse("m2/pay/1", "MerchantCancel"));
  std::vector<std::string> reasons;
  for (const auto& s : f.transport.sent) {
    auto req = parse_sale_request(s);
    REQUIRE(req);
    if (auto* rev = std::get_if<ReversalRequest>(&*req)) reasons.push_back(rev->reason);
  }
  CHECK(reasons == std::vector<std::string>{"Malfunction", "MerchantCancel"});
  auto r = f.processor->get("m1/pay/1");
  REQUIRE(r);
  CHECK(r->state == PaymentState::kReversed);
  CHECK(r->refusal_reason == "the sale could not be journaled");
}

TEST_CASE("a refund references the original payment and never exceeds it", "[payment][processor][refund]") {
  Fixture f;
  auto paid = f.processor->pay("r1/pay/1", 10000, "SEK");
  REQUIRE(paid);
  auto part = f.processor->refund("r1/refund/1", "r1/pay/1", 4000);
  REQUIRE(part);
  CHECK(part->state == PaymentState::kRefunded);
  CHECK(part->kind == "refund");
  CHECK(part->original_poi_transaction_id == paid->poi_transaction_id);
  auto sent = parse_sale_request(f.transport.sent.back());
  REQUIRE(sent);
  const auto& req = std::get<PaymentRequest>(*sent);
  CHECK(req.payment_type == "Refund");
  CHECK(req.original_poi_transaction.transaction_id == paid->poi_transaction_id);
  CHECK(req.requested_ore == 4000);

  const auto before = f.transport.sent.size();
  auto again = f.processor->refund("r1/refund/1", "r1/pay/1", 4000);  // replayed, not refunded twice
  REQUIRE(again);
  CHECK(f.transport.sent.size() == before);
  auto too_much = f.processor->refund("r1/refund/2", "r1/pay/1", 6001);
  REQUIRE_FALSE(too_much);
  CHECK(too_much.error().code == kiosk::ErrorCode::kInvalidArgument);
  CHECK(f.processor->get("r1/refund/2").error().code == kiosk::ErrorCode::kNotFound);  // nothing journaled
  auto rest = f.processor->refund("r1/refund/2", "r1/pay/1", 6000);
  REQUIRE(rest);
  CHECK(rest->state == PaymentState::kRefunded);
  CHECK(f.processor->refund("r1/refund/3", "nobody/pay/1", 100).error().code == kiosk::ErrorCode::kNotFound);
  REQUIRE(f.processor->pay("r2/pay/1", 1124, "SEK"));  // declined: nothing to refund
  CHECK(f.processor->refund("r2/refund/1", "r2/pay/1", 100).error().code == kiosk::ErrorCode::kFailedPrecondition);
  CHECK(f.processor->refund("r1/pay/1", "r1/pay/1", 100).error().code == kiosk::ErrorCode::kInvalidArgument);
  int refunded = 0;
  for (const auto& t : f.sim.transactions()) refunded += t.outcome == "refunded" ? 1 : 0;
  CHECK(refunded == 2);
  CHECK(f.sim.charges() == 1);
}

TEST_CASE("a refund whose answer is lost is recovered, not sent again", "[payment][processor][refund]") {
  Fixture f;
  REQUIRE(f.processor->pay("r3/pay/1", 5000, "SEK"));
  REQUIRE(f.sim.control(R"({"drop_next":1})"));
  auto r = f.processor->refund("r3/refund/1", "r3/pay/1", 5000);
  REQUIRE(r);
  CHECK(r->state == PaymentState::kRefunded);
  CHECK(f.transport.count("Payment") == 2);  // the payment and the refund, once each
}

TEST_CASE("terminal-sim keeps its record across a crash and answers for it after the restart", "[payment][simulator]") {
  kiosk::test::TempDir dir{"sim-journal"};
  const auto journal = dir.path() / "terminal.jsonl";
  std::string poi;
  {
    TerminalSimulator before(journal);
    ScriptedTransport t(before);
    auto j = PaymentJournal::open(dir.path() / "payment");
    REQUIRE(j);
    kiosk::ManualClock clock;
    PaymentProcessor p(config(), **j, t, clock);
    REQUIRE(before.control(R"({"crash_next":1})"));
    auto reply = before.handle(R"(not json)");
    CHECK_FALSE(reply.crash);                 // only payments crash
    auto r = p.pay("c1/pay/1", 2000, "SEK");  // "crashes": no answer, recovered from the same terminal
    REQUIRE(r);
    CHECK(r->state == PaymentState::kApproved);
    poi = r->poi_transaction_id;
  }
  TerminalSimulator after(journal);  // the terminal restarted
  REQUIRE(after.transactions().size() == 1);
  CHECK(after.transactions()[0].poi_transaction_id == poi);
  CHECK(after.charges() == 1);
  ScriptedTransport t(after);
  auto j = PaymentJournal::open(dir.path() / "payment");
  REQUIRE(j);
  kiosk::ManualClock clock;
  PaymentProcessor p(config(), **j, t, clock);
  auto rev = p.reverse("c1/pay/1", "Malfunction");
  REQUIRE(rev);
  CHECK(rev->state == PaymentState::kReversed);
  CHECK(after.charges() == 0);
  auto next = p.pay("c2/pay/1", 100, "SEK");
  REQUIRE(next);
  CHECK(next->poi_transaction_id != poi);  // transaction numbers continue after the restart
  TerminalSimulator again(journal);
  CHECK(again.charges() == 1);
  CHECK(again.transactions().size() == 2);
}

TEST_CASE("answers naming another SaleID, POIID or ServiceID are discarded, payment and status alike",
          "[payment][processor]") {
  for (int field = 0; field < 3; ++field) {
    INFO("field " << field);
    Fixture f;
    int status_answers = 0;
    auto tamper = [field](MessageHeader& h) {
      if (field == 0) h.sale_id = "kiosk-99";
      if (field == 1) h.poi_id = "P400-000000001";
      if (field == 2) h.service_id = "999";
    };
    f.transport.after = [&](std::string_view req,
                            const std::string& body) -> std::optional<kiosk::Result<std::string>> {
      auto msg = parse_terminal_message(body);
      REQUIRE(msg);
      if (req.find("PaymentRequest") != std::string_view::npos) {
        auto p = std::get<PaymentResponse>(*msg);
        tamper(p.header);
        p.response = {NexoResult::kFailure, "Refusal", "refusalReason=not%20yours"};
        return kiosk::Result<std::string>(encode(p));
      }
      if (req.find("TransactionStatusRequest") != std::string_view::npos && ++status_answers == 1) {
        auto s = std::get<TransactionStatusResponse>(*msg);
        tamper(s.header);
        s.response = {NexoResult::kFailure, "NotFound", ""};  // would mean "nothing charged"
        return kiosk::Result<std::string>(encode(s));
      }
      return std::nullopt;
    };
    auto r = f.processor->pay("x/pay/1", 3000, "SEK");
    REQUIRE(r);
    CHECK(r->state == PaymentState::kApproved);  // neither the stray decline nor the stray NotFound
    CHECK(f.transport.count("TransactionStatus") == 2);
    CHECK(f.sim.charges() == 1);
  }
}
