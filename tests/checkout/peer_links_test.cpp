// checkoutd's peer links against in-process gRPC peers on real Unix sockets: scans come from a Vision
// stream, products from Catalog, verdicts from a Scale stream, outcomes from Payment. The peers here are
// scripted test services (the real daemons and simulators are exercised by the end-to-end test).
#include "scripted_peers.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;

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
  CHECK(calls[1] == fmt::format("expect {}/1 1550000 spread 31000", sid));

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

TEST_CASE("a PLU for loose produce: the lane asks for it on the scale and prices the weight the scale gives",
          "[peers][weighing]") {
  TempDir tmp{"checkout-test"};
  Peers peers(tmp.path());
  SystemClock clock;
  auto core = LaneCore::open(tmp.path() / "data", lane_options(), clock, nullptr);
  REQUIRE(core);
  auto links = std::make_unique<PeerLinks>(**core, sockets(tmp.path()), peer_options());
  links->start();

  // The look-up screen sends the PLU as EnterCode, as the kiosk UI does.
  auto item = links->lookup("4011");
  REQUIRE(item);
  v1::ActRequest enter;
  enter.set_request_id("plu-1");
  enter.mutable_enter_code()->set_code("4011");
  auto r = (*core)->act(enter, &*item);
  REQUIRE(r);
  CHECK(r->session.notice() == "place_on_scale");
  CHECK(r->session.lines_size() == 0);
  // Nothing on the scale yet: the lane keeps asking and keeps the prompt.
  REQUIRE(eventually(**core, [&](const v1::Session&) {
    std::lock_guard l(peers.scale.mu);
    return peers.scale.weighings >= 2;
  }));
  CHECK((*core)->session().lines_size() == 0);
  CHECK((*core)->session().notice() == "place_on_scale");

  peers.scale.put_produce(482'000);
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.lines_size() == 1; }));
  const auto s = (*core)->session();
  CHECK(s.lines(0).quantity() == 482'000);
  CHECK(s.lines(0).line_total_ore() == 1444);  // 0,482 kg × 29,95 kr/kg
  CHECK(s.lines(0).weighed());
  CHECK_FALSE(s.has_weighing());
  const std::string sid = s.session_id();
  REQUIRE(eventually(**core, [&](const v1::Session&) {
    for (const auto& c : peers.scale.seen()) {
      if (c == fmt::format("expect {}/1 482000 spread 0", sid)) return true;
    }
    return false;
  }));
  links.reset();  // before the core it feeds
}
