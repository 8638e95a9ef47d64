// terminal-sim's side of the binding without HTTP: the encryption envelope, Busy, captures, card
// prompts into the sale system's device listener, Login and Reconciliation.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>

#include "payment/nexo_codec.h"
#include "payment/nexo_device_listener.h"
#include "payment/terminal_sim_wire.h"
#include "temp_dir.h"

using namespace kiosk::payment;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::shared_ptr<const NexoCrypto> crypto(const std::string& id = "kiosk-key", const std::string& pass = "secret") {
  auto c = NexoCrypto::create({id, 1, pass});
  REQUIRE(c);
  return std::make_shared<const NexoCrypto>(std::move(*c));
}

MessageHeader hdr(std::string category, std::string sid) {
  return {"3.0", "Service", std::move(category), "Request", std::move(sid), "kiosk-01", "V400m-324688179"};
}

std::string payment(const std::string& sid, kiosk::Ore ore) {
  PaymentRequest p;
  p.header = hdr("Payment", sid);
  p.sale_transaction = {"kiosk-01-" + sid, "2026-11-27T12:00:00.000Z"};
  p.currency = "SEK";
  p.requested_ore = ore;
  return encode(p);
}

template <typename T>
T answer_as(const std::string& body) {
  auto m = parse_terminal_message(body);
  REQUIRE(m);
  REQUIRE(std::holds_alternative<T>(*m));
  return std::get<T>(*m);
}

}  // namespace

TEST_CASE("an encrypted terminal answers sealed requests sealed and rejects the rest in clear", "[payment][sim]") {
  TerminalSimulator sim;
  auto key = crypto();
  TerminalSimWire wire(sim, {key, {}, {}});

  auto sealed = key->seal(payment("1", 1000));
  REQUIRE(sealed);
  auto reply = wire.handle(*sealed);
  REQUIRE(is_nexo_envelope(reply.body));
  auto opened = key->open(reply.body);
  REQUIRE(opened);
  CHECK(answer_as<PaymentResponse>(*opened).response.result == NexoResult::kSuccess);
  CHECK(sim.charges() == 1);

  SECTION("a request in clear") {
    auto r = wire.handle(payment("2", 1000));
    auto ev = answer_as<EventNotification>(r.body);
    CHECK(ev.event_to_notify == "Reject");
    CHECK_THAT(ev.event_details, Catch::Contains("encrypted"));
  }
  SECTION("another key identifier") {
    auto other = crypto("other-key");
    auto r = wire.handle(*other->seal(payment("2", 1000)));
    CHECK_THAT(answer_as<EventNotification>(r.body).event_details, Catch::Contains("KeyIdentifier"));
  }
  SECTION("another passphrase") {
    auto other = crypto("kiosk-key", "wrong");
    auto r = wire.handle(*other->seal(payment("2", 1000)));
    CHECK(answer_as<EventNotification>(r.body).event_to_notify == "Reject");
  }
  CHECK(sim.charges() == 1);  // nothing refused was charged
}

