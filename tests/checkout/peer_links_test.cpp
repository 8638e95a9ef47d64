// checkoutd's peer links against in-process gRPC peers on real Unix sockets: scans come from a Vision
// stream, products from Catalog, verdicts from a Scale stream, outcomes from Payment. The peers here are
// scripted test services (the real daemons and simulators are exercised by the end-to-end test).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

#include "checkout/checkout_service.h"
#include "common/rpc.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;

namespace {

// A queue that a server stream drains until the call is cancelled.
template <typename T>
class Feed {
 public:
  void push(T v) {
    std::lock_guard l(mu_);
    q_.push_back(std::move(v));
    cv_.notify_all();
  }
  template <typename W>
  grpc::Status drain(grpc::ServerContext* ctx, W* writer) {
    while (!ctx->IsCancelled()) {
      std::unique_lock l(mu_);
      if (!cv_.wait_for(l, std::chrono::milliseconds(50), [&] { return !q_.empty(); })) continue;
      T v = std::move(q_.front());
      q_.pop_front();
      l.unlock();
      if (!writer->Write(v)) break;
    }
    return grpc::Status::OK;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> q_;
};

class Peers final {
 public:
  struct CatalogImpl final : v1::Catalog::Service {
    grpc::Status Lookup(grpc::ServerContext*, const v1::LookupRequest* req, v1::LookupResponse* resp) override {
      for (const auto& it : {milk(), card()}) {
        if (it.product.gtin14() == req->code() || it.product.gtin14().substr(1) == req->code()) {
          *resp->mutable_product() = it.product;
          return grpc::Status::OK;
        }
      }
      return {grpc::StatusCode::NOT_FOUND, "no product " + req->code()};
    }
  };
  struct VisionImpl final : v1::Vision::Service {
    grpc::Status Scans(grpc::ServerContext* ctx, const v1::ScansRequest*,
                       grpc::ServerWriter<v1::ScanEvent>* w) override {
      return feed.drain(ctx, w);
    }
    Feed<v1::ScanEvent> feed;
  };
  struct ScaleImpl final : v1::Scale::Service {
    grpc::Status Watch(grpc::ServerContext* ctx, const v1::ScaleWatchRequest*,
                       grpc::ServerWriter<v1::ScaleEvent>* w) override {
      v1::ScaleEvent status;
      status.mutable_status()->set_state(v1::ScaleStatus::STATE_ONLINE);
      if (!w->Write(status)) return grpc::Status::OK;
      return feed.drain(ctx, w);
    }
    grpc::Status BeginSession(grpc::ServerContext*, const v1::BeginScaleSessionRequest* r,
                              v1::ScaleSessionResponse*) override {
      log("begin " + r->session_id());
      return grpc::Status::OK;
    }
    grpc::Status EndSession(grpc::ServerContext*, const v1::EndScaleSessionRequest* r,
                            v1::ScaleSessionResponse*) override {
      log("end " + r->session_id());
      return grpc::Status::OK;
    }
    grpc::Status ExpectItem(grpc::ServerContext*, const v1::ExpectItemRequest* r, v1::ExpectItemResponse*) override {
      log(fmt::format("expect {} {}", r->expectation_id(), r->expected_mg()));
      return grpc::Status::OK;
    }
    void log(std::string s) {
      std::lock_guard l(mu);
      calls.push_back(std::move(s));
    }
    std::vector<std::string> seen() {
      std::lock_guard l(mu);
      return calls;
    }
    Feed<v1::ScaleEvent> feed;
    std::mutex mu;
    std::vector<std::string> calls;
  };
  // Records each key; declines amounts whose öre end in 124 (as the terminal does); holds a payment
  // while `hold` is set, leaving it IN_PROGRESS.
  struct PaymentImpl final : v1::Payment::Service {
    grpc::Status Pay(grpc::ServerContext* ctx, const v1::PayRequest* r, v1::PaymentResult* resp) override {
      std::unique_lock l(mu);
      keys.push_back(r->idempotency_key());
      cv.wait(l, [&] { return !hold || ctx->IsCancelled(); });
      if (ctx->IsCancelled()) return {grpc::StatusCode::CANCELLED, "cancelled"};
      v1::PaymentResult res;
      res.set_idempotency_key(r->idempotency_key());
      res.set_amount_ore(r->amount_ore());
      res.set_outcome(r->amount_ore() % 1000 == 124 ? v1::PAYMENT_OUTCOME_DECLINED : v1::PAYMENT_OUTCOME_APPROVED);
      if (res.outcome() == v1::PAYMENT_OUTCOME_DECLINED) res.set_refusal_reason("Refused");
      res.set_card_brand("mc");
      res.set_masked_pan("541333 **** 9999");
      res.set_poi_transaction_id("poi-" + r->idempotency_key());
      res.set_authorized_ore(r->amount_ore() - short_ore);  // short_ore > 0: a partial approval
      recorded[r->idempotency_key()] = res;
      *resp = res;
      return grpc::Status::OK;
    }
    grpc::Status GetPayment(grpc::ServerContext*, const v1::GetPaymentRequest* r, v1::PaymentResult* resp) override {
      std::lock_guard l(mu);
      get_keys.push_back(r->idempotency_key());
      auto it = recorded.find(r->idempotency_key());
      if (it == recorded.end()) return {grpc::StatusCode::NOT_FOUND, "unknown key"};
      *resp = it->second;
      return grpc::Status::OK;
    }
    grpc::Status Reverse(grpc::ServerContext*, const v1::ReverseRequest* r, v1::PaymentResult* resp) override {
      std::lock_guard l(mu);
      reversals.push_back(r->idempotency_key() + " " + r->reason());
      if (reverse_fails)
        return {grpc::StatusCode::UNAVAILABLE, "reversal of " + r->idempotency_key() + " has no answer"};
      auto it = recorded.find(r->idempotency_key());
      if (it == recorded.end()) return {grpc::StatusCode::NOT_FOUND, "unknown key"};
      it->second.set_outcome(v1::PAYMENT_OUTCOME_REVERSED);
      *resp = it->second;
      return grpc::Status::OK;
    }
    grpc::Status WatchPrompts(grpc::ServerContext* ctx, const v1::WatchPromptsRequest*,
                              grpc::ServerWriter<v1::TerminalPrompt>* w) override {
      return prompts.drain(ctx, w);
    }
    void release() {
      std::lock_guard l(mu);
      hold = false;
      cv.notify_all();
    }
    std::vector<std::string> reversals_seen() {
      std::lock_guard l(mu);
      return reversals;
    }
    Feed<v1::TerminalPrompt> prompts;
    std::int64_t short_ore = 0;
    bool reverse_fails = false;
    std::vector<std::string> reversals;
    std::mutex mu;
    std::condition_variable cv;
    bool hold = false;
    std::vector<std::string> keys, get_keys;
    std::map<std::string, v1::PaymentResult> recorded;
  };

