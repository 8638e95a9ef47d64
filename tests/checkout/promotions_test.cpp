// Promotions on the lane (LaneCore with the catalog's PriceBasket answers given by the test): discounts as
// their own lines, VAT per line after discounts, stale answers refused, removals and additions while the
// catalog is away, and the journaled sale and receipt agreeing after a crash.
#include "common/money.h"
#include "lane_fixture.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;
using K = Effect::Kind;

namespace {

v1::LineDiscount discount(std::uint32_t line, const std::string& id, const std::string& text, std::int64_t ore) {
  v1::LineDiscount d;
  d.set_line(line);
  d.set_promotion_id(id);
  d.set_text(text);
  d.set_discount_ore(ore);
  return d;
}

// "3 för 40 kr" on three milks (3 × 15,90 = 47,70: 7,70 off, shared 257/257/256) and 10 kr off the card.
v1::PriceBasketResponse milk_and_card_answer() {
  v1::PriceBasketResponse a;
  *a.add_discounts() = discount(0, "milk3", "3 för 40 kr", 257);
  *a.add_discounts() = discount(1, "milk3", "3 för 40 kr", 257);
  *a.add_discounts() = discount(2, "milk3", "3 för 40 kr", 256);
  *a.add_discounts() = discount(3, "card10", "Kort 10 kr rabatt", 1000);
  a.set_total_discount_ore(1770);
  a.set_catalog_version(7);
  return a;
}

void fill_basket(Lane& lane) {
  REQUIRE(lane.start());
  for (int i = 0; i < 3; ++i) lane.scan_and_bag(milk());
  lane.scan_and_bag(card());
}

}  // namespace

TEST_CASE("promotion discounts are their own lines and VAT follows the discounted lines' rates", "[lane][promotions]") {
  Lane lane;
  fill_basket(lane);
  auto q = lane.core->pricing_request();
  REQUIRE(q);
  CHECK(q->basket_change == 4);
  REQUIRE(q->request.lines_size() == 4);
  CHECK(q->line_nos == std::vector<std::uint32_t>{1, 2, 3, 4});
  CHECK(q->request.lines(0).gtin14() == milk().product.gtin14());
  CHECK(q->request.lines(0).quantity() == 1);
  CHECK(q->request.lines(0).unit_price_ore() == 1590);
  CHECK(q->request.at_unix_ms() == kNov2026);
  CHECK(lane.core->session().totals().total_ore() == 3 * 1590 + 3900);  // shelf prices until priced

  auto r = lane.core->on_pricing(*q, milk_and_card_answer());
  REQUIRE(r);
  const auto& s = r->session;
  CHECK(s.priced_change() == s.basket_change());
  CHECK(s.pricing_catalog_version() == 7);
  REQUIRE(s.discounts_size() == 4);
  CHECK(s.discounts(0).line_no() == 1);
  CHECK(s.discounts(0).text() == "3 för 40 kr");
  CHECK(s.discounts(0).vat_rate_bp() == 600);   // food, 6 % in November 2026
  CHECK(s.discounts(3).vat_rate_bp() == 2500);  // the card's standard rate
  CHECK(s.lines(0).discount_ore() == 257);
  CHECK(s.lines(0).line_total_ore() == 1590);  // the shelf price stays on the line
  // VAT in what is paid for the line: 15,90 − 2,57 = 13,33 at 6 % → 0,75.
  CHECK(s.lines(0).vat_ore() == vat_included(1333, 600));
  CHECK(s.lines(3).vat_ore() == vat_included(2900, 2500));
  CHECK(s.totals().total_ore() == 4000 + 2900);
  CHECK(s.totals().discount_ore() == 1770);
  REQUIRE(s.totals().vat_size() == 2);
  CHECK(s.totals().vat(0).rate_bp() == 600);
  CHECK(s.totals().vat(0).gross_ore() == 4000);  // the discount belongs to the food rate
  CHECK(s.totals().vat(0).vat_ore() == 2 * vat_included(1333, 600) + vat_included(1334, 600));
  CHECK(s.totals().vat(1).gross_ore() == 2900);
  CHECK(s.totals().vat(1).vat_ore() == vat_included(2900, 2500));
  CHECK_FALSE(lane.core->pricing_request());  // up to date
  // The same answer again changes nothing.
  REQUIRE_REFUSED(lane, lane.core->on_pricing(*q, milk_and_card_answer()), ErrorCode::kFailedPrecondition);

  // The terminal is asked for the discounted total, and the sale records the discounts.
  auto paying = lane.pay();
  REQUIRE(paying);
  REQUIRE(paying->effects.size() == 1);
  CHECK(paying->effects[0].amount_ore == 6900);
  REQUIRE(lane.payment(v1::PAYMENT_OUTCOME_APPROVED));
  auto sale = lane.core->get_sale(1);
  REQUIRE(sale);
  CHECK(sale->totals().total_ore() == 6900);
  CHECK(sale->totals().discount_ore() == 1770);
  CHECK(sale->discounts_size() == 4);
  CHECK(sale->pricing_catalog_version() == 7);
  CHECK_THAT(sale->receipt_text(), Catch::Contains("3 för 40 kr") && Catch::Contains("-2,57") &&
                                       Catch::Contains("Kort 10 kr rabatt") && Catch::Contains("-10,00") &&
                                       Catch::Contains("69,00 SEK") && Catch::Contains("Varav rabatter") &&
                                       Catch::Contains("-17,70 SEK"));

  // A crash: the journal gives back the same sale, receipt and session; the chain still verifies.
  const auto session_before = lane.core->session();
  lane.reopen();
  CHECK(lane.core->session().SerializeAsString() == session_before.SerializeAsString());
  auto again = lane.core->get_sale(1);
  REQUIRE(again);
  CHECK(again->SerializeAsString() == sale->SerializeAsString());
  CHECK(lane.core->verify_journal().ok);
}

