#include <grpcpp/grpcpp.h>
#include <catch2/catch.hpp>

#include "catalog/catalog_service.h"
#include "catalog/catalog_store.h"
#include "common/clock.h"
#include "common/rpc.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "served_catalog.h"

// The real kiosk.v1.Catalog service on a Unix socket, a real RocksDB in a temp dir, a real gRPC client.

using kiosk::catalog::CatalogService;
using kiosk::catalog::CatalogStore;
using kiosk::v1::ImportRequest;

namespace {

struct Fixture : kiosk::test::ServedCatalog {
  Fixture() : ServedCatalog("kiosk-catalog") {}

  grpc::Status import(const std::string& csv, kiosk::v1::ImportResponse* resp,
                      ImportRequest::Mode mode = ImportRequest::MODE_FULL,
                      ImportRequest::Format format = ImportRequest::FORMAT_CSV) {
    ImportRequest req;
    req.set_format(format);
    req.set_mode(mode);
    req.set_data(csv);
    req.set_source_name("push.csv");
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub->Import(&ctx, req, resp);
  }
  grpc::Status lookup(const std::string& code, kiosk::v1::LookupResponse* resp) {
    kiosk::v1::LookupRequest req;
    req.set_code(code);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return stub->Lookup(&ctx, req, resp);
  }
  kiosk::v1::CatalogVersion version() {
    kiosk::v1::CatalogVersion v;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    REQUIRE(stub->GetVersion(&ctx, kiosk::v1::GetVersionRequest(), &v).ok());
    return v;
  }
};

const std::string kGood =
    "gtin,name_sv,name_en,price_ore,unit,vat_class,deposit_code,age_limit,expected_weight_mg,weight_spread_mg,"
    "no_weigh\n"
    "7310865004703,\"Mellanmjölk 1,5 % 1 l\",Semi-skimmed milk 1 l,1695,each,food,,,1035000,8000,0\n"
    "73101604,Tuggummi,Chewing gum,1495,each,food,,,27000,1500,1\n"
    "7310520001443,\"Pripps Blå 3,5 %\",Pripps lager 3.5%,1795,each,food,PANT1,18,525000,5000,0\n";

}  // namespace

