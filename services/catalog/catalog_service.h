#pragma once
// kiosk.v1.Catalog over gRPC: converts messages to and from the core's structs and Errors to
// grpc::Status. No catalog logic lives here.
#include "catalog_store.h"
#include "kiosk/v1/catalog.grpc.pb.h"

namespace kiosk::catalog {

void to_proto(const Product& p, kiosk::v1::Product* out);

// Largest gRPC message the catalog takes and its clients accept: a million-product push is ~120 MB
// (gRPC's default limit is 4 MB).
inline constexpr int kMaxCatalogMessageBytes = 512 * 1024 * 1024;

class CatalogService final : public kiosk::v1::Catalog::Service {
 public:
  explicit CatalogService(CatalogStore& store) : store_(store) {}

  grpc::Status Lookup(grpc::ServerContext* ctx, const kiosk::v1::LookupRequest* req,
                      kiosk::v1::LookupResponse* resp) override;
  grpc::Status Search(grpc::ServerContext* ctx, const kiosk::v1::SearchRequest* req,
                      kiosk::v1::SearchResponse* resp) override;
  grpc::Status ListDepartments(grpc::ServerContext* ctx, const kiosk::v1::ListDepartmentsRequest* req,
                               kiosk::v1::ListDepartmentsResponse* resp) override;
  grpc::Status Browse(grpc::ServerContext* ctx, const kiosk::v1::BrowseRequest* req,
                      kiosk::v1::BrowseResponse* resp) override;
  // A rejected push is OK with applied = false and every error listed; a malformed request (no data,
  // unknown format) is INVALID_ARGUMENT.
  grpc::Status Import(grpc::ServerContext* ctx, const kiosk::v1::ImportRequest* req,
                      kiosk::v1::ImportResponse* resp) override;
  grpc::Status GetVersion(grpc::ServerContext* ctx, const kiosk::v1::GetVersionRequest* req,
                          kiosk::v1::CatalogVersion* resp) override;
  grpc::Status ListVersions(grpc::ServerContext* ctx, const kiosk::v1::ListVersionsRequest* req,
                            kiosk::v1::ListVersionsResponse* resp) override;
  grpc::Status DiffVersions(grpc::ServerContext* ctx, const kiosk::v1::DiffVersionsRequest* req,
                            kiosk::v1::DiffVersionsResponse* resp) override;
  grpc::Status Rollback(grpc::ServerContext* ctx, const kiosk::v1::RollbackRequest* req,
                        kiosk::v1::CatalogVersion* resp) override;
  // Promotions, pricing and VAT (pricing_rpcs.cpp).
  grpc::Status PushPromotions(grpc::ServerContext* ctx, const kiosk::v1::PushPromotionsRequest* req,
                              kiosk::v1::ImportResponse* resp) override;
  grpc::Status ListPromotions(grpc::ServerContext* ctx, const kiosk::v1::ListPromotionsRequest* req,
                              kiosk::v1::ListPromotionsResponse* resp) override;
  grpc::Status PriceBasket(grpc::ServerContext* ctx, const kiosk::v1::PriceBasketRequest* req,
                           kiosk::v1::PriceBasketResponse* resp) override;
  grpc::Status GetVatRates(grpc::ServerContext* ctx, const kiosk::v1::GetVatRatesRequest* req,
                           kiosk::v1::GetVatRatesResponse* resp) override;
  // Stock (stock_rpcs.cpp).
  grpc::Status RecordSale(grpc::ServerContext* ctx, const kiosk::v1::RecordSaleRequest* req,
                          kiosk::v1::RecordSaleResponse* resp) override;
  grpc::Status SetStock(grpc::ServerContext* ctx, const kiosk::v1::SetStockRequest* req,
                        kiosk::v1::StockLevel* resp) override;
  grpc::Status GetStock(grpc::ServerContext* ctx, const kiosk::v1::GetStockRequest* req,
                        kiosk::v1::StockLevel* resp) override;
  grpc::Status WatchStock(grpc::ServerContext* ctx, const kiosk::v1::WatchStockRequest* req,
                          grpc::ServerWriter<kiosk::v1::StockEvent>* writer) override;

 private:
  CatalogStore& store_;
};

}  // namespace kiosk::catalog