  explicit Peers(const std::filesystem::path& dir) {
    for (auto [name, svc] : std::vector<std::pair<const char*, grpc::Service*>>{
             {"catalog", &catalog}, {"vision", &vision}, {"scale", &scale}, {"payment", &payment}}) {
      auto s = start_unix_server(dir / fmt::format("{}.sock", name), {svc});
      REQUIRE(s);
      servers.push_back(std::move(*s));
    }
  }
  ~Peers() {
    payment.release();
    for (auto& s : servers) s->Shutdown(std::chrono::system_clock::now());
  }

  CatalogImpl catalog;
  VisionImpl vision;
  ScaleImpl scale;
  PaymentImpl payment;
  std::vector<std::unique_ptr<grpc::Server>> servers;
};

PeerSockets sockets(const std::filesystem::path& d) {
  return {d / "catalog.sock", d / "vision.sock", d / "scale.sock", d / "payment.sock"};
}

LaneCore::Options lane_options() {
  LaneCore::Options opts;
  opts.lane = {1, "Exempelbutiken", "Storgatan 1", "556000-0000", "SEK"};
  return opts;
}

PeerLinks::Options peer_options() {
  PeerLinks::Options popts;
  popts.reconnect_backoff = std::chrono::milliseconds(50);
  return popts;
}

// Polls the core's real state until `pred` holds (5 s at most).
template <typename P>
bool eventually(LaneCore& core, P pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    if (pred(core.session())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred(core.session());
}

v1::ScanEvent scan(std::uint64_t seq, const std::string& gtin) {
  v1::ScanEvent e;
  e.set_seq(seq);
  e.set_gtin14(gtin);
  e.set_text(gtin.substr(1));
  return e;
}

v1::ScaleEvent accepted(const std::string& expectation) {
  v1::ScaleEvent e;
  e.mutable_verdict()->set_expectation_id(expectation);
  e.mutable_verdict()->set_kind(v1::BaggingVerdict::KIND_ACCEPTED);
  return e;
}

}  // namespace

TEST_CASE("peers drive a sale: scan bag pay - a payment in flight survives a restart", "[peers]") {
  TempDir tmp{"checkout-test"};
  Peers peers(tmp.path());
  SystemClock clock;
  const LaneCore::Options opts = lane_options();
  const PeerLinks::Options popts = peer_options();

  auto core = LaneCore::open(tmp.path() / "data", opts, clock, nullptr);
  REQUIRE(core);
  auto links = std::make_unique<PeerLinks>(**core, sockets(tmp.path()), popts);
  links->start();

  // A scan on the welcome screen starts the session and asks the scale to expect the milk.
  peers.vision.feed.push(scan(1, milk().product.gtin14()));
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.lines_size() == 1; }));
  const std::string sid = (*core)->session().session_id();
  CHECK((*core)->session().state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  peers.vision.feed.push(scan(2, "07310000000009"));  // not in the catalog
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.notice() == "item_not_found"; }));
  peers.scale.feed.push(accepted(sid + "/1"));
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.state() == v1::SESSION_STATE_SCANNING; }));
  const auto calls = peers.scale.seen();
  REQUIRE(calls.size() >= 2);
  CHECK(calls[0] == "begin " + sid);
  CHECK(calls[1] == fmt::format("expect {}/1 1550000", sid));

  // Pay while the terminal holds the payment; checkoutd "crashes" and comes back.
  {
    std::lock_guard l(peers.payment.mu);
    peers.payment.hold = true;
  }
  v1::ActRequest pay;
  pay.mutable_pay();
  auto paying = (*core)->act(pay);
  REQUIRE(paying);
  const std::string key = sid + "/pay/1";
  REQUIRE(eventually(**core, [&](const v1::Session&) {
    std::lock_guard l(peers.payment.mu);
    return peers.payment.keys.size() == 1;
  }));
  links.reset();  // cancels the Pay call in flight
  core->reset();
  peers.payment.release();

  auto again = LaneCore::open(tmp.path() / "data", opts, clock, nullptr);
  REQUIRE(again);
  CHECK((*again)->session().state() == v1::SESSION_STATE_PAYING);
  CHECK((*again)->vision_seq() == 2);  // resubscribes after the last scan it handled
  links = std::make_unique<PeerLinks>(**again, sockets(tmp.path()), popts);
  links->start();
  REQUIRE(eventually(**again, [](const v1::Session& s) { return s.state() == v1::SESSION_STATE_RECEIPT; }));
  {
    std::lock_guard l(peers.payment.mu);
    CHECK(peers.payment.get_keys.at(0) == key);                // asked for the recorded outcome first
    for (const auto& k : peers.payment.keys) CHECK(k == key);  // never a new key
  }
  auto sale = (*again)->get_sale(1);
  REQUIRE(sale);
  CHECK(sale->payment().idempotency_key() == key);
  CHECK(sale->payment().poi_transaction_id() == "poi-" + key);
  CHECK(sale->totals().total_ore() == 1590);
  REQUIRE(eventually(**again, [&](const v1::Session&) {
    const auto c = peers.scale.seen();
    return !c.empty() && c.back() == "end " + sid;
  }));
  links.reset();  // before the core it feeds
}

