// Deposit (pant) lines and loyalty members on the lane (LaneCore on a real RocksDB journal): pant lines
// follow their item (quantity, removal), carry the item's VAT rate, are never discounted, print as
// "Pant" and survive a crash; a product with an unknown deposit code is not sold; a loyalty card makes
// the session a member session priced with member = true, keeping only the masked number.
#include <fstream>
#include <iterator>

#include "checkout/receipt.h"
#include "common/money.h"
#include "lane_fixture.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;

namespace {

constexpr const char* kCard = "2990001234567";
constexpr const char* kCard2 = "2990009876543";

// Every byte the lane wrote to disk (journal files), to look for a card number in it.
std::string disk_bytes(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

v1::PriceBasketResponse member_price_answer(std::int64_t ore) {
  v1::PriceBasketResponse a;
  auto* d = a.add_discounts();
  d->set_line(0);
  d->set_promotion_id("cola-member");
  d->set_text("Medlemspris 19,95 kr");
  d->set_discount_ore(ore);
  a.set_total_discount_ore(ore);
  a.set_catalog_version(3);
  return a;
}

}  // namespace

TEST_CASE("a product with a deposit code gets a Pant line under it, in its VAT rate, not an item", "[lane][deposit]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(cola());
  const auto s = lane.core->session();
  REQUIRE(s.lines_size() == 2);
  const auto& item = s.lines(0);
  const auto& pant = s.lines(1);
  CHECK(s.last_line_no() == 1);  // the big card shows the bottle, not its pant
  CHECK(pant.line_no() == 2);
  CHECK(pant.deposit_for() == 1);
  CHECK(pant.deposit_code() == "PANT2");
  CHECK(pant.name_sv() == "Pant");
  CHECK(pant.quantity() == 1);
  CHECK(pant.unit_price_ore() == 200);
  CHECK(pant.line_total_ore() == 200);
  CHECK(pant.vat_rate_bp() == item.vat_rate_bp());  // the deposit is part of the beverage's taxable amount
  CHECK(pant.vat_rate_bp() == 600);
  CHECK(pant.vat_ore() == vat_included(200, 600));
  CHECK(pant.bagged());
  CHECK(s.totals().total_ore() == 2495 + 200);
  CHECK(s.totals().deposit_ore() == 200);
  CHECK(s.totals().item_count() == 1);
  REQUIRE(s.totals().vat_size() == 1);
  CHECK(s.totals().vat(0).gross_ore() == 2695);
  CHECK(s.totals().vat(0).vat_ore() == vat_included(2495, 600) + vat_included(200, 600));

  // A can of beer: 1 kr, and a second pant line for the second can.
  lane.scan_and_bag(beer_can());
  lane.scan_and_bag(beer_can());
  const auto t = lane.core->session();
  REQUIRE(t.lines_size() == 6);
  CHECK(t.lines(3).deposit_for() == 3);
  CHECK(t.lines(5).deposit_for() == 5);
  CHECK(t.lines(5).line_total_ore() == 100);
  CHECK(t.totals().deposit_ore() == 400);
  CHECK(t.totals().item_count() == 3);

  // The catalog is asked about the items only: deposits are never discounted.
  auto q = lane.core->pricing_request();
  REQUIRE(q);
  CHECK(q->line_nos == std::vector<std::uint32_t>{1, 3, 5});
}

TEST_CASE("removing an item removes its pant, a pant line is not removed alone", "[lane][deposit]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(cola());
  lane.scan_and_bag(milk());
  auto direct = lane.intent();
  direct.mutable_remove_line()->set_line_no(2);
  REQUIRE_REFUSED(lane, lane.core->act(direct), ErrorCode::kFailedPrecondition);

  auto remove = lane.intent();
  remove.mutable_remove_line()->set_line_no(1);
  auto r = lane.core->act(remove);
  REQUIRE(r);
  CHECK(r->session.lines(0).voided());
  CHECK(r->session.lines(1).voided());  // its pant went with it
  CHECK(r->session.totals().total_ore() == 1590);
  CHECK(r->session.totals().deposit_ore() == 0);

  // The attendant's void does the same.
  lane.scan_and_bag(beer_can());
  auto v = lane.attendant();
  v.mutable_void_line()->set_line_no(4);
  r = lane.core->act(v);
  REQUIRE(r);
  CHECK(r->session.lines(4).deposit_for() == 4);
  CHECK(r->session.lines(4).voided());
  CHECK(r->session.totals().total_ore() == 1590);
}

TEST_CASE("pant follows its item's quantity and takes no promotion discount", "[lane][deposit]") {
  google::protobuf::RepeatedPtrField<v1::BasketLine> lines;
  v1::BasketLine item;
  item.set_line_no(1);
  item.set_quantity(1);
  item.set_unit(v1::SALE_UNIT_EACH);
  item.set_unit_price_ore(1295);
  item.set_line_total_ore(1295);
  item.set_vat_rate_bp(600);
  *lines.Add() = item;
  *lines.Add() = deposit_line(item, "PANT1", 100, 2);
  lines.Mutable(0)->set_quantity(3);  // the item's quantity changes: 3 cans
  lines.Mutable(0)->set_line_total_ore(3 * 1295);
  follow_items(lines);
  CHECK(lines.Get(1).quantity() == 3);
  CHECK(lines.Get(1).line_total_ore() == 300);
  CHECK(lines.Get(1).vat_ore() == vat_included(300, 600));

  // A discount naming the pant line is dropped; one on the item stays.
  google::protobuf::RepeatedPtrField<v1::PromotionDiscount> discounts;
  auto* on_pant = discounts.Add();
  on_pant->set_line_no(2);
  on_pant->set_discount_ore(50);
  auto* on_item = discounts.Add();
  on_item->set_line_no(1);
  on_item->set_discount_ore(95);
  apply_discounts(lines, discounts);
  REQUIRE(discounts.size() == 1);
  CHECK(discounts.Get(0).line_no() == 1);
  CHECK(lines.Get(1).discount_ore() == 0);
  const auto totals = basket_totals(lines);
  CHECK(totals.total_ore() == 3 * 1295 - 95 + 300);
  CHECK(totals.deposit_ore() == 300);
  CHECK(totals.item_count() == 3);

  lines.Mutable(0)->set_voided(true);
  follow_items(lines);
  CHECK(lines.Get(1).voided());
}

TEST_CASE("pant is journaled: a crash keeps the lines, the sale and receipt print Pant, the VAT counts it",
          "[lane][deposit][journal]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(cola());
  lane.scan_and_bag(milk());
  const auto before = lane.core->session();
  lane.reopen();  // checkoutd crashes and comes back
  const auto after = lane.core->session();
  CHECK(after.SerializeAsString() == before.SerializeAsString());
  REQUIRE(after.lines_size() == 3);
  CHECK(after.lines(1).deposit_for() == 1);

  REQUIRE(lane.pay());
  auto paid = lane.payment(v1::PAYMENT_OUTCOME_APPROVED);
  REQUIRE(paid);
  REQUIRE(paid->session.state() == v1::SESSION_STATE_RECEIPT);
  auto sale = lane.core->get_sale(paid->session.receipt_number());
  REQUIRE(sale);
  REQUIRE(sale->lines_size() == 3);
  CHECK(sale->lines(1).deposit_for() == 1);
  CHECK(sale->totals().total_ore() == 2495 + 200 + 1590);
  CHECK(sale->totals().deposit_ore() == 200);
  CHECK(sale->payment().amount_ore() == 4285);
  const std::string& text = sale->receipt_text();
  INFO(text);
  CHECK_THAT(text, Catch::Contains("Coca-Cola 1,5 l") && Catch::Contains("  Pant") && Catch::Contains("Varav pant") &&
                       Catch::Contains("42,85 SEK"));
  // Pant right under its bottle.
  CHECK(text.find("  Pant") > text.find("Coca-Cola 1,5 l"));
  CHECK(text.find("  Pant") < text.find("Mellanmjölk"));
  // The food rate's gross holds the pant: 24,95 + 2,00 + 15,90.
  REQUIRE(sale->totals().vat_size() == 1);
  CHECK(sale->totals().vat(0).gross_ore() == 4285);
  CHECK_THAT(text, Catch::Contains("42,85"));
  CHECK(lane.core->verify_journal().ok);

  // The catalog's stock takes the bottle and the milk, not the pant.
  auto stock = lane.core->pending_stock(0);
  REQUIRE(stock);
  REQUIRE(stock->size() == 1);
  REQUIRE(stock->front().request.lines_size() == 2);
  CHECK(stock->front().request.lines(0).gtin14() == cola().product.gtin14());
  CHECK(stock->front().request.lines(1).gtin14() == milk().product.gtin14());

  lane.reopen();
  auto again = lane.core->get_sale(paid->session.receipt_number());
  REQUIRE(again);
  CHECK(again->SerializeAsString() == sale->SerializeAsString());
}

TEST_CASE("a product whose deposit code the lane does not know is not sold: the attendant is called",
          "[lane][deposit]") {
  Lane lane;
  ScannedItem odd = cola();
  odd.product.set_deposit_code("PANT9");
  SECTION("while scanning") {
    REQUIRE(lane.start());
    lane.scan_and_bag(milk());
    auto r = lane.core->on_scan(odd);
    REQUIRE(r);
    CHECK(r->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
    CHECK(r->session.attendant().reason() == v1::ATTENDANT_REASON_UNKNOWN_ITEM);
    CHECK_THAT(r->session.attendant().detail(), Catch::Contains("PANT9") && Catch::Contains("[checkout.deposits]"));
    CHECK(r->session.lines_size() == 1);  // not in the basket
    CHECK(r->session.totals().total_ore() == 1590);
    // The attendant takes the bottle away and lets the shopper go on.
    auto resolve = lane.attendant();
    resolve.mutable_resolve();
    auto back = lane.core->act(resolve);
    REQUIRE(back);
    CHECK(back->session.state() == v1::SESSION_STATE_SCANNING);
    CHECK(back->session.lines_size() == 1);
  }
  SECTION("as the first scan") {
    auto r = lane.core->on_scan(odd);
    REQUIRE(r);
    CHECK(r->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
    CHECK(r->session.resume_state() == v1::SESSION_STATE_SCANNING);
    CHECK(r->session.lines_size() == 0);
  }
  SECTION("a lane configured without that code refuses a known product's code too") {
    auto table = DepositTable::make({{"PANT1", 100}});
    REQUIRE(table);
    lane.deposits = *table;
    lane.reopen();
    REQUIRE(lane.start());
    auto r = lane.core->on_scan(cola());  // PANT2
    REQUIRE(r);
    CHECK(r->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
    CHECK(r->session.lines_size() == 0);
  }
}

TEST_CASE("deposit amounts come from [checkout.deposits], bad entries are errors naming the key", "[lane][deposit]") {
  auto c = Config::parse("[checkout.deposits]\nPANT1 = 100\nPANT2 = 200\nBIG = 300\n", "/tmp");
  REQUIRE(c);
  auto t = DepositTable::from_config(*c);
  REQUIRE(t);
  CHECK(t->amount("BIG") == 300);
  CHECK_FALSE(t->amount("PANT3"));

  auto none = Config::parse("[checkout]\nreceipt_timeout_ms = 1000\n", "/tmp");
  REQUIRE(none);
  auto d = DepositTable::from_config(*none);
  REQUIRE(d);
  CHECK(d->amount("PANT1") == 100);  // Returpack's rates without the table
  CHECK(d->amount("PANT2") == 200);

  for (const char* bad : {"[checkout.deposits]\nPANT1 = \"1 kr\"\n", "[checkout.deposits]\nPANT1 = 0\n",
                          "[checkout.deposits]\nPANT1 = 1.5\n", "[checkout]\ndeposits = 3\n",
                          "[checkout.deposits]\n\"PANT 1\" = 100\n"}) {
    auto bc = Config::parse(bad, "/tmp");
    REQUIRE(bc);
    auto bt = DepositTable::from_config(*bc);
    INFO(bad);
    REQUIRE_FALSE(bt);
    CHECK_THAT(bt.message(), Catch::Contains("deposits"));
  }
}

TEST_CASE("a loyalty card makes a member session priced with member prices, only the masked number is kept",
          "[lane][member]") {
  Lane lane;
  CHECK(lane.core->is_member_card(kCard));
  CHECK(lane.core->is_member_card(std::string("0") + kCard));  // the camera's GTIN-14 form
  CHECK_FALSE(lane.core->is_member_card("2991001234567"));
  CHECK_FALSE(lane.core->is_member_card("299000123456"));
  CHECK_FALSE(lane.core->is_member_card(milk().product.gtin14()));

  lane.scan_and_bag(cola());
  auto q = lane.core->pricing_request();
  REQUIRE(q);
  CHECK_FALSE(q->request.member());
  REQUIRE(lane.core->on_pricing(*q, v1::PriceBasketResponse()));  // no member: no discount

  auto r = lane.core->on_member_card(std::string("0") + kCard, 42);
  REQUIRE(r);
  const v1::Session s = r->session;
  CHECK(s.has_member());
  CHECK(s.member().masked_number() == "****4567");
  CHECK(s.member().card_hash().size() == 64);
  CHECK(s.notice() == "member_card_registered");
  CHECK(lane.core->vision_seq() == 42);
  // Priced again, as a member.
  q = lane.core->pricing_request();
  REQUIRE(q);
  CHECK(q->request.member());
  CHECK(q->line_nos == std::vector<std::uint32_t>{1});
  auto priced = lane.core->on_pricing(*q, member_price_answer(500));
  REQUIRE(priced);
  CHECK(priced->session.totals().discount_ore() == 500);            // the member's savings
  CHECK(priced->session.totals().total_ore() == 2495 - 500 + 200);  // pant is not discounted

  // A second card replaces the first.
  r = lane.core->on_member_card(kCard2);
  REQUIRE(r);
  CHECK(r->session.member().masked_number() == "****6543");
  const std::string hash2 = r->session.member().card_hash();
  CHECK(hash2 != s.member().card_hash());
  q = lane.core->pricing_request();
  REQUIRE(q);
  CHECK(q->request.member());
  REQUIRE(lane.core->on_pricing(*q, member_price_answer(500)));

  // The same card always gives the same hash (the member's identity without the number).
  CHECK(test_member_cards().member(kCard2, 0).card_hash() == hash2);

  REQUIRE(lane.pay());
  REQUIRE_REFUSED(lane, lane.core->on_member_card(kCard), ErrorCode::kFailedPrecondition);
  auto paid = lane.payment(v1::PAYMENT_OUTCOME_APPROVED);
  REQUIRE(paid);
  auto sale = lane.core->get_sale(paid->session.receipt_number());
  REQUIRE(sale);
  CHECK(sale->member().masked_number() == "****6543");
  CHECK(sale->member().card_hash() == hash2);
  CHECK(sale->totals().total_ore() == 2195);
  CHECK_THAT(sale->receipt_text(), Catch::Contains("Medlem ****6543") && Catch::Contains("Medlemspris 19,95 kr"));

  // Never the card number: not in the session, the sale, the events, or anywhere on disk.
  const std::string all = disk_bytes(lane.tmp.path());
  const auto events = lane.core->events(0, 1000);
  REQUIRE(events);
  REQUIRE_FALSE(events->empty());
  for (const char* number : {kCard, kCard2}) {
    INFO(number);
    CHECK(all.find(number) == std::string::npos);
    CHECK(sale->SerializeAsString().find(number) == std::string::npos);
    for (const auto& e : *events) CHECK(e.find(number) == std::string::npos);
  }
}

TEST_CASE("a loyalty card starts a session from the welcome screen, typed or scanned, and survives a crash",
          "[lane][member]") {
  Lane lane;
  auto typed = lane.intent("card-1");
  typed.mutable_enter_code()->set_code(kCard);
  auto r = lane.core->act(typed);  // no catalog look-up needed for a card
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(r->session.member().masked_number() == "****4567");
  REQUIRE(r->effects.size() >= 1);
  CHECK(r->effects.front().kind == Effect::Kind::kScaleBeginSession);
  lane.reopen();
  CHECK(lane.core->session().member().masked_number() == "****4567");
  auto q = lane.core->pricing_request();
  REQUIRE(q);
  CHECK(q->request.member());

  // A code that is no card is not taken for one.
  CHECK_FALSE(lane.core->on_member_card("7310865004703"));
}

TEST_CASE("member cards come from [checkout] member_card_prefixes/digits/key, bad entries are errors",
          "[lane][member]") {
  TempDir tmp{"member-config"};
  std::ofstream(tmp.path() / "member.key") << std::string(64, 'a') << "\n";
  auto c = Config::parse(
      "[checkout]\nmember_card_prefixes = [\"2990\", \"2991\"]\nmember_card_digits = 13\nmember_key_file = "
      "\"member.key\"\n",
      tmp.path());
  REQUIRE(c);
  auto m = MemberCards::from_config(*c);
  REQUIRE(m);
  CHECK(m->enabled());
  CHECK(m->card_number("2991001234567") == std::optional<std::string>("2991001234567"));
  CHECK(m->member("2991001234567", 0).card_hash().size() == 64);

  auto off = Config::parse("[checkout]\n", tmp.path());
  REQUIRE(off);
  auto none = MemberCards::from_config(*off);
  REQUIRE(none);
  CHECK_FALSE(none->enabled());
  CHECK_FALSE(none->card_number("2990001234567"));

  for (const char* bad :
       {"[checkout]\nmember_card_prefixes = \"2990\"\n", "[checkout]\nmember_card_prefixes = [\"29x\"]\n",
        "[checkout]\nmember_card_prefixes = [\"2990\"]\nmember_card_digits = 4\n",
        "[checkout]\nmember_card_prefixes = [\"2990\"]\nmember_key_file = \"missing.key\"\n"}) {
    auto bc = Config::parse(bad, tmp.path());
    REQUIRE(bc);
    INFO(bad);
    auto bm = MemberCards::from_config(*bc);
    REQUIRE_FALSE(bm);
    CHECK_THAT(bm.message(), Catch::Contains("member"));
  }
}