TEST_CASE("a second payment while one is at the card reader is Busy", "[payment][sim]") {
  TerminalSimulator sim;
  TerminalSimWire wire(sim, {});
  REQUIRE(sim.control(R"({"hold_next_ms":10000})"));
  auto first = std::async(std::launch::async, [&] { return wire.handle(payment("1", 1000)); });
  // Wait until the first payment is at the card reader (the simulator records it in progress).
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (sim.transactions().empty() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  REQUIRE_FALSE(sim.transactions().empty());
  auto busy = answer_as<PaymentResponse>(wire.handle(payment("2", 2000)).body);
  CHECK(busy.response.error_condition == "Busy");
  CHECK(busy.header.service_id == "2");
  AbortRequest a;
  a.header = hdr("Abort", "3");
  a.reference = {"Payment", "1", "kiosk-01"};
  wire.handle(encode(a));
  CHECK(answer_as<PaymentResponse>(first.get().body).response.error_condition == "Aborted");
  CHECK(sim.charges() == 0);
}

TEST_CASE("every raw request body is captured for the conformance test", "[payment][sim]") {
  kiosk::test::TempDir dir{"sim-capture"};
  TerminalSimulator sim;
  auto key = crypto();
  TerminalSimWire wire(sim, {key, dir.path() / "captures", {}});
  const std::string sealed = *key->seal(payment("1", 1000));
  wire.handle(sealed);
  std::ifstream in(dir.path() / "captures" / "0001-Payment.json");
  REQUIRE(in);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(body == sealed);
}

TEST_CASE("Login and Reconciliation are answered from the terminal's own record", "[payment][sim]") {
  TerminalSimulator sim;
  TerminalSimWire wire(sim, {});
  LoginRequest l;
  l.header = hdr("Login", "1");
  auto login = answer_as<LoginResponse>(wire.handle(encode(l)).body);
  CHECK(login.response.result == NexoResult::kSuccess);
  CHECK(login.poi_serial_number == "324688179");

  wire.handle(payment("2", 1000));  // approved
  wire.handle(payment("3", 2000));  // approved
  wire.handle(payment("4", 1124));  // declined: not in the totals
  ReconciliationRequest q;
  q.header = hdr("Reconciliation", "5");
  auto rec = answer_as<ReconciliationResponse>(wire.handle(encode(q)).body);
  REQUIRE(rec.response.result == NexoResult::kSuccess);
  REQUIRE(rec.totals.size() == 1);
  CHECK(rec.totals[0].transaction_type == "Debit");
  CHECK(rec.totals[0].transaction_count == 2);
  CHECK(rec.totals[0].transaction_ore == 3000);
  CHECK(rec.totals[0].card_brand == "mc");
  // The SaleReconciliation closed the period: the next one starts empty.
  q.header.service_id = "6";
  auto next = answer_as<ReconciliationResponse>(wire.handle(encode(q)).body);
  CHECK(next.totals.empty());
  CHECK(next.poi_reconciliation_id != rec.poi_reconciliation_id);
}

TEST_CASE("card prompts reach the sale system's prompt feed, encrypted", "[payment][sim][prompts]") {
  auto key = crypto();
  PromptFeed feed;
  feed.publish(Prompt::Kind::kPresentCard, "Present card on the terminal", "s1/pay/1");
  NexoDeviceListener listener(feed, key);
  auto port = listener.start("127.0.0.1:0");
  REQUIRE(port);

  TerminalSimulator sim;
  HttpTransportOptions notify;
  notify.endpoint = "http://127.0.0.1:" + std::to_string(*port) + "/nexo";
  TerminalSimWire wire(sim, {key, {}, notify});
  wire.handle(*key->seal(payment("1", 12350)));

  // "Present card / SEK 123.50" and then "Approved", in order, tagged with the payment in progress.
  std::vector<Prompt> seen;
  std::uint64_t after = 1;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (seen.size() < 2 && std::chrono::steady_clock::now() < deadline)
    for (auto& p : feed.wait_after(after, 100ms)) {
      after = p.seq;
      seen.push_back(p);
    }
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].text == "Present card\nSEK 123.50");
  CHECK(seen[0].key == "s1/pay/1");
  CHECK(seen[1].text == "Approved");
  wire.stop();
  listener.stop();
}

TEST_CASE("the device listener refuses what it cannot read and shows nothing", "[payment][prompts]") {
  auto key = crypto();
  PromptFeed feed;
  NexoDeviceListener listener(feed, key);
  DisplayRequest d;
  d.header = {"3.0", "Device", "Display", "Request", "D1", "kiosk-01", "V400m-324688179"};
  d.lines = {"Enter PIN"};
  CHECK_FALSE(listener.handle(encode(d)));                              // clear on an encrypted link
  CHECK_FALSE(listener.handle(*crypto("other-key")->seal(encode(d))));  // another key
  CHECK_FALSE(listener.handle(*key->seal(payment("1", 100))));          // not a terminal request
  CHECK(feed.latest_seq() == 0);

  auto ok = listener.handle(*key->seal(encode(d)));
  REQUIRE(ok);
  auto opened = key->open(*ok);
  REQUIRE(opened);
  auto resp = parse_sale_request(*opened);
  REQUIRE(resp);
  REQUIRE(std::holds_alternative<DisplayResponse>(*resp));
  CHECK(std::get<DisplayResponse>(*resp).response.result == NexoResult::kSuccess);
  CHECK(std::get<DisplayResponse>(*resp).header.service_id == "D1");
  CHECK(feed.latest_seq() == 1);
}
