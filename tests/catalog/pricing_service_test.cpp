#include <grpcpp/grpcpp.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "catalog/catalog_service.h"
#include "catalog/catalog_store.h"
#include "catalog/schedule.h"
#include "common/clock.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "served_catalog.h"

// Promotions, PriceBasket, VAT rates, scheduled prices and stock over real gRPC on a Unix socket.

using kiosk::catalog::CatalogService;
using kiosk::catalog::CatalogStore;
using kiosk::v1::ImportRequest;

namespace {

std::int64_t at(const char* t) {
  auto ms = kiosk::catalog::parse_utc_time(t);
  REQUIRE(ms);
  return *ms;
}

std::chrono::system_clock::time_point in(std::chrono::milliseconds d) {
  return std::chrono::system_clock::now() + d;
}

struct Fixture : kiosk::test::ServedCatalog {
  Fixture() : ServedCatalog("kiosk-pricing", at("2026-03-31T12:00:00Z")) {
    ImportRequest req;
    req.set_format(ImportRequest::FORMAT_CSV);
    req.set_mode(ImportRequest::MODE_FULL);
    req.set_data(
        "gtin,name_sv,price_ore,unit,vat_class,low_stock_threshold,new_price_ore,new_price_from\n"
        "7310000000010,Yoghurt,1000,each,food,3,,\n"
        "7310000000027,Chips,2500,each,food,2,2200,2026-04-01\n"
        "7310000000034,Dipp,1500,each,food,2,,\n");
    req.set_source_name("products.csv");
    kiosk::v1::ImportResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(in(std::chrono::seconds(10)));
    REQUIRE(stub->Import(&ctx, req, &resp).ok());
    REQUIRE(resp.applied());
  }
};

}  // namespace

TEST_CASE("PushPromotions then PriceBasket over gRPC") {
  Fixture f;
  kiosk::v1::PushPromotionsRequest push;
  push.set_format(ImportRequest::FORMAT_JSONL);
  push.set_source_name("promo.jsonl");
  push.set_data(
      R"({"id":"yog3","kind":"n_for_price","gtins":"7310000000010","quantity":3,"price_ore":2500,"from":"2026-03-01","until":"2026-05-01"})"
      "\n"
      R"({"id":"party","kind":"mix_match","gtins":["7310000000027","7310000000034"],"quantity":2,"price_ore":3000,"from":"2026-03-01","until":"2026-05-01","members_only":true})"
      "\n");
  kiosk::v1::ImportResponse pushed;
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(in(std::chrono::seconds(10)));
    REQUIRE(f.stub->PushPromotions(&ctx, push, &pushed).ok());
  }
  INFO((pushed.errors_size() ? pushed.errors(0).message() : ""));
  REQUIRE(pushed.applied());
  CHECK(pushed.version() == 2);

  kiosk::v1::PriceBasketRequest basket;
  for (const auto& [gtin, qty, price] : {std::tuple{"7310000000010", 3, 1000}, std::tuple{"7310000000027", 1, 2500},
                                         std::tuple{"7310000000034", 1, 1500}}) {
    auto* l = basket.add_lines();
    l->set_gtin14(gtin);  // any GTIN form
    l->set_quantity(qty);
    l->set_unit_price_ore(price);
  }
  basket.set_member(true);
  kiosk::v1::PriceBasketResponse priced;
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(in(std::chrono::seconds(5)));
    REQUIRE(f.stub->PriceBasket(&ctx, basket, &priced).ok());
  }
  CHECK(priced.total_discount_ore() == 500 + 1000);
  CHECK(priced.catalog_version() == 2);
  CHECK(priced.at_unix_ms() == f.clock.now_unix_ms());
  REQUIRE(priced.discounts_size() == 3);
  CHECK(priced.discounts(0).line() == 0);
  CHECK(priced.discounts(0).text() == "3 för 25 kr");
  CHECK(priced.discounts(0).discount_ore() == 500);
  CHECK(priced.discounts(1).text() == "Valfria 2 för 30 kr");
  // Not a member: no mix-and-match. After the promotion ends: nothing.
  basket.set_member(false);
  {
    grpc::ClientContext ctx;
    REQUIRE(f.stub->PriceBasket(&ctx, basket, &priced).ok());
    CHECK(priced.total_discount_ore() == 500);
  }
  basket.set_at_unix_ms(at("2026-05-01"));
  {
    grpc::ClientContext ctx;
    REQUIRE(f.stub->PriceBasket(&ctx, basket, &priced).ok());
    CHECK(priced.discounts_size() == 0);
  }
  basket.mutable_lines(1)->set_quantity(0);
  {
    grpc::ClientContext ctx;
    const auto st = f.stub->PriceBasket(&ctx, basket, &priced);
    CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(st.error_message().find("line 1") != std::string::npos);
  }
  kiosk::v1::ListPromotionsResponse list;
  {
    grpc::ClientContext ctx;
    REQUIRE(f.stub->ListPromotions(&ctx, {}, &list).ok());
  }
  REQUIRE(list.promotions_size() == 2);
  CHECK(list.promotions(0).id() == "party");
  CHECK(list.promotions(0).kind() == kiosk::v1::PROMOTION_KIND_MIX_MATCH);
  CHECK(list.promotions(1).receipt_text() == "3 för 25 kr");
}

