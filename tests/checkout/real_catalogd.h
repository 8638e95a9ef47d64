#pragma once
// The real catalogd for the lane's tests: its own process on `<dir>/catalog.sock` (beside the scripted
// peers), its database in `<dir>/catalogdata`, started, stopped, crashed and restarted by the test, and
// store IT's writes (products, promotions, stock counts) with the store-IT token.
#include <catch2/catch.hpp>

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "child_process.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"

namespace kiosk::checkout::test {

class RealCatalogd {
 public:
  static constexpr const char* kToken = "store-it-test-token";
  static constexpr const char* kTokenSha256 =
      "ac410f443ba557bb181e83200a3b52bcc561a944eb62f075d5a7afb964674928";  // of kToken

  explicit RealCatalogd(const std::filesystem::path& dir) : dir_(dir), config_(dir / "catalogd.toml") {
    std::ofstream(config_) << "[runtime]\ndir = \"" << dir.string() << "\"\ndata_dir = \""
                           << (dir / "catalogdata").string() << "\"\n[catalog]\ntoken_sha256 = \"" << kTokenSha256
                           << "\"\n";
  }
  void start() {
    proc_.emplace(std::vector<std::string>{KIOSK_BIN_DIR "/catalogd", "--config", config_.string()},
                  dir_ / "catalogd.log");
    REQUIRE(kiosk::wait_serving(dir_ / "catalog.sock", std::chrono::seconds(20)));
    stub_ = v1::Catalog::NewStub(kiosk::make_unix_channel(dir_ / "catalog.sock"));
  }
  // SIGTERM: catalogd exits 0.
  void stop() {
    REQUIRE(proc_);
    CHECK(proc_->stop() == 0);
    proc_.reset();
  }
  // kill -9: a crash.
  void crash() {
    REQUIRE(proc_);
    REQUIRE(proc_->kill9());
    proc_.reset();
  }
  void import_products(const std::string& csv) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", std::string("Bearer ") + kToken);
    v1::ImportRequest req;
    req.set_format(v1::ImportRequest::FORMAT_CSV);
    req.set_mode(v1::ImportRequest::MODE_FULL);
    req.set_data(csv);
    req.set_source_name("lane-test.csv");
    v1::ImportResponse resp;
    REQUIRE(stub_->Import(&ctx, req, &resp).ok());
    INFO((resp.errors_size() ? resp.errors(0).message() : std::string()));
    REQUIRE(resp.applied());
  }
  void push_promotions(const std::string& csv) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", std::string("Bearer ") + kToken);
    v1::PushPromotionsRequest req;
    req.set_format(v1::ImportRequest::FORMAT_CSV);
    req.set_data(csv);
    req.set_source_name("promotions.csv");
    v1::ImportResponse resp;
    REQUIRE(stub_->PushPromotions(&ctx, req, &resp).ok());
    INFO((resp.errors_size() ? resp.errors(0).column() + ": " + resp.errors(0).message() : std::string()));
    REQUIRE(resp.applied());
  }
  void set_stock(const std::string& gtin, std::int64_t n) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", std::string("Bearer ") + kToken);
    v1::SetStockRequest req;
    req.set_gtin(gtin);
    req.set_quantity(n);
    v1::StockLevel level;
    REQUIRE(stub_->SetStock(&ctx, req, &level).ok());
  }
  std::optional<std::int64_t> stock(const std::string& gtin) {
    grpc::ClientContext ctx;
    v1::GetStockRequest req;
    req.set_gtin(gtin);
    v1::StockLevel level;
    if (!stub_->GetStock(&ctx, req, &level).ok() || !level.has_quantity()) return std::nullopt;
    return level.quantity();
  }
  v1::Catalog::Stub& stub() { return *stub_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path config_;
  std::optional<kiosk::test::ChildProcess> proc_;
  std::unique_ptr<v1::Catalog::Stub> stub_;
};

}  // namespace kiosk::checkout::test
