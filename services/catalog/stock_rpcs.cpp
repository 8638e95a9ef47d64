// kiosk.v1.Catalog stock RPCs: messages to and from the stock ledger's structs.
#include <spdlog/spdlog.h>

#include "catalog_service.h"
#include "common/gtin.h"
#include "common/rpc.h"

namespace kiosk::catalog {
namespace {

void to_proto(const StockLevel& s, kiosk::v1::StockLevel* out) {
  out->set_gtin14(s.gtin14);
  if (s.quantity) out->set_quantity(*s.quantity);
  out->set_low_stock_threshold(s.low_stock_threshold);
  out->set_low(s.low());
}

void to_proto(const StockEvent& e, kiosk::v1::StockEvent* out) {
  out->set_gtin14(e.gtin14);
  out->set_name_sv(e.name_sv);
  out->set_quantity(e.quantity);
  out->set_low_stock_threshold(e.low_stock_threshold);
  out->set_unix_ms(e.unix_ms);
  out->set_cause(e.cause);
}

// Any GTIN form (EAN-8 before UPC-E for 8 digits, as lookups do).
Result<std::string> gtin_of(const std::string& code) {
  auto g = normalize_gtin(code);
  if (!g && code.size() == 8) {
    if (auto upce = normalize_gtin(code, true)) return *upce;
  }
  return g;
}

}  // namespace

grpc::Status CatalogService::RecordSale(grpc::ServerContext*, const kiosk::v1::RecordSaleRequest* req,
                                        kiosk::v1::RecordSaleResponse* resp) {
  std::vector<SaleLine> lines;
  for (const auto& l : req->lines()) {
    auto g = gtin_of(l.gtin14());
    if (!g) {
      return to_grpc_status(
          invalid_argument(fmt::format("receipt {} line {}: {}", req->receipt_number(), l.line(), g.message())));
    }
    lines.push_back({l.line(), *g, l.quantity(), l.weight_mg()});
  }
  auto out = store_.stock().record_sale(req->receipt_number(), lines);
  if (!out) return to_grpc_status(out.error());
  for (const auto& o : *out) {
    auto* r = resp->add_lines();
    r->set_line(o.line);
    r->set_already_recorded(o.already_recorded);
    if (o.quantity) r->set_quantity(*o.quantity);
  }
  return grpc::Status::OK;
}

grpc::Status CatalogService::SetStock(grpc::ServerContext* ctx, const kiosk::v1::SetStockRequest* req,
                                      kiosk::v1::StockLevel* resp) {
  if (auto st = authorize_write(*ctx, "stock count"); !st.ok()) return st;
  auto g = gtin_of(req->gtin());
  if (!g) return to_grpc_status(g.error());
  auto level = store_.stock().set(*g, req->quantity());
  if (!level) return to_grpc_status(level.error());
  spdlog::info("stock of {} set to {}", *g, req->quantity());
  to_proto(*level, resp);
  return grpc::Status::OK;
}

grpc::Status CatalogService::GetStock(grpc::ServerContext*, const kiosk::v1::GetStockRequest* req,
                                      kiosk::v1::StockLevel* resp) {
  auto g = gtin_of(req->gtin());
  if (!g) return to_grpc_status(g.error());
  auto level = store_.stock().get(*g);
  if (!level) return to_grpc_status(level.error());
  to_proto(*level, resp);
  return grpc::Status::OK;
}

grpc::Status CatalogService::WatchStock(grpc::ServerContext* ctx, const kiosk::v1::WatchStockRequest* req,
                                        grpc::ServerWriter<kiosk::v1::StockEvent>* writer) {
  StockLedger& ledger = store_.stock();
  std::uint64_t seen = ledger.last_seq();  // taken before the current list, so nothing falls between
  if (req->include_current()) {
    auto low = ledger.low_now();
    if (!low) return to_grpc_status(low.error());
    for (const auto& e : *low) {
      kiosk::v1::StockEvent msg;
      to_proto(e, &msg);
      if (!writer->Write(msg)) return grpc::Status::OK;
    }
  }
  // Wake often enough to notice a cancelled client or a shutdown (stop(), or the store's ledger) promptly.
  while (!ctx->IsCancelled() && !ledger.stopped() && !wait_stopped(std::chrono::milliseconds(0))) {
    for (const auto& e : ledger.wait_after(seen, std::chrono::milliseconds(200))) {
      kiosk::v1::StockEvent msg;
      to_proto(e, &msg);
      if (!writer->Write(msg)) return grpc::Status::OK;
      seen = e.seq;
    }
  }
  return grpc::Status::OK;
}

}  // namespace kiosk::catalog