namespace {

// A lane with PeerLinks on the scripted peers, paying for one greeting card (no weight).
struct PayingLane {
  explicit PayingLane(Peers& peers, const std::filesystem::path& dir) {
    const LaneCore::Options opts = lane_options();
    const PeerLinks::Options popts = peer_options();
    auto c = LaneCore::open(dir / "data", opts, clock, nullptr);
    REQUIRE(c);
    core = std::move(*c);
    links = std::make_unique<PeerLinks>(*core, sockets(dir), popts);
    links->start();
    REQUIRE(core->on_scan(card()));
    v1::ActRequest pay;
    pay.mutable_pay();
    REQUIRE(core->act(pay));
    key = core->session().payment().idempotency_key();
    (void)peers;
  }
  ~PayingLane() { links.reset(); }  // before the core it feeds
  SystemClock clock;
  std::unique_ptr<LaneCore> core;
  std::unique_ptr<PeerLinks> links;
  std::string key;
};

}  // namespace

TEST_CASE("an approval that cannot become a sale is reversed as Malfunction", "[peers][payment]") {
  TempDir tmp{"checkout-test"};
  Peers peers(tmp.path());
  peers.payment.short_ore = 900;  // the terminal approves 30 kr of 39 kr
  PayingLane lane(peers, tmp.path());
  REQUIRE(eventually(*lane.core, [](const v1::Session& s) { return s.state() == v1::SESSION_STATE_SCANNING; }));
  const auto s = lane.core->session();
  CHECK(s.payment().outcome() == v1::PAYMENT_OUTCOME_REVERSED);
  CHECK(s.notice() == "payment_failed");
  CHECK(peers.payment.reversals_seen() == std::vector<std::string>{lane.key + " Malfunction"});
  CHECK(lane.core->list_sales(0, 0)->empty());
}

