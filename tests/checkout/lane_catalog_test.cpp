// The lane against the real catalogd (its own process, started, stopped and restarted by the test):
// promotions priced by Catalog.PriceBasket after every basket change, and sales taken off the stock by
// Catalog.RecordSale exactly once, also when the catalog is down during the sale and checkoutd restarts
// before it comes back. Vision, scale and payment are the scripted peers.
#include <fstream>

#include "child_process.h"
#include "real_catalogd.h"
#include "scripted_peers.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kProducts =
    "gtin,name_sv,name_en,brand,department,price_ore,unit,vat_class,deposit_code,age_limit,expected_weight_mg,"
    "weight_spread_mg,no_weigh,plu,image\n"
    "7310865004703,\"Mellanmjölk 1,5 l\",Milk,Arla,Mejeri,1590,each,food,,,1550000,31000,0,,\n"
    "7350053850019,Gratulationskort,Greeting card,,Kort,3900,each,standard,,,,,1,,\n"
    "7300000040116,Bananer,Bananas,,Frukt & grönt,2995,kg,food,,,,,0,4011,\n"
    "7318690499534,\"Coca-Cola 1,5 l\",Coca-Cola 1.5 l,Coca-Cola,Dryck,2495,each,food,PANT2,,1600000,20000,0,,\n";

constexpr const char* kPromotions =
    "id,kind,name_sv,gtins,quantity,pay_quantity,price_ore,from,until,members_only\n"
    "milk3,n_for_price,,7310865004703,3,,4000,2026-01-01,2028-01-01,0\n"
    "cola-member,member_price,,7318690499534,,,1995,2026-01-01,2028-01-01,1\n";

// The real catalogd with store IT's data for these tests: products, promotions and stock counts.
struct Catalogd : RealCatalogd {
  using RealCatalogd::RealCatalogd;
  void load() {
    import_products(kProducts);
    push_promotions(kPromotions);
    set_stock("7310865004703", 100);
    set_stock("7350053850019", 10);
    set_stock("7318690499534", 24);
  }
};

// A lane (journal in `<dir>/data`) with its peer links; reopen() drops both as a crash would.
struct LiveLane {
  explicit LiveLane(const fs::path& dir) : dir_(dir) { reopen(); }
  LiveLane(const fs::path& dir, LaneCore::Options options) : dir_(dir), options_(std::move(options)) { reopen(); }
  ~LiveLane() { links.reset(); }  // before the core it feeds
  void reopen() {
    links.reset();
    core.reset();
    auto c = LaneCore::open(dir_ / "data", options_, clock, nullptr);
    REQUIRE(c);
    core = std::move(*c);
    links = std::make_unique<PeerLinks>(*core, sockets(dir_), peer_options());
    links->start();
  }
  void scan_and_bag(const ScannedItem& it) {
    auto r = core->on_scan(it);
    REQUIRE(r);
    if (r->session.state() != v1::SESSION_STATE_WAITING_FOR_BAGGING) return;
    v1::BaggingVerdict v;
    v.set_expectation_id(fmt::format("{}/{}", r->session.session_id(), r->session.last_line_no()));
    v.set_kind(v1::BaggingVerdict::KIND_ACCEPTED);
    REQUIRE(core->on_verdict(v));
  }
  bool priced() {
    return eventually(*core, [](const v1::Session& s) { return s.priced_change() == s.basket_change(); });
  }
  v1::Session pay() {
    links->reprice_now();  // as CheckoutService does before Pay
    v1::ActRequest pay;
    pay.mutable_pay();
    REQUIRE(core->act(pay));
    REQUIRE(eventually(*core, [](const v1::Session& s) { return s.state() == v1::SESSION_STATE_RECEIPT; }));
    return core->session();
  }

  fs::path dir_;
  LaneCore::Options options_ = lane_options();
  SystemClock clock;
  std::unique_ptr<LaneCore> core;
  std::unique_ptr<PeerLinks> links;
};

