// The whole appliance: catalogd, scaled, paymentd, checkoutd, visiond and the kiosk UI, with scale-sim
// on a pseudo-terminal, terminal-sim over HTTP and a camera video from camera-sim.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "appliance.h"
#include "demo_items.h"
#include "shopper.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using kiosk::demo::Appliance;
using kiosk::demo::ScriptedShopper;
namespace v1 = kiosk::v1;

namespace {

kiosk::demo::ApplianceOptions options(const std::string& name, std::vector<std::string> codes) {
  kiosk::demo::ApplianceOptions o;
  o.bin_dir = KIOSK_BIN_DIR;
  o.work_dir = kiosk::test::make_temp_dir("kiosk-" + name);  // kept: its logs outlive the test
  o.catalog_csv = fs::path(KIOSK_SOURCE_DIR) / "deploy/demo/catalog.csv";
  o.camera_codes = std::move(codes);
  return o;
}

std::vector<kiosk::demo::DemoItem> demo_items(std::size_t n) {
  auto items = kiosk::demo::pick_demo_items(fs::path(KIOSK_SOURCE_DIR) / "deploy/demo/catalog.csv", n);
  REQUIRE(items);
  return *items;
}

std::vector<std::string> codes_of(const std::vector<kiosk::demo::DemoItem>& items) {
  std::vector<std::string> c;
  for (const auto& i : items) c.push_back(i.code);
  return c;
}

void require_started(Appliance& a) {
  auto s = a.start();
  INFO("logs: " << a.log_dir());
  REQUIRE(s.is_ok());
}

// The newest NNN-<state>.json the kiosk UI wrote, parsed.
std::optional<nlohmann::json> newest_screen(const fs::path& dir) {
  std::optional<fs::path> newest;
  if (!fs::exists(dir)) return std::nullopt;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json" && (!newest || e.path().filename() > newest->filename())) newest = e.path();
  }
  if (!newest) return std::nullopt;
  std::ifstream in(*newest);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

}  // namespace

TEST_CASE("a shopper scans, bags and pays for three items, and the sale is journaled", "[e2e]") {
  const auto items = demo_items(3);
  Appliance appliance(options("buy", codes_of(items)));
  require_started(appliance);
  ScriptedShopper shopper(appliance);

  auto bagged = shopper.scan_and_bag(3, 90s);
  INFO("logs: " << appliance.log_dir());
  REQUIRE(bagged);
  REQUIRE(bagged->lines_size() == 3);
  long long expected_total = 0;
  for (int i = 0; i < 3; ++i) {
    CHECK(bagged->lines(i).gtin14().ends_with(items[static_cast<std::size_t>(i)].code));
    CHECK(bagged->lines(i).line_total_ore() == items[static_cast<std::size_t>(i)].price_ore);
    CHECK(bagged->lines(i).bagged());
    expected_total += items[static_cast<std::size_t>(i)].price_ore;
  }
  CHECK(bagged->totals().total_ore() == expected_total);

  auto paid = shopper.pay(60s);
  REQUIRE(paid);
  REQUIRE(paid->state() == v1::SESSION_STATE_RECEIPT);
  REQUIRE(paid->receipt_number() >= 1);

  grpc::ClientContext ctx;
  v1::GetSaleRequest req;
  req.set_receipt_number(paid->receipt_number());
  v1::Sale sale;
  REQUIRE(shopper.stub().GetSale(&ctx, req, &sale).ok());
  CHECK(sale.lines_size() == 3);
  CHECK(sale.totals().total_ore() == expected_total);
  long long vat_gross = 0;
  long long vat_sum = 0;
  for (const auto& v : sale.totals().vat()) {
    vat_gross += v.gross_ore();
    vat_sum += v.vat_ore();
    CHECK(v.net_ore() + v.vat_ore() == v.gross_ore());
  }
  CHECK(vat_gross == expected_total);
  long long line_vat = 0;
  for (const auto& l : sale.lines()) line_vat += l.vat_ore();
  CHECK(vat_sum == line_vat);
  CHECK(sale.payment().amount_ore() == expected_total);
  CHECK_FALSE(sale.payment().poi_transaction_id().empty());
  CHECK_FALSE(sale.payment().masked_pan().empty());
  CHECK(sale.hash().size() == 64);
  // The receipt names every item and the total.
  for (const auto& i : items) CHECK_THAT(sale.receipt_text(), Catch::Contains(i.name));
  CHECK_THAT(sale.receipt_text(), Catch::Contains(fmt::format("{},{:02}", expected_total / 100, expected_total % 100)));

  auto idle = shopper.finish(30s);
  REQUIRE(idle);
  CHECK(idle->lines_size() == 0);
}

