#include "lane_fixture.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;
using K = Effect::Kind;
constexpr auto kRefused = ErrorCode::kFailedPrecondition;

namespace {
bool has_effect(const Outcome& o, K kind) {
  for (const auto& e : o.effects) {
    if (e.kind == kind) return true;
  }
  return false;
}
}  // namespace

TEST_CASE("idle: Start opens a session and begins the scale session", "[lane]") {
  Lane lane;
  CHECK(lane.state() == v1::SESSION_STATE_IDLE);
  CHECK(lane.core->session().revision() == 0);
  auto r = lane.start();
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(r->session.revision() == 1);
  CHECK(r->session.lane() == 1);
  CHECK(r->session.started_unix_ms() == kNov2026);
  CHECK_THAT(r->session.session_id(), Catch::StartsWith("L1-"));
  REQUIRE(r->effects.size() == 1);
  CHECK(r->effects[0].kind == K::kScaleBeginSession);
  CHECK(r->effects[0].session_id == r->session.session_id());
  REQUIRE_REFUSED(lane, lane.start(), kRefused);
}

TEST_CASE("idle refuses every intent but Start", "[lane]") {
  Lane lane;
  for (auto mutate : std::vector<std::function<void(v1::ActRequest&)>>{
           [](auto& r) { r.mutable_pay(); }, [](auto& r) { r.mutable_cancel_payment(); },
           [](auto& r) { r.mutable_request_help(); }, [](auto& r) { r.mutable_finish_receipt(); },
           [](auto& r) { r.mutable_remove_line()->set_line_no(1); }, [](auto& r) { r.mutable_resolve(); },
           [](auto& r) { r.mutable_approve_age(); }, [](auto& r) { r.mutable_cancel_sale(); },
           [](auto& r) { r.mutable_void_line()->set_line_no(1); }}) {
    auto req = lane.attendant();
    mutate(req);
    REQUIRE_REFUSED(lane, lane.core->act(req), kRefused);
  }
  REQUIRE_REFUSED(lane, lane.core->act(lane.intent()), ErrorCode::kInvalidArgument);  // no action at all
  REQUIRE_REFUSED(lane, lane.core->on_scan_failed("123", "item_not_found"), kRefused);
  REQUIRE_REFUSED(lane, lane.verdict(1, v1::BaggingVerdict::KIND_ACCEPTED), kRefused);
  REQUIRE_REFUSED(lane, lane.alert("x1", v1::ScaleAlert::KIND_UNEXPECTED_ITEM, true), kRefused);
  REQUIRE_REFUSED(lane, lane.core->tick(), kRefused);
}