// Polls `pred` (up to 10 s: the stock worker backs off while the catalog is away).
template <typename P>
bool within_10s(P pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

}  // namespace

TEST_CASE("the real catalog prices promotions on every basket change, the sale and its stock follow",
          "[peers][promotions][stock]") {
  TempDir tmp{"checkout-catalog"};
  Peers peers(tmp.path(), false);
  Catalogd catalog(tmp.path());
  catalog.start();
  catalog.load();
  LiveLane lane(tmp.path());

  for (int i = 0; i < 3; ++i) lane.scan_and_bag(milk());
  REQUIRE(lane.priced());
  auto s = lane.core->session();
  REQUIRE(s.discounts_size() == 3);
  CHECK(s.discounts(0).text() == "3 för 40 kr");
  CHECK(s.discounts(0).promotion_id() == "milk3");
  CHECK(s.totals().total_ore() == 4000);
  CHECK(s.totals().discount_ore() == 770);
  CHECK(s.pricing_catalog_version() >= 2);

  lane.scan_and_bag(card());
  REQUIRE(lane.priced());
  CHECK(lane.core->session().totals().total_ore() == 4000 + 3900);

  // One milk out: no "3 för 40" any more.
  v1::ActRequest remove;
  remove.mutable_remove_line()->set_line_no(2);
  REQUIRE(lane.core->act(remove));
  REQUIRE(lane.priced());
  s = lane.core->session();
  CHECK(s.discounts_size() == 0);
  CHECK(s.totals().total_ore() == 2 * 1590 + 3900);

  // And back in.
  lane.scan_and_bag(milk());
  REQUIRE(lane.priced());
  CHECK(lane.core->session().totals().total_ore() == 4000 + 3900);

  const auto paid = lane.pay();
  auto sale = lane.core->get_sale(paid.receipt_number());
  REQUIRE(sale);
  CHECK(sale->totals().total_ore() == 7900);
  CHECK(sale->payment().amount_ore() == 7900);
  CHECK(sale->discounts_size() == 3);
  std::int64_t food_gross = 0;
  for (const auto& v : sale->totals().vat()) {
    if (v.rate_bp() == 600) food_gross = v.gross_ore();
  }
  CHECK(food_gross == 4000);
  CHECK_THAT(sale->receipt_text(), Catch::Contains("3 för 40 kr") && Catch::Contains("79,00 SEK"));

  // The stock: three milks (lines 1, 3, 5) and one card, once.
  REQUIRE(within_10s([&] { return catalog.stock("7310865004703") == 97; }));
  REQUIRE(within_10s([&] { return lane.core->pending_stock(0)->empty(); }));
  CHECK(catalog.stock("7350053850019") == 9);
}

TEST_CASE(
    "catalog down during a sale: the sale completes, and the stock is taken exactly once when it is back, "
    "across a checkoutd restart",
    "[peers][stock]") {
  TempDir tmp{"checkout-catalog"};
  Peers peers(tmp.path(), false);
  Catalogd catalog(tmp.path());
  catalog.start();
  catalog.load();
  catalog.stop();  // the store network (or catalogd) goes away

  LiveLane lane(tmp.path());
  for (int i = 0; i < 3; ++i) lane.scan_and_bag(milk());
  lane.scan_and_bag(card());
  // No promotions without the catalog: shelf prices, never more.
  auto s = lane.core->session();
  CHECK(s.priced_change() < s.basket_change());
  CHECK(s.totals().total_ore() == 3 * 1590 + 3900);
  const auto paid = lane.pay();
  CHECK(paid.totals().total_ore() == 3 * 1590 + 3900);
  REQUIRE(lane.core->pending_stock(0)->size() == 1);

  // checkoutd crashes and comes back while the catalog is still away: the sale is still queued.
  lane.reopen();
  REQUIRE(lane.core->pending_stock(0)->size() == 1);

  catalog.start();
  REQUIRE(within_10s([&] { return lane.core->pending_stock(0)->empty(); }));
  CHECK(catalog.stock("7310865004703") == 97);
  CHECK(catalog.stock("7350053850019") == 9);

  // Delivered twice (a crash between the catalog's answer and the journal's note): counted once.
  v1::RecordSaleRequest again;
  again.set_receipt_number(fmt::format("L1-{}", paid.receipt_number()));
  for (const auto& l : paid.lines()) {
    auto* sl = again.add_lines();
    sl->set_line(l.line_no());
    sl->set_gtin14(l.gtin14());
    sl->set_quantity(1);
  }
  grpc::ClientContext ctx;
  v1::RecordSaleResponse resp;
  REQUIRE(catalog.stub().RecordSale(&ctx, again, &resp).ok());
  for (const auto& l : resp.lines()) CHECK(l.already_recorded());
  lane.reopen();
  CHECK(lane.core->pending_stock(0)->empty());
  CHECK(catalog.stock("7310865004703") == 97);
  CHECK(catalog.stock("7350053850019") == 9);
}