TEST_CASE("a declined payment leaves the basket intact and unpaid", "[e2e]") {
  // 11,24 kr: the terminal simulator declines amounts ending in 124 öre (not enough balance).
  auto csv = fs::path(KIOSK_SOURCE_DIR) / "deploy/demo/catalog.csv";
  auto declined = kiosk::demo::find_item_priced(csv, 1124);
  REQUIRE(declined);
  Appliance appliance(options("decline", {declined->code}));
  require_started(appliance);
  ScriptedShopper shopper(appliance);
  auto bagged = shopper.scan_and_bag(1, 60s);
  REQUIRE(bagged);
  REQUIRE(bagged->totals().total_ore() == 1124);

  auto after = shopper.pay(60s);
  REQUIRE(after);
  CHECK(after->state() == v1::SESSION_STATE_SCANNING);
  CHECK(after->payment().outcome() == v1::PAYMENT_OUTCOME_DECLINED);
  CHECK_FALSE(after->payment().refusal_reason().empty());
  CHECK(after->lines_size() == 1);
  CHECK(after->totals().total_ore() == 1124);
  CHECK(after->receipt_number() == 0);

  grpc::ClientContext ctx;
  v1::ListSalesResponse sales;
  REQUIRE(shopper.stub().ListSales(&ctx, v1::ListSalesRequest(), &sales).ok());
  CHECK(sales.sales_size() == 0);
}

TEST_CASE("the kiosk UI crashes mid-basket and shows the same basket after a restart", "[e2e][ui]") {
  const auto items = demo_items(3);
  Appliance appliance(options("uicrash", codes_of(items)));
  require_started(appliance);
  const fs::path shots1 = appliance.work_dir() / "screens-1";
  REQUIRE(appliance.start_kiosk(shots1, true));
  ScriptedShopper shopper(appliance);
  auto two = shopper.wait_for([](const v1::Session& s) { return s.lines_size() >= 2; }, 60s, "two lines");
  REQUIRE(two);
  // The UI showed the basket before it crashed.
  REQUIRE(kiosk::demo::wait_until(
      [&] {
        auto j = newest_screen(shots1);
        return j && (*j)["lines"].size() >= 2;
      },
      20s));
  appliance.kill9("kiosk");

  const auto basket = shopper.session();
  // A fresh screenshot folder, so only what the restarted UI shows counts.
  const fs::path shots2 = appliance.work_dir() / "screens-2";
  REQUIRE(appliance.start_kiosk(shots2, true));
  // The restarted UI shows the lines the lane holds (at least those scanned before the crash).
  std::optional<nlohmann::json> shown;
  REQUIRE(kiosk::demo::wait_until(
      [&] {
        shown = newest_screen(shots2);
        return shown && (*shown)["revision"].get<std::uint64_t>() >= basket.revision() &&
               (*shown)["lines"].size() >= static_cast<std::size_t>(basket.lines_size());
      },
      30s));
  for (int i = 0; i < basket.lines_size(); ++i) {
    const auto& line = (*shown)["lines"][static_cast<std::size_t>(i)];
    CHECK(line["name"].get<std::string>() == basket.lines(i).name_sv());
  }
}

TEST_CASE("checkoutd crashes mid-basket and the session resumes with every scanned item", "[e2e]") {
  const auto items = demo_items(2);
  Appliance appliance(options("lanecrash", codes_of(items)));
  require_started(appliance);
  auto before = [&] {
    ScriptedShopper shopper(appliance);
    auto s = shopper.scan_and_bag(2, 60s);
    REQUIRE(s);
    return *s;
  }();
  appliance.kill9("checkoutd");
  REQUIRE(appliance.restart("checkoutd"));
  ScriptedShopper shopper(appliance);
  auto after = shopper.wait_for([](const v1::Session& s) { return s.lines_size() > 0; }, 30s, "the resumed session");
  REQUIRE(after);
  CHECK(after->session_id() == before.session_id());
  CHECK(after->lines_size() == before.lines_size());
  CHECK(after->totals().total_ore() == before.totals().total_ore());
  CHECK(after->revision() >= before.revision());
  auto paid = shopper.pay(60s);
  REQUIRE(paid);
  CHECK(paid->state() == v1::SESSION_STATE_RECEIPT);
}

TEST_CASE("scaled crashes mid-basket and bagging carries on after its restart", "[e2e]") {
  const auto items = demo_items(3);
  Appliance appliance(options("scalecrash", codes_of(items)));
  require_started(appliance);
  ScriptedShopper shopper(appliance);
  auto first = shopper.scan_and_bag(1, 60s);
  REQUIRE(first);
  // The scale service dies with one item bagged; the checkout must tell the new one about the session
  // (baseline = what is already in the bagging area) and the items still to come.
  appliance.kill9("scaled");
  REQUIRE(appliance.restart("scaled"));
  auto all = shopper.scan_and_bag(3, 90s);
  INFO("logs: " << appliance.log_dir());
  REQUIRE(all);
  CHECK(all->lines_size() == 3);
  for (const auto& l : all->lines()) CHECK(l.bagged());
  auto paid = shopper.pay(60s);
  REQUIRE(paid);
  CHECK(paid->state() == v1::SESSION_STATE_RECEIPT);
}