TEST_CASE("a scan on the welcome screen starts the session", "[lane]") {
  Lane lane;
  auto r = lane.core->on_scan(milk());
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  REQUIRE(r->effects.size() == 3);
  CHECK(r->effects[0].kind == K::kScaleBeginSession);
  CHECK(r->effects[1].kind == K::kScaleExpectItem);
  CHECK(r->effects[2].kind == K::kCatalogPriceBasket);  // every basket change is priced for promotions
  CHECK(r->effects[1].expectation_id == r->session.session_id() + "/1");
  CHECK(r->effects[1].expected_mg == 1'550'000);
  CHECK(r->effects[1].spread_mg == 31'000);
  CHECK_FALSE(r->effects[1].no_weigh);
}

TEST_CASE("scanning ⇄ waiting for bagging", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  auto r = lane.core->on_scan(milk());
  REQUIRE(r);
  const auto& s = r->session;
  CHECK(s.state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  REQUIRE(s.lines_size() == 1);
  CHECK(s.lines(0).line_no() == 1);
  CHECK_FALSE(s.lines(0).bagged());
  CHECK(s.last_line_no() == 1);
  CHECK(s.totals().total_ore() == 1590);
  REQUIRE_REFUSED(lane, lane.pay(), kRefused);  // bag first

  // A second scan while the first waits: both are expected by the scale.
  auto r2 = lane.core->on_scan(card());  // no-weigh: bagged at once
  REQUIRE(r2);
  CHECK(r2->session.state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  CHECK(r2->session.lines(1).bagged());
  REQUIRE(r2->effects.size() == 2);
  CHECK(r2->effects[0].no_weigh);
  CHECK(r2->effects[1].kind == K::kCatalogPriceBasket);

  REQUIRE(lane.verdict(1, v1::BaggingVerdict::KIND_ACCEPTED));
  CHECK(lane.state() == v1::SESSION_STATE_SCANNING);
  CHECK(lane.core->session().lines(0).bagged());
  // A repeated verdict for a settled line changes nothing; so does one of another session.
  REQUIRE_REFUSED(lane, lane.verdict(1, v1::BaggingVerdict::KIND_ACCEPTED), kRefused);
  v1::BaggingVerdict stale;
  stale.set_expectation_id("L1-0-0/1");
  stale.set_kind(v1::BaggingVerdict::KIND_ACCEPTED);
  REQUIRE_REFUSED(lane, lane.core->on_verdict(stale), kRefused);
}

TEST_CASE("an unknown code leaves a notice and changes nothing else", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  auto r = lane.core->on_scan_failed("7310000000009", "item_not_found");
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(r->session.notice() == "item_not_found");
  CHECK(r->session.lines_size() == 0);
}

TEST_CASE("weight mismatch calls the attendant - a PIN-verified Resolve accepts the item", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  REQUIRE(lane.core->on_scan(milk()));
  auto r = lane.verdict(1, v1::BaggingVerdict::KIND_MISMATCH, 900'000);
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
  CHECK(r->session.resume_state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  CHECK(r->session.attendant().reason() == v1::ATTENDANT_REASON_WEIGHT_MISMATCH);
  CHECK(r->session.attendant().line_no() == 1);
  CHECK(r->session.attendant().measured_delta_mg() == 900'000);
  CHECK(r->session.attendant().since_unix_ms() == kNov2026);
  // The scale's matching alert is attached to the call.
  REQUIRE(lane.alert("al-7", v1::ScaleAlert::KIND_WEIGHT_MISMATCH, true, 1));
  CHECK(lane.core->session().attendant().alert_id() == "al-7");

  REQUIRE_REFUSED(lane, lane.core->on_scan(beer()), kRefused);
  REQUIRE_REFUSED(lane, lane.pay(), kRefused);
  auto help = lane.intent();
  help.mutable_request_help();
  REQUIRE_REFUSED(lane, lane.core->act(help), kRefused);
  auto remove = lane.intent();
  remove.mutable_remove_line()->set_line_no(1);
  REQUIRE_REFUSED(lane, lane.core->act(remove), kRefused);  // the shopper cannot remove it now

  auto wrong = lane.attendant("0000");
  wrong.mutable_resolve()->set_decision(v1::ResolveAlertRequest::DECISION_ACCEPT_WEIGHT);
  REQUIRE_REFUSED(lane, lane.core->act(wrong), ErrorCode::kPermissionDenied);
  auto anon = lane.intent();
  anon.mutable_resolve();
  REQUIRE_REFUSED(lane, lane.core->act(anon), ErrorCode::kPermissionDenied);

  auto ok = lane.attendant();
  ok.mutable_resolve()->set_decision(v1::ResolveAlertRequest::DECISION_ACCEPT_WEIGHT);
  auto done = lane.core->act(ok);
  REQUIRE(done);
  CHECK(done->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(done->session.lines(0).bagged());
  CHECK_FALSE(done->session.has_attendant());
  REQUIRE(done->effects.size() == 1);
  CHECK(done->effects[0].kind == K::kScaleResolveAlert);
  CHECK(done->effects[0].alert_id == "al-7");
  CHECK(done->effects[0].attendant_id == "a1");
  CHECK(done->effects[0].decision == v1::ResolveAlertRequest::DECISION_ACCEPT_WEIGHT);
  REQUIRE_REFUSED(lane, lane.core->act(ok), kRefused);  // nothing left to resolve
}

TEST_CASE("an unexpected item is cleared by the shopper taking it away", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(milk());
  auto r = lane.alert("al-1", v1::ScaleAlert::KIND_UNEXPECTED_ITEM, true);
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
  CHECK(r->session.attendant().reason() == v1::ATTENDANT_REASON_UNEXPECTED_ITEM);
  CHECK(r->session.resume_state() == v1::SESSION_STATE_SCANNING);
  CHECK(r->session.notice() == "wait_for_attendant");
  REQUIRE_REFUSED(lane, lane.alert("al-2", v1::ScaleAlert::KIND_ITEM_REMOVED, true), kRefused);
  REQUIRE_REFUSED(lane, lane.alert("al-2", v1::ScaleAlert::KIND_ITEM_REMOVED, false), kRefused);
  auto closed = lane.alert("al-1", v1::ScaleAlert::KIND_UNEXPECTED_ITEM, false);
  REQUIRE(closed);
  CHECK(closed->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK_FALSE(closed->session.has_attendant());
}

TEST_CASE("item removed and device fault alerts need the attendant", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  REQUIRE(lane.core->on_scan(milk()));  // waiting for bagging
  auto r = lane.alert("al-3", v1::ScaleAlert::KIND_DEVICE_FAULT, true);
  REQUIRE(r);
  CHECK(r->session.attendant().reason() == v1::ATTENDANT_REASON_DEVICE_FAULT);
  CHECK(r->session.resume_state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  auto ok = lane.attendant();
  ok.mutable_resolve()->set_decision(v1::ResolveAlertRequest::DECISION_OVERRIDE);
  auto done = lane.core->act(ok);
  REQUIRE(done);
  CHECK(done->session.state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);  // the milk still waits
  REQUIRE(lane.verdict(1, v1::BaggingVerdict::KIND_ACCEPTED));
  auto removed = lane.alert("al-4", v1::ScaleAlert::KIND_ITEM_REMOVED, true);
  REQUIRE(removed);
  CHECK(removed->session.attendant().reason() == v1::ATTENDANT_REASON_ITEM_REMOVED);
}

TEST_CASE("help requested then resolved by the attendant", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  auto help = lane.intent();
  help.mutable_request_help();
  auto r = lane.core->act(help);
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
  CHECK(r->session.attendant().reason() == v1::ATTENDANT_REASON_HELP_REQUESTED);
  auto ok = lane.attendant();
  ok.mutable_resolve();
  auto done = lane.core->act(ok);
  REQUIRE(done);
  CHECK(done->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(done->effects.empty());  // no scale alert to resolve
}

TEST_CASE("age-limited lines: scanning goes on paying waits for ApproveAge", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(beer());
  CHECK(lane.core->session().pending_age_checks() == 1);
  CHECK(lane.core->session().notice() == "age_check_pending");
  lane.scan_and_bag(milk());
  auto approve_early = lane.attendant();
  approve_early.mutable_approve_age();
  auto r = lane.pay();
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
  CHECK(r->session.attendant().reason() == v1::ATTENDANT_REASON_AGE_CHECK);
  CHECK(r->session.notice() == "age_check_required");
  CHECK(r->effects.empty());
  auto resolve = lane.attendant();
  resolve.mutable_resolve();
  REQUIRE_REFUSED(lane, lane.core->act(resolve), kRefused);
  auto bad = lane.attendant("9999");
  bad.mutable_approve_age();
  REQUIRE_REFUSED(lane, lane.core->act(bad), ErrorCode::kPermissionDenied);
  auto approved = lane.core->act(approve_early);
  REQUIRE(approved);
  CHECK(approved->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(approved->session.pending_age_checks() == 0);
  REQUIRE_REFUSED(lane, lane.core->act(approve_early), kRefused);  // nothing waits now
  auto paying = lane.pay();
  REQUIRE(paying);
  CHECK(paying->session.state() == v1::SESSION_STATE_PAYING);
}

TEST_CASE("paying: declined keeps the basket - approved completes the sale", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(milk());
  lane.scan_and_bag(card());
  auto r = lane.pay();
  REQUIRE(r);
  const std::string sid = r->session.session_id();
  CHECK(r->session.state() == v1::SESSION_STATE_PAYING);
  CHECK(r->session.payment().idempotency_key() == sid + "/pay/1");
  CHECK(r->session.payment().attempt() == 1);
  CHECK(r->session.payment().outcome() == v1::PAYMENT_OUTCOME_IN_PROGRESS);
  REQUIRE(r->effects.size() == 1);
  CHECK(r->effects[0].kind == K::kPaymentPay);
  CHECK(r->effects[0].amount_ore == 1590 + 3900);
  CHECK(r->effects[0].idempotency_key == sid + "/pay/1");

  REQUIRE_REFUSED(lane, lane.core->on_scan(beer()), kRefused);
  REQUIRE_REFUSED(lane, lane.pay(), kRefused);
  auto remove = lane.intent();
  remove.mutable_remove_line()->set_line_no(1);
  REQUIRE_REFUSED(lane, lane.core->act(remove), kRefused);
  auto cancel_sale = lane.attendant();
  cancel_sale.mutable_cancel_sale();
  REQUIRE_REFUSED(lane, lane.core->act(cancel_sale), kRefused);
  REQUIRE_REFUSED(lane, lane.alert("al-9", v1::ScaleAlert::KIND_UNEXPECTED_ITEM, true), kRefused);
  v1::PaymentResult other;
  other.set_idempotency_key(sid + "/pay/7");
  other.set_outcome(v1::PAYMENT_OUTCOME_APPROVED);
  REQUIRE_REFUSED(lane, lane.core->on_payment(other), kRefused);
  REQUIRE_REFUSED(lane, lane.payment(v1::PAYMENT_OUTCOME_IN_PROGRESS), kRefused);

  auto declined = lane.payment(v1::PAYMENT_OUTCOME_DECLINED, "Refused: NOT ENOUGH BALANCE");
  REQUIRE(declined);
  CHECK(declined->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(declined->session.notice() == "payment_declined");
  CHECK(declined->session.payment().outcome() == v1::PAYMENT_OUTCOME_DECLINED);
  CHECK(declined->session.payment().refusal_reason() == "Refused: NOT ENOUGH BALANCE");
  CHECK(declined->session.lines_size() == 2);
  CHECK(declined->session.totals().total_ore() == 5490);
  CHECK(lane.core->list_sales(0, 0)->empty());

  auto again = lane.pay();
  REQUIRE(again);
  CHECK(again->session.payment().idempotency_key() == sid + "/pay/2");  // a new attempt, a new key
  CHECK(again->session.notice().empty());
  auto approved = lane.payment(v1::PAYMENT_OUTCOME_APPROVED);
  REQUIRE(approved);
  const auto& s = approved->session;
  CHECK(s.state() == v1::SESSION_STATE_RECEIPT);
  CHECK(s.receipt_number() == 1);
  CHECK_THAT(s.receipt_text(), Catch::Contains("Kvitto nr 1") && Catch::Contains("Tack för ditt köp!"));
  CHECK(has_effect(*approved, K::kScaleEndSession));
  auto sale = lane.core->get_sale(1);
  REQUIRE(sale);
  CHECK(sale->session_id() == sid);
  CHECK(sale->lines_size() == 2);
  CHECK(sale->totals().total_ore() == 5490);
  REQUIRE(sale->totals().vat_size() == 2);
  CHECK(sale->payment().idempotency_key() == sid + "/pay/2");
  CHECK(sale->payment().masked_pan() == "**** **** **** 0004");
  CHECK(sale->receipt_text() == s.receipt_text());
  CHECK(sale->prev_hash().empty());
  CHECK(sale->hash().size() == 64);

  REQUIRE_REFUSED(lane, lane.core->on_scan(milk()), kRefused);
  auto help = lane.intent();
  help.mutable_request_help();
  REQUIRE_REFUSED(lane, lane.core->act(help), kRefused);
  auto finish = lane.intent();
  finish.mutable_finish_receipt()->set_choice(v1::ActRequest::FinishReceipt::CHOICE_PRINT);
  auto idle = lane.core->act(finish);
  REQUIRE(idle);
  CHECK(idle->session.state() == v1::SESSION_STATE_IDLE);
  CHECK(idle->session.session_id().empty());
  CHECK(idle->session.lines_size() == 0);
  CHECK(idle->session.revision() > s.revision());
}

TEST_CASE("the receipt times out back to idle", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(milk());
  REQUIRE(lane.pay());
  REQUIRE(lane.payment(v1::PAYMENT_OUTCOME_APPROVED));
  lane.clock.advance(std::chrono::seconds(29));
  REQUIRE_REFUSED(lane, lane.core->tick(), kRefused);
  lane.clock.advance(std::chrono::seconds(1));
  auto r = lane.core->tick();
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_IDLE);
}

TEST_CASE("a failed payment calls the attendant - cancel aborts the terminal", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(milk());
  REQUIRE(lane.pay());
  auto failed = lane.payment(v1::PAYMENT_OUTCOME_FAILED, "terminal unreachable");
  REQUIRE(failed);
  CHECK(failed->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
  CHECK(failed->session.attendant().reason() == v1::ATTENDANT_REASON_PAYMENT_FAULT);
  CHECK(failed->session.notice() == "payment_failed");
  auto ok = lane.attendant();
  ok.mutable_resolve();
  REQUIRE(lane.core->act(ok));
  CHECK(lane.state() == v1::SESSION_STATE_SCANNING);

  auto cancel = lane.intent();
  cancel.mutable_cancel_payment();
  REQUIRE_REFUSED(lane, lane.core->act(cancel), kRefused);
  REQUIRE(lane.pay());
  auto c = lane.core->act(cancel);
  REQUIRE(c);
  CHECK(c->session.state() == v1::SESSION_STATE_PAYING);  // the outcome still comes from Pay
  CHECK(c->session.notice() == "payment_cancelling");
  REQUIRE(c->effects.size() == 1);
  CHECK(c->effects[0].kind == K::kPaymentAbort);
  CHECK(c->effects[0].idempotency_key == c->session.payment().idempotency_key());
  auto aborted = lane.payment(v1::PAYMENT_OUTCOME_ABORTED);
  REQUIRE(aborted);
  CHECK(aborted->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(aborted->session.notice() == "payment_cancelled");
}

TEST_CASE("removing and voiding lines", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(milk());
  lane.scan_and_bag(card());
  auto remove = lane.intent();
  remove.mutable_remove_line()->set_line_no(1);
  auto r = lane.core->act(remove);
  REQUIRE(r);
  CHECK(r->session.lines(0).voided());
  CHECK(r->session.totals().total_ore() == 3900);
  REQUIRE(r->effects.size() == 2);
  CHECK(r->effects[0].kind == K::kScaleExpectRemoval);
  CHECK(r->effects[0].expectation_id == r->session.session_id() + "/1");
  CHECK(r->effects[1].kind == K::kCatalogPriceBasket);
  REQUIRE_REFUSED(lane, lane.core->act(remove), kRefused);  // already removed
  auto missing = lane.intent();
  missing.mutable_remove_line()->set_line_no(9);
  REQUIRE_REFUSED(lane, lane.core->act(missing), ErrorCode::kInvalidArgument);

  // The attendant voids the line a weight alert is about: the alert goes with it.
  REQUIRE(lane.core->on_scan(milk()));
  REQUIRE(lane.verdict(3, v1::BaggingVerdict::KIND_MISMATCH, 10));
  REQUIRE(lane.alert("al-5", v1::ScaleAlert::KIND_WEIGHT_MISMATCH, true, 3));
  auto v = lane.attendant();
  v.mutable_void_line()->set_line_no(3);
  auto voided = lane.core->act(v);
  REQUIRE(voided);
  CHECK(voided->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(voided->session.lines(2).voided());
  REQUIRE(voided->effects.size() == 2);
  CHECK(voided->effects[0].kind == K::kCatalogPriceBasket);
  CHECK(voided->effects[1].kind == K::kScaleResolveAlert);
  CHECK(voided->effects[1].decision == v1::ResolveAlertRequest::DECISION_ITEM_REMOVED);

  auto v2 = lane.attendant();
  v2.mutable_void_line()->set_line_no(2);
  REQUIRE(lane.core->act(v2));
  REQUIRE_REFUSED(lane, lane.pay(), kRefused);  // nothing left to pay
}

TEST_CASE("an attendant cancels the sale", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(milk());
  const std::string sid = lane.core->session().session_id();
  auto c = lane.attendant();
  c.mutable_cancel_sale();
  auto r = lane.core->act(c);
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_IDLE);
  REQUIRE(r->effects.size() == 1);
  CHECK(r->effects[0].kind == K::kScaleEndSession);
  CHECK(r->effects[0].session_id == sid);
  CHECK(lane.core->list_sales(0, 0)->empty());
}

TEST_CASE("a repeated request_id is answered not redone", "[lane]") {
  Lane lane;
  auto start = lane.intent("req-1");
  start.mutable_start();
  auto first = lane.core->act(start);
  REQUIRE(first);
  CHECK(first->effects.size() == 1);
  auto again = lane.core->act(start);
  REQUIRE(again);
  CHECK(again->effects.empty());
  CHECK(again->session.SerializeAsString() == first->session.SerializeAsString());
  CHECK(lane.core->session().revision() == 1);
  lane.reopen();  // remembered across restarts
  auto replay = lane.core->replayed("req-1");
  REQUIRE(replay);
  REQUIRE(*replay);
  CHECK((*replay)->revision() == 1);
}

TEST_CASE("every transition is in the event log without PINs", "[lane]") {
  Lane lane;
  REQUIRE(lane.start());
  REQUIRE(lane.core->on_scan(milk()));
  auto help = lane.intent();
  help.mutable_request_help();
  REQUIRE(lane.core->act(help));
  auto ok = lane.attendant();
  ok.mutable_resolve();
  REQUIRE(lane.core->act(ok));
  auto ev = lane.core->events(0, 0);
  REQUIRE(ev);
  REQUIRE(ev->size() == 4);
  CHECK_THAT((*ev)[0], Catch::StartsWith("SESSION_STATE_SCANNING start"));
  CHECK_THAT((*ev)[1], Catch::Contains("line 1"));
  CHECK_THAT((*ev)[3], Catch::Contains("attendant a1 resolved"));
  for (const auto& e : *ev) CHECK_THAT(e, !Catch::Contains(kPin));
}