TEST_CASE("VAT rates and a scheduled price at 2026-04-01 over gRPC") {
  Fixture f;
  const auto rates_at = [&](std::int64_t t) {
    kiosk::v1::GetVatRatesRequest req;
    req.set_at_unix_ms(t);
    kiosk::v1::GetVatRatesResponse resp;
    grpc::ClientContext ctx;
    REQUIRE(f.stub->GetVatRates(&ctx, req, &resp).ok());
    std::map<int, int> out;
    for (const auto& r : resp.rates()) out[r.vat_class()] = r.rate_bp();
    return out;
  };
  const auto before = rates_at(0);  // now by the catalog's clock: 2026-03-31
  CHECK(before.at(kiosk::v1::VAT_CLASS_FOOD) == 1200);
  CHECK(before.at(kiosk::v1::VAT_CLASS_STANDARD) == 2500);
  CHECK(before.at(kiosk::v1::VAT_CLASS_REDUCED) == 600);
  CHECK(before.at(kiosk::v1::VAT_CLASS_EXEMPT) == 0);
  CHECK(rates_at(at("2026-04-01")).at(kiosk::v1::VAT_CLASS_FOOD) == 600);
  CHECK(rates_at(at("2028-01-01")).at(kiosk::v1::VAT_CLASS_FOOD) == 1200);
  // The rate of the Stockholm calendar day, not the UTC one: 22:30 UTC on 31 March is 00:30 on 1 April
  // in Stockholm (CEST, +2 h); 23:00 UTC on 31 December 2027 is midnight of 2028 (CET, +1 h).
  CHECK(rates_at((at("2026-03-31T21:59:59Z") + 999)).at(kiosk::v1::VAT_CLASS_FOOD) == 1200);
  CHECK(rates_at(at("2026-03-31T22:00:00Z")).at(kiosk::v1::VAT_CLASS_FOOD) == 600);
  CHECK(rates_at(at("2026-03-31T22:30:00Z")).at(kiosk::v1::VAT_CLASS_FOOD) == 600);
  CHECK(rates_at((at("2027-12-31T22:59:59Z") + 999)).at(kiosk::v1::VAT_CLASS_FOOD) == 600);
  CHECK(rates_at(at("2027-12-31T23:00:00Z")).at(kiosk::v1::VAT_CLASS_FOOD) == 1200);
  CHECK(rates_at(at("2027-12-31T23:30:00Z")).at(kiosk::v1::VAT_CLASS_STANDARD) == 2500);

  const auto chips_price = [&] {
    kiosk::v1::LookupRequest req;
    req.set_code("7310000000027");
    kiosk::v1::LookupResponse resp;
    grpc::ClientContext ctx;
    REQUIRE(f.stub->Lookup(&ctx, req, &resp).ok());
    return resp.product().price_ore();
  };
  kiosk::v1::CatalogVersion v;
  {
    grpc::ClientContext ctx;
    REQUIRE(f.stub->GetVersion(&ctx, {}, &v).ok());
  }
  CHECK(v.scheduled_price_count() == 1);
  CHECK(v.next_price_change_unix_ms() == at("2026-04-01"));
  CHECK(chips_price() == 2500);
  f.clock.advance(std::chrono::hours(12));  // 2026-04-01 00:00 UTC
  CHECK(chips_price() == 2200);
  {
    grpc::ClientContext ctx;
    REQUIRE(f.stub->GetVersion(&ctx, {}, &v).ok());
  }
  CHECK_FALSE(v.has_next_price_change_unix_ms());
}