TEST_CASE("a basket change makes the catalog's answer stale, removals drop discounts until repriced",
          "[lane][promotions]") {
  Lane lane;
  fill_basket(lane);
  auto q = lane.core->pricing_request();
  REQUIRE(q);
  REQUIRE(lane.core->on_pricing(*q, milk_and_card_answer()));

  // An addition while the catalog is away: the priced discounts still hold, the new line pays the shelf price.
  lane.scan_and_bag(milk());
  auto s = lane.core->session();
  CHECK(s.basket_change() == 5);
  CHECK(s.priced_change() == 4);
  CHECK(s.discounts_size() == 4);
  CHECK(s.totals().total_ore() == 6900 + 1590);
  auto q5 = lane.core->pricing_request();
  REQUIRE(q5);
  CHECK(q5->basket_change == 5);
  // The answer to the older basket is refused: it priced lines that are not all there now.
  REQUIRE_REFUSED(lane, lane.core->on_pricing(*q, milk_and_card_answer()), ErrorCode::kFailedPrecondition);

  // A removal: a promotion may have lost a piece, so the shopper pays shelf prices until the catalog answers.
  auto remove = lane.intent();
  remove.mutable_remove_line()->set_line_no(2);
  auto r = lane.core->act(remove);
  REQUIRE(r);
  CHECK(r->session.discounts_size() == 0);
  CHECK(r->session.totals().total_ore() == 3 * 1590 + 3900);
  CHECK(r->session.totals().discount_ore() == 0);
  bool asks = false;
  for (const auto& e : r->effects) asks = asks || e.kind == K::kCatalogPriceBasket;
  CHECK(asks);

  // The catalog's answer for the basket as it is now: lines 1, 3, 4 (card), 5.
  auto q6 = lane.core->pricing_request();
  REQUIRE(q6);
  CHECK(q6->line_nos == std::vector<std::uint32_t>{1, 3, 4, 5});
  v1::PriceBasketResponse a;
  *a.add_discounts() = discount(0, "milk3", "3 för 40 kr", 257);
  *a.add_discounts() = discount(1, "milk3", "3 för 40 kr", 257);
  *a.add_discounts() = discount(3, "milk3", "3 för 40 kr", 256);
  a.set_catalog_version(7);
  auto priced = lane.core->on_pricing(*q6, a);
  REQUIRE(priced);
  CHECK(priced->session.discounts(2).line_no() == 5);
  CHECK(priced->session.totals().total_ore() == 4000 + 3900);
}

TEST_CASE("pricing leaves out label-priced and removed lines, sends weights, and never goes below zero",
          "[lane][promotions]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(bananas(1'234'000));  // weight label: priced per kg
  ScannedItem labelled = card();
  labelled.embedded_price_ore = 1950;  // a price label: that is the price
  lane.scan_and_bag(labelled);
  lane.scan_and_bag(card());
  auto q = lane.core->pricing_request();
  REQUIRE(q);
  CHECK(q->line_nos == std::vector<std::uint32_t>{1, 3});
  CHECK(q->request.lines(0).weight_mg() == 1'234'000);
  CHECK(q->request.lines(0).unit_price_ore() == 2490);
  CHECK(lane.core->session().lines(1).label_price());

  v1::PriceBasketResponse a;
  *a.add_discounts() = discount(1, "x", "Rabatt", 5000);  // more than the card's 39,00
  *a.add_discounts() = discount(1, "y", "Rabatt", 100);
  auto r = lane.core->on_pricing(*q, a);
  REQUIRE(r);
  CHECK(r->session.lines(2).discount_ore() == 3900);
  CHECK(r->session.lines(2).vat_ore() == 0);
  CHECK(r->session.discounts_size() == 1);
  CHECK(r->session.totals().total_ore() == r->session.lines(0).line_total_ore() + 1950);

  // A discount naming a line the request did not have is refused whole.
  auto q2 = lane.core->pricing_request();
  CHECK_FALSE(q2);
  lane.scan_and_bag(milk());
  auto q3 = lane.core->pricing_request();
  REQUIRE(q3);
  v1::PriceBasketResponse bad;
  *bad.add_discounts() = discount(9, "z", "Rabatt", 100);
  REQUIRE_REFUSED(lane, lane.core->on_pricing(*q3, bad), ErrorCode::kInvalidArgument);
}

TEST_CASE("no pricing while paying: the amount sent to the terminal stands", "[lane][promotions]") {
  Lane lane;
  fill_basket(lane);
  auto q = lane.core->pricing_request();
  REQUIRE(q);
  REQUIRE(lane.pay());
  CHECK_FALSE(lane.core->pricing_request());
  REQUIRE_REFUSED(lane, lane.core->on_pricing(*q, milk_and_card_answer()), ErrorCode::kFailedPrecondition);
}