TEST_CASE("import over gRPC, then look products up by any GTIN form") {
  Fixture f;
  kiosk::v1::ImportResponse resp;
  REQUIRE(f.import(kGood, &resp).ok());
  CHECK(resp.applied());
  CHECK(resp.version() == 1);
  CHECK(resp.product_count() == 3);
  CHECK(resp.errors().empty());

  kiosk::v1::LookupResponse hit;
  REQUIRE(f.lookup("7310865004703", &hit).ok());
  CHECK(hit.product().gtin14() == "07310865004703");
  CHECK(hit.product().name_sv() == "Mellanmjölk 1,5 % 1 l");
  CHECK(hit.product().price_ore() == 1695);
  CHECK(hit.product().vat_class() == kiosk::v1::VAT_CLASS_FOOD);
  CHECK(hit.product().unit() == kiosk::v1::SALE_UNIT_EACH);
  CHECK(hit.product().expected_weight_mg() == 1'035'000);
  CHECK(hit.catalog_version() == 1);
  CHECK_FALSE(hit.has_embedded_price_ore());

  REQUIRE(f.lookup("73101604", &hit).ok());
  CHECK(hit.product().no_weigh());
  REQUIRE(f.lookup("07310520001443", &hit).ok());
  CHECK(hit.product().age_limit() == 18);
  CHECK(hit.product().deposit_code() == "PANT1");

  CHECK(f.lookup("7310865004704", &hit).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(f.lookup("7310865005120", &hit).error_code() == grpc::StatusCode::NOT_FOUND);

  const auto v = f.version();
  CHECK(v.version() == 1);
  CHECK(v.product_count() == 3);
  CHECK(v.applied_unix_ms() == 1'790'000'000'000);
  CHECK(v.source_name() == "push.csv");

  kiosk::v1::SearchRequest sreq;
  sreq.set_query("MJÖLK");
  kiosk::v1::SearchResponse sresp;
  grpc::ClientContext ctx;
  REQUIRE(f.stub->Search(&ctx, sreq, &sresp).ok());
  REQUIRE(sresp.products_size() == 1);
  CHECK(sresp.products(0).gtin14() == "07310865004703");
}

TEST_CASE("a CSV with malformed rows is rejected with line numbers and nothing is applied") {
  Fixture f;
  kiosk::v1::ImportResponse first;
  REQUIRE(f.import(kGood, &first).ok());
  REQUIRE(first.applied());

  const std::string bad =
      "gtin,name_sv,price_ore,vat_class\n"
      "7310865004703,Mellanmjölk,999,food\n"  // 2: fine, would change the price
      "7310865004704,Fel,100,food\n"          // 3: check digit
      "7310865005120,Smör,tolv,food\n"        // 4: price
      "7310112004500,Kaffe,6995,lyx\n"        // 5: VAT class
      "7310865005120,Smör,6495\n";            // 6: too few fields
  kiosk::v1::ImportResponse resp;
  REQUIRE(f.import(bad, &resp).ok());  // a rejected push is an answer, not an RPC failure
  CHECK_FALSE(resp.applied());
  CHECK(resp.version() == 1);
  CHECK(resp.product_count() == 3);
  REQUIRE(resp.errors_size() == 4);
  CHECK(resp.errors(0).line() == 3);
  CHECK(resp.errors(0).column() == "gtin");
  CHECK_THAT(resp.errors(0).message(), Catch::Contains("check digit"));
  CHECK(resp.errors(1).line() == 4);
  CHECK(resp.errors(1).column() == "price_ore");
  CHECK(resp.errors(2).line() == 5);
  CHECK(resp.errors(2).column() == "vat_class");
  CHECK(resp.errors(3).line() == 6);

  kiosk::v1::LookupResponse hit;
  REQUIRE(f.lookup("7310865004703", &hit).ok());
  CHECK(hit.product().price_ore() == 1695);  // unchanged
  CHECK(hit.catalog_version() == 1);
  CHECK(f.lookup("7310865005120", &hit).error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(f.version().version() == 1);
}

TEST_CASE("a delta push over gRPC upserts") {
  Fixture f;
  kiosk::v1::ImportResponse resp;
  REQUIRE(f.import(kGood, &resp).ok());
  REQUIRE(f.import("gtin,name_sv,price_ore,vat_class\n7310865004703,Mellanmjölk,1795,food\n", &resp,
                   ImportRequest::MODE_DELTA)
              .ok());
  CHECK(resp.applied());
  CHECK(resp.version() == 2);
  CHECK(resp.product_count() == 3);
}

TEST_CASE("malformed import requests are INVALID_ARGUMENT") {
  Fixture f;
  kiosk::v1::ImportResponse resp;
  CHECK(f.import("", &resp).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(f.import(kGood, &resp, ImportRequest::MODE_FULL, ImportRequest::FORMAT_UNSPECIFIED).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(f.version().version() == 0);
}

TEST_CASE("the server answers grpc.health.v1 with SERVING") {
  Fixture f;
  auto health = grpc::health::v1::Health::NewStub(kiosk::make_unix_channel(f.dir.path() / "run" / "catalog.sock"));
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckResponse resp;
  REQUIRE(health->Check(&ctx, grpc::health::v1::HealthCheckRequest(), &resp).ok());
  CHECK(resp.status() == grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_CASE("a JSON Lines push is imported the same way") {
  Fixture f;
  kiosk::v1::ImportResponse resp;
  REQUIRE(
      f.import("{\"gtin\":\"7310865004703\",\"name_sv\":\"Mellanmjölk\",\"price_ore\":1695,\"vat_class\":\"food\"}\n",
               &resp, ImportRequest::MODE_FULL, ImportRequest::FORMAT_JSONL)
          .ok());
  CHECK(resp.applied());
  CHECK(resp.product_count() == 1);
  REQUIRE(
      f.import("{\"gtin\":\"7310865004704\"}\n", &resp, ImportRequest::MODE_FULL, ImportRequest::FORMAT_JSONL).ok());
  CHECK_FALSE(resp.applied());
  CHECK(resp.errors_size() == 4);  // check digit and three missing required fields
  CHECK(f.version().version() == 1);
}

TEST_CASE("lookup over gRPC returns the embedded weight and price of variable-measure and GS1 codes") {
  Fixture f;
  kiosk::v1::ImportResponse resp;
  REQUIRE(f.import("gtin,name_sv,name_en,price_ore,unit,vat_class\n"
                   "2312345000002,Skinka,Ham,24900,kg,food\n"
                   "7310865004703,Mellanmjölk 1 l,Milk 1 l,1695,each,food\n",
                   &resp)
              .ok());
  REQUIRE(resp.applied());

  kiosk::v1::LookupResponse ham;
  REQUIRE(f.lookup("2312345012340", &ham).ok());  // 1.234 kg of article 12345
  CHECK(ham.product().name_en() == "Ham");
  CHECK(ham.has_embedded_weight_mg());
  CHECK(ham.embedded_weight_mg() == 1'234'000);
  CHECK_FALSE(ham.has_embedded_price_ore());

  kiosk::v1::LookupResponse milk;
  REQUIRE(f.lookup("(01)07310865004703(3922)1995", &milk).ok());
  CHECK(milk.product().name_en() == "Milk 1 l");
  CHECK(milk.embedded_price_ore() == 1995);
  CHECK_FALSE(milk.has_embedded_weight_mg());

  kiosk::v1::LookupResponse plain;
  REQUIRE(f.lookup("7310865004703", &plain).ok());
  CHECK_FALSE(plain.has_embedded_price_ore());

  kiosk::v1::LookupResponse bad;
  const auto st = f.lookup("(01)07310865004703(3103)12", &bad);
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(st.error_message(), Catch::Contains("3103"));
}

TEST_CASE("versions over gRPC: list, diff, roll back to the old prices") {
  Fixture f;
  kiosk::v1::ImportResponse resp;
  REQUIRE(f.import(kGood, &resp).ok());
  REQUIRE(resp.applied());
  f.clock.advance(std::chrono::minutes(1));
  const std::string dearer =
      "gtin,name_sv,name_en,price_ore,unit,vat_class\n"
      "7310865004703,Mellanmjölk 1 l,Semi-skimmed milk 1 l,1995,each,food\n"
      "73101604,Tuggummi,Chewing gum,1495,each,food\n";
  REQUIRE(f.import(dearer, &resp).ok());
  REQUIRE(resp.applied());

  kiosk::v1::ListVersionsResponse list;
  {
    grpc::ClientContext ctx;
    REQUIRE(f.stub->ListVersions(&ctx, {}, &list).ok());
  }
  REQUIRE(list.versions_size() == 2);
  CHECK(list.versions(0).version() == 2);
  CHECK(list.versions(1).version() == 1);
  CHECK(list.versions(1).product_count() == 3);

  kiosk::v1::DiffVersionsRequest dreq;
  dreq.set_from_version(1);
  dreq.set_to_version(2);
  kiosk::v1::DiffVersionsResponse diff;
  {
    grpc::ClientContext ctx;
    REQUIRE(f.stub->DiffVersions(&ctx, dreq, &diff).ok());
  }
  CHECK(diff.added_size() == 0);
  REQUIRE(diff.removed_size() == 1);
  CHECK(diff.removed(0).gtin14() == "07310520001443");
  // The milk: a shorter Swedish name, a new price, no weights; its unit and VAT stay.
  REQUIRE(diff.changed_size() == 2);
  CHECK(diff.changed(0).after().gtin14() == "00000073101604");
  CHECK(diff.changed(1).after().gtin14() == "07310865004703");
  CHECK(diff.changed(1).before().price_ore() == 1695);
  CHECK(diff.changed(1).after().price_ore() == 1995);
  CHECK(std::vector<std::string>(diff.changed(1).fields().begin(), diff.changed(1).fields().end()) ==
        std::vector<std::string>{"name_sv", "price_ore", "expected_weight_mg", "weight_spread_mg"});

  kiosk::v1::RollbackRequest rreq;
  rreq.set_version(1);
  kiosk::v1::CatalogVersion now;
  {
    grpc::ClientContext ctx;
    REQUIRE(f.stub->Rollback(&ctx, rreq, &now).ok());
  }
  CHECK(now.version() == 3);
  kiosk::v1::LookupResponse milk;
  REQUIRE(f.lookup("7310865004703", &milk).ok());
  CHECK(milk.product().price_ore() == 1695);
  CHECK(milk.catalog_version() == 3);

  rreq.set_version(42);
  grpc::ClientContext ctx;
  const auto st = f.stub->Rollback(&ctx, rreq, &now);
  CHECK(st.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK_THAT(st.error_message(), Catch::Contains("42"));
}