TEST_CASE("a reversal that fails calls the attendant with the approval's key", "[peers][payment]") {
  TempDir tmp{"checkout-test"};
  Peers peers(tmp.path());
  peers.payment.short_ore = 900;
  peers.payment.reverse_fails = true;
  PayingLane lane(peers, tmp.path());
  REQUIRE(eventually(*lane.core, [](const v1::Session& s) { return s.state() == v1::SESSION_STATE_NEEDS_ATTENDANT; }));
  const auto s = lane.core->session();
  CHECK(s.attendant().reason() == v1::ATTENDANT_REASON_PAYMENT_FAULT);
  CHECK_THAT(s.attendant().detail(), Catch::Contains(lane.key) && Catch::Contains("has no answer"));
  CHECK(peers.payment.reversals_seen().size() == 3);  // PeerLinks::Options::reverse_attempts
  CHECK(lane.core->list_sales(0, 0)->empty());
}

TEST_CASE("the terminal's prompts are mirrored on the session while paying", "[peers][payment]") {
  TempDir tmp{"checkout-test"};
  Peers peers(tmp.path());
  {
    std::lock_guard l(peers.payment.mu);
    peers.payment.hold = true;
  }
  PayingLane lane(peers, tmp.path());
  v1::TerminalPrompt other;
  other.set_kind(v1::TerminalPrompt::KIND_PRESENT_CARD);
  other.set_idempotency_key("L9-1-1/pay/1");  // another lane's payment: ignored
  peers.payment.prompts.push(other);
  v1::TerminalPrompt pin;
  pin.set_kind(v1::TerminalPrompt::KIND_ENTER_PIN);
  pin.set_text("Enter PIN");
  pin.set_idempotency_key(lane.key);
  peers.payment.prompts.push(pin);
  REQUIRE(eventually(*lane.core, [](const v1::Session& s) { return s.payment().prompt() == "Ange PIN-kod"; }));
  CHECK(lane.core->session().payment().prompt_kind() == v1::TerminalPrompt::KIND_ENTER_PIN);
  CHECK(lane.core->session().state() == v1::SESSION_STATE_PAYING);
  peers.payment.release();
  REQUIRE(eventually(*lane.core, [](const v1::Session& s) { return s.state() == v1::SESSION_STATE_RECEIPT; }));
  CHECK(lane.core->session().payment().prompt().empty());
}

TEST_CASE("a scanner-scale's barcode adds the item without moving the camera's sequence", "[peers]") {
  TempDir tmp{"checkout-test"};
  Peers peers(tmp.path());
  SystemClock clock;
  const LaneCore::Options opts = lane_options();
  const PeerLinks::Options popts = peer_options();
  auto core = LaneCore::open(tmp.path() / "data", opts, clock, nullptr);
  REQUIRE(core);
  auto links = std::make_unique<PeerLinks>(**core, sockets(tmp.path()), popts);
  links->start();

  v1::ScaleEvent ev;
  *ev.mutable_scan() = scan(41, milk().product.gtin14());  // numbered by the scale's driver, not visiond
  peers.scale.feed.push(ev);
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.lines_size() == 1; }));
  CHECK((*core)->session().lines(0).gtin14() == milk().product.gtin14());
  CHECK((*core)->vision_seq() == 0);  // the camera stream resumes where it was
  peers.scale.feed.push(accepted((*core)->session().session_id() + "/1"));
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.state() == v1::SESSION_STATE_SCANNING; }));

  // The camera's next scan (seq 1) is still taken.
  peers.vision.feed.push(scan(1, milk().product.gtin14()));
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.lines_size() == 2; }));
  CHECK((*core)->vision_seq() == 1);
  links.reset();  // before the core it feeds
}
