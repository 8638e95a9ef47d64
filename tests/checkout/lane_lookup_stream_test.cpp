// The lane's product lookups against the real catalogd (its own process): every scan is looked up on
// the one Catalog.LookupStream the lane keeps open, and after catalogd is killed and restarted the
// next scan is looked up on a new stream. Vision and scale are the scripted peers.
#include <fstream>

#include "child_process.h"
#include "real_catalogd.h"
#include "scripted_peers.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;
namespace fs = std::filesystem;

TEST_CASE("the lane looks scans up on one stream to catalogd, and on a new one after catalogd restarts",
          "[peers][catalog]") {
  TempDir tmp{"checkout-lookup"};
  Peers peers(tmp.path(), false);  // the real catalogd below serves catalog.sock
  RealCatalogd catalog(tmp.path());
  catalog.start();
  catalog.import_products(
      "gtin,name_sv,name_en,price_ore,unit,vat_class,expected_weight_mg,weight_spread_mg\n"
      "7310865004703,\"Mellanmjölk 1,5 l\",Milk,1590,each,food,1550000,31000\n");
  SystemClock clock;
  auto core = LaneCore::open(tmp.path() / "data", lane_options(), clock, nullptr);
  REQUIRE(core);
  auto links = std::make_unique<PeerLinks>(**core, sockets(tmp.path()), peer_options());
  links->start();

  const std::string milk = "07310865004703";
  peers.vision.feed.push(scan(1, milk));
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.lines_size() == 1; }));
  const std::string sid = (*core)->session().session_id();
  CHECK((*core)->session().lines(0).name_sv() == "Mellanmjölk 1,5 l");
  peers.scale.feed.push(accepted(sid + "/1"));
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.state() == v1::SESSION_STATE_SCANNING; }));
  peers.vision.feed.push(scan(2, "07310000000009"));  // a bad check digit: an error answer on the stream
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.notice() == "item_not_found"; }));
  auto n = links->lookup_counts();
  CHECK(n.streamed == 2);
  CHECK(n.unary == 0);
  CHECK(n.opened == 1);

  // catalogd crashes and comes back (same data): the lane's next scan is looked up on a new stream.
  catalog.crash();
  catalog.start();
  peers.vision.feed.push(scan(3, milk));
  REQUIRE(eventually(**core, [](const v1::Session& s) { return s.lines_size() == 2; }));
  CHECK((*core)->session().lines(1).name_sv() == "Mellanmjölk 1,5 l");
  n = links->lookup_counts();
  CHECK(n.streamed == 3);
  CHECK(n.unary == 0);
  CHECK(n.opened == 2);

  // A typed code goes the same way (CheckoutService's enter_code calls PeerLinks::lookup).
  auto typed = links->lookup("7310865004703");
  REQUIRE(typed);
  CHECK(typed->product.price_ore() == 1590);
  CHECK(links->lookup_counts().streamed == 4);
  links.reset();
}
