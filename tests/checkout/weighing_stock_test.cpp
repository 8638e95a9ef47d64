// Weighed goods (a per-kg item without a label waits for Scale.WeighProduce) and the stock queue (a
// journaled sale waits for Catalog.RecordSale, across crashes) on the LaneCore alone.
#include "common/money.h"
#include "lane_fixture.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;
using K = Effect::Kind;
constexpr auto kRefused = ErrorCode::kFailedPrecondition;

namespace {
const Effect* find_effect(const Outcome& o, K kind) {
  for (const auto& e : o.effects) {
    if (e.kind == kind) return &e;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("a per-kg item without a label waits on the scale, then is priced by its weighed weight",
          "[lane][weighing]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(milk());
  auto r = lane.core->on_scan(loose_bananas());  // PLU 4011 typed or picked: no weight of its own
  REQUIRE(r);
  const auto& s = r->session;
  CHECK(s.lines_size() == 1);  // nothing added yet
  CHECK(s.notice() == "place_on_scale");
  CHECK(s.weighing().gtin14() == "07300000040116");
  CHECK(s.weighing().price_per_kg_ore() == 2995);
  CHECK(s.weighing().name_sv() == "Bananer");
  CHECK(s.state() == v1::SESSION_STATE_SCANNING);
  const Effect* weigh = find_effect(*r, K::kScaleWeighProduce);
  REQUIRE(weigh);
  CHECK(weigh->gtin14 == "07300000040116");
  CHECK(s.basket_change() == 1);  // waiting to weigh is no basket change

  // Only the product the lane waits for.
  REQUIRE_REFUSED(lane, lane.core->on_weighed(milk().product.gtin14(), 500'000), kRefused);

  // A crash while waiting: the wait resumes.
  lane.reopen();
  CHECK(lane.core->session().weighing().gtin14() == "07300000040116");

  // 0,482 kg × 29,95 kr/kg = 14,4359 → 14,44 kr.
  auto w = lane.core->on_weighed("07300000040116", 482'000);
  REQUIRE(w);
  const auto& ws = w->session;
  REQUIRE(ws.lines_size() == 2);
  const auto& line = ws.lines(1);
  CHECK(line.unit() == v1::SALE_UNIT_PER_KG);
  CHECK(line.quantity() == 482'000);
  CHECK(line.weighed());
  CHECK(line.unit_price_ore() == 2995);
  CHECK(line.line_total_ore() == price_for_weight(2995, 482'000));
  CHECK(line.line_total_ore() == 1444);
  CHECK(line.vat_rate_bp() == 600);
  CHECK_FALSE(ws.has_weighing());
  CHECK(ws.notice().empty());
  CHECK(ws.state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  const Effect* expect = find_effect(*w, K::kScaleExpectItem);
  REQUIRE(expect);
  CHECK(expect->expected_mg == 482'000);  // it already lies on the scale: the bagging check agrees at once
  CHECK(expect->spread_mg == 0);
  CHECK(find_effect(*w, K::kCatalogPriceBasket));
  // Weighed once: a second answer for the same wait is refused.
  REQUIRE_REFUSED(lane, lane.core->on_weighed("07300000040116", 482'000), kRefused);
}

TEST_CASE("weighing waits for the bag, can be cancelled, and gives way to paying or another item", "[lane][weighing]") {
  Lane lane;
  REQUIRE(lane.start());
  REQUIRE(lane.core->on_scan(milk()));  // waiting for bagging
  REQUIRE(lane.core->on_scan(loose_bananas()));
  CHECK(lane.state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  // The milk is not in the bag yet: the scale would weigh it with the bananas.
  REQUIRE_REFUSED(lane, lane.core->on_weighed("07300000040116", 1'500'000), kRefused);
  REQUIRE(lane.verdict(1, v1::BaggingVerdict::KIND_ACCEPTED));

  auto cancel = lane.intent();
  cancel.mutable_cancel_weighing();
  auto c = lane.core->act(cancel);
  REQUIRE(c);
  CHECK_FALSE(c->session.has_weighing());
  CHECK(c->session.notice().empty());
  REQUIRE_REFUSED(lane, lane.core->act(cancel), kRefused);  // nothing waits now

  // Another item chosen instead.
  REQUIRE(lane.core->on_scan(loose_bananas()));
  lane.scan_and_bag(card());
  CHECK_FALSE(lane.core->session().has_weighing());

  // Pay while waiting: the wait ends, the basket is paid as it is.
  REQUIRE(lane.core->on_scan(loose_bananas()));
  auto p = lane.pay();
  REQUIRE(p);
  CHECK_FALSE(p->session.has_weighing());
  CHECK(p->session.totals().total_ore() == 1590 + 3900);

  // A label's embedded weight is the weight: no scale involved.
  Lane labelled;
  REQUIRE(labelled.start());
  auto l = labelled.core->on_scan(bananas(1'234'000));
  REQUIRE(l);
  CHECK_FALSE(l->session.has_weighing());
  CHECK(l->session.lines(0).quantity() == 1'234'000);
  CHECK_FALSE(l->session.lines(0).weighed());
  CHECK_FALSE(find_effect(*l, K::kScaleWeighProduce));
}

TEST_CASE("produce left on the scale before it was weighed: its line explains the unexpected weight",
          "[lane][weighing]") {
  Lane lane;
  REQUIRE(lane.start());
  REQUIRE(lane.core->on_scan(loose_bananas()));
  REQUIRE(lane.alert("al-3", v1::ScaleAlert::KIND_UNEXPECTED_ITEM, true));
  CHECK(lane.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
  auto w = lane.core->on_weighed("07300000040116", 650'000);
  REQUIRE(w);
  CHECK(w->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
  CHECK(w->session.resume_state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  CHECK(w->session.lines_size() == 1);
  // The scale closes its alert (the new expectation explains the weight) and accepts the line.
  REQUIRE(lane.alert("al-3", v1::ScaleAlert::KIND_UNEXPECTED_ITEM, false));
  CHECK(lane.state() == v1::SESSION_STATE_WAITING_FOR_BAGGING);
  REQUIRE(lane.verdict(1, v1::BaggingVerdict::KIND_ACCEPTED));
  CHECK(lane.state() == v1::SESSION_STATE_SCANNING);
}

TEST_CASE("a completed sale waits in the journal for the catalog's stock until it is acknowledged", "[lane][stock]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(milk());
  lane.scan_and_bag(card());
  lane.scan_and_bag(bananas(1'234'000));
  auto remove = lane.intent();
  remove.mutable_remove_line()->set_line_no(2);
  REQUIRE(lane.core->act(remove));
  REQUIRE(lane.core->pending_stock(0)->empty());
  REQUIRE(lane.pay());
  auto paid = lane.payment(v1::PAYMENT_OUTCOME_APPROVED);
  REQUIRE(paid);
  CHECK(find_effect(*paid, K::kCatalogRecordSale));

  auto pending = lane.core->pending_stock(0);
  REQUIRE(pending);
  REQUIRE(pending->size() == 1);
  const StockRecord rec = pending->front();
  CHECK(rec.receipt_number == 1);
  CHECK(rec.request.receipt_number() == "L1-1");
  REQUIRE(rec.request.lines_size() == 2);  // the removed card is not sold
  CHECK(rec.request.lines(0).line() == 1);
  CHECK(rec.request.lines(0).gtin14() == milk().product.gtin14());
  CHECK(rec.request.lines(0).quantity() == 1);
  CHECK(rec.request.lines(1).line() == 3);
  CHECK(rec.request.lines(1).weight_mg() == 1'234'000);
  CHECK(rec.request.lines(1).quantity() == 0);

  // A crash before the catalog answered: still queued.
  lane.reopen();
  pending = lane.core->pending_stock(0);
  REQUIRE(pending);
  REQUIRE(pending->size() == 1);
  CHECK(pending->front().request.SerializeAsString() == rec.request.SerializeAsString());

  // A second sale queues behind the first; acknowledging the first leaves the second.
  auto finish = lane.intent();
  finish.mutable_finish_receipt();
  REQUIRE(lane.core->act(finish));
  lane.scan_and_bag(card());
  REQUIRE(lane.pay());
  REQUIRE(lane.payment(v1::PAYMENT_OUTCOME_APPROVED));
  REQUIRE(lane.core->pending_stock(0)->size() == 2);
  REQUIRE(lane.core->pending_stock(1)->size() == 1);
  REQUIRE(lane.core->stock_recorded(1));
  lane.reopen();
  pending = lane.core->pending_stock(0);
  REQUIRE(pending->size() == 1);
  CHECK(pending->front().request.receipt_number() == "L1-2");
  REQUIRE(lane.core->stock_recorded(2));
  CHECK(lane.core->pending_stock(0)->empty());
  CHECK(lane.core->verify_journal().ok);
}
