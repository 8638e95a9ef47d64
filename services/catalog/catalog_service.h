#pragma once
// kiosk.v1.Catalog over gRPC: converts messages to and from the core's structs and Errors to
// grpc::Status. No catalog logic lives here.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "auth_token.h"
#include "catalog_store.h"
#include "kiosk/v1/catalog.grpc.pb.h"

namespace kiosk::catalog {

class LookupStreamReactor;

void to_proto(const Product& p, kiosk::v1::Product* out);

// Largest gRPC message the catalog takes and its clients accept: a million-product push is ~120 MB
// (gRPC's default limit is 4 MB).
inline constexpr int kMaxCatalogMessageBytes = 512 * 1024 * 1024;

// Lookup uses gRPC's callback API: the handler runs on the thread that read the request, where the
// synchronous API hands every call to a worker thread (two thread wake-ups per lookup; perf showed the
// scheduler, not the store, dominating lookup time). A lookup never blocks, so running it inline is safe.
// LookupStream too (lookup_stream_rpc.cpp): each request is answered from OnReadDone on the thread that
// read it, so a streamed lookup costs no thread hop on the server.
class CatalogService final : public kiosk::v1::Catalog::WithCallbackMethod_Lookup<
                                 kiosk::v1::Catalog::WithCallbackMethod_LookupStream<kiosk::v1::Catalog::Service>> {
 public:
  // `writes`: the store-IT token that write RPCs (those marked store_it_write in catalog.proto) need.
  // catalogd always passes one (an unconfigured verifier refuses every write); std::nullopt means no
  // check, for in-process embeddings that own their socket (tests, benchmarks).
  explicit CatalogService(CatalogStore& store, std::optional<TokenVerifier> writes = std::nullopt)
      : store_(store), writes_(std::move(writes)) {}

  // Every write handler starts with this: OK, or the status to return (nothing is changed then).
  grpc::Status authorize_write(const grpc::ServerContext& ctx, std::string_view what) const;
  // Ends open WatchVersions/FetchVersion/LookupStream streams promptly (before the server shuts down);
  // LookupStreams opened afterwards end at once. Both with UNAVAILABLE.
  void stop();
  // LookupStreams open now (tests wait on it to see a stream end on the server's side).
  std::size_t open_lookup_streams();

  grpc::ServerUnaryReactor* Lookup(grpc::CallbackServerContext* ctx, const kiosk::v1::LookupRequest* req,
                                   kiosk::v1::LookupResponse* resp) override;
  grpc::ServerBidiReactor<kiosk::v1::LookupStreamRequest, kiosk::v1::LookupStreamResponse>* LookupStream(
      grpc::CallbackServerContext* ctx) override;
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
  grpc::Status ImportStream(grpc::ServerContext* ctx, grpc::ServerReader<kiosk::v1::ImportRequest>* reader,
                            kiosk::v1::ImportResponse* resp) override;
  // For followers (follower_rpcs.cpp).
  grpc::Status WatchVersions(grpc::ServerContext* ctx, const kiosk::v1::WatchVersionsRequest* req,
                             grpc::ServerWriter<kiosk::v1::CatalogVersion>* writer) override;
  grpc::Status FetchVersion(grpc::ServerContext* ctx, const kiosk::v1::FetchVersionRequest* req,
                            grpc::ServerWriter<kiosk::v1::VersionChunk>* writer) override;
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
  // Lookup's and LookupStream's one code path.
  grpc::Status lookup(const std::string& code, kiosk::v1::LookupResponse* resp) const;
  grpc::Status import_data(const kiosk::v1::ImportRequest& req, kiosk::v1::ImportResponse* resp);
  // Waits up to `timeout` for stop(); true once stopped.
  bool wait_stopped(std::chrono::milliseconds timeout);

  friend class LookupStreamReactor;
  // A reactor leaves the set in its OnDone, just before it is deleted.
  void forget_stream(LookupStreamReactor* r);

  CatalogStore& store_;
  const std::optional<TokenVerifier> writes_;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopped_ = false;                              // guarded by stop_mu_
  std::unordered_set<LookupStreamReactor*> streams_;  // open LookupStreams, guarded by stop_mu_
};

}  // namespace kiosk::catalog