TEST_CASE("RecordSale, SetStock and WatchStock over gRPC") {
  Fixture f;
  grpc::ClientContext watch_ctx;
  kiosk::v1::WatchStockRequest wreq;
  wreq.set_include_current(true);
  {
    kiosk::v1::SetStockRequest set;
    set.set_gtin("7310000000034");  // dip: 1 <= threshold 2, low before the watch starts
    set.set_quantity(1);
    kiosk::v1::StockLevel level;
    grpc::ClientContext ctx;
    REQUIRE(f.stub->SetStock(&ctx, set, &level).ok());
    CHECK(level.low());
  }
  auto reader = f.stub->WatchStock(&watch_ctx, wreq);
  kiosk::v1::StockEvent event;
  REQUIRE(reader->Read(&event));
  CHECK(event.gtin14() == "07310000000034");
  CHECK(event.cause() == "current");

  {
    kiosk::v1::SetStockRequest set;
    set.set_gtin("7310000000010");
    set.set_quantity(4);
    kiosk::v1::StockLevel level;
    grpc::ClientContext ctx;
    REQUIRE(f.stub->SetStock(&ctx, set, &level).ok());
    CHECK(level.quantity() == 4);
    CHECK_FALSE(level.low());
  }
  kiosk::v1::RecordSaleRequest sale;
  sale.set_receipt_number("1042");
  auto* line = sale.add_lines();
  line->set_line(1);
  line->set_gtin14("7310000000010");
  line->set_quantity(1);
  for (int attempt = 0; attempt < 2; ++attempt) {  // a retried call changes nothing
    kiosk::v1::RecordSaleResponse resp;
    grpc::ClientContext ctx;
    REQUIRE(f.stub->RecordSale(&ctx, sale, &resp).ok());
    REQUIRE(resp.lines_size() == 1);
    CHECK(resp.lines(0).already_recorded() == (attempt == 1));
    CHECK(resp.lines(0).quantity() == 3);
  }
  REQUIRE(reader->Read(&event));
  CHECK(event.gtin14() == "07310000000010");
  CHECK(event.quantity() == 3);
  CHECK(event.cause() == "sale 1042/1");
  {
    kiosk::v1::GetStockRequest get;
    get.set_gtin("07310000000010");
    kiosk::v1::StockLevel level;
    grpc::ClientContext ctx;
    REQUIRE(f.stub->GetStock(&ctx, get, &level).ok());
    CHECK(level.quantity() == 3);
    CHECK(level.low());
  }
  // The client cancels: the stream ends promptly.
  const auto t0 = std::chrono::steady_clock::now();
  watch_ctx.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
}

TEST_CASE("WatchStock ends when the service stops") {
  Fixture f;
  grpc::ClientContext ctx;
  auto reader = f.stub->WatchStock(&ctx, {});
  const auto t0 = std::chrono::steady_clock::now();
  f.service->stop();  // as catalogd does on SIGTERM, before the server's grace period
  kiosk::v1::StockEvent event;
  while (reader->Read(&event)) {
  }
  CHECK(reader->Finish().ok());
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
}

TEST_CASE("WatchStock ends when the catalog stops") {
  Fixture f;
  grpc::ClientContext ctx;
  auto reader = f.stub->WatchStock(&ctx, {});
  // Let the call reach the server: a GetStock on the same channel afterwards is answered after it started.
  {
    kiosk::v1::GetStockRequest get;
    get.set_gtin("7310000000010");
    kiosk::v1::StockLevel level;
    grpc::ClientContext c2;
    REQUIRE(f.stub->GetStock(&c2, get, &level).ok());
  }
  const auto t0 = std::chrono::steady_clock::now();
  f.store->stock().stop();
  kiosk::v1::StockEvent event;
  while (reader->Read(&event)) {
  }
  CHECK(reader->Finish().ok());
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
}