TEST_CASE("the real catalog gives a member its member price after the card is scanned, pant is never discounted",
          "[peers][promotions][member][deposit]") {
  TempDir tmp{"checkout-catalog"};
  Peers peers(tmp.path(), false);
  Catalogd catalog(tmp.path());
  catalog.start();
  catalog.load();
  auto options = lane_options();
  auto cards = MemberCards::make({"2990"}, 13);
  REQUIRE(cards);
  options.member_cards = *cards;
  LiveLane lane(tmp.path(), options);

  // A bottle from the camera, looked up in the real catalog: its pant line, the shelf price (no member yet).
  peers.vision.feed.push(scan(1, "07318690499534"));
  REQUIRE(eventually(*lane.core, [](const v1::Session& x) { return x.lines_size() == 2; }));
  peers.scale.feed.push(accepted(lane.core->session().session_id() + "/1"));
  REQUIRE(eventually(*lane.core, [](const v1::Session& x) { return x.state() == v1::SESSION_STATE_SCANNING; }));
  REQUIRE(lane.priced());
  auto s = lane.core->session();
  REQUIRE(s.lines_size() == 2);
  CHECK(s.lines(1).deposit_for() == 1);
  CHECK(s.lines(1).deposit_code() == "PANT2");
  CHECK(s.discounts_size() == 0);
  CHECK(s.totals().total_ore() == 2495 + 200);

  // The loyalty card, from the camera (GTIN-14): no catalog look-up, member prices.
  peers.vision.feed.push(scan(2, "02990001234567"));
  REQUIRE(eventually(*lane.core, [](const v1::Session& x) { return x.has_member(); }));
  CHECK(lane.core->vision_seq() == 2);
  REQUIRE(lane.priced());
  s = lane.core->session();
  CHECK(s.member().masked_number() == "****4567");
  REQUIRE(s.discounts_size() == 1);
  CHECK(s.discounts(0).line_no() == 1);
  CHECK(s.discounts(0).promotion_id() == "cola-member");
  CHECK(s.discounts(0).discount_ore() == 500);
  CHECK(s.totals().discount_ore() == 500);
  CHECK(s.totals().total_ore() == 1995 + 200);  // the pant stays 2 kr

  const auto paid = lane.pay();
  auto sale = lane.core->get_sale(paid.receipt_number());
  REQUIRE(sale);
  CHECK(sale->payment().amount_ore() == 2195);
  CHECK(sale->member().masked_number() == "****4567");
  CHECK_THAT(sale->receipt_text(), Catch::Contains("Medlemspris") && Catch::Contains("  Pant") &&
                                       Catch::Contains("Medlem ****4567") && Catch::Contains("21,95 SEK"));
  // The stock: one bottle; the pant line is no product.
  REQUIRE(within_10s([&] { return catalog.stock("7318690499534") == 23; }));
  REQUIRE(within_10s([&] { return lane.core->pending_stock(0)->empty(); }));
}
