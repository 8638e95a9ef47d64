// kiosk.v1.Catalog promotions, pricing and VAT RPCs: messages to and from the core's structs.
#include <spdlog/spdlog.h>

#include "catalog_proto.h"
#include "catalog_service.h"
#include "common/gtin.h"
#include "common/rpc.h"
#include "common/stockholm_time.h"
#include "common/vat.h"

namespace kiosk::catalog {
namespace {

void to_proto(const Promotion& p, kiosk::v1::Promotion* out) {
  out->set_id(p.id);
  out->set_kind(static_cast<kiosk::v1::PromotionKind>(p.kind));
  out->set_name_sv(p.name_sv);
  out->set_receipt_text(receipt_text(p));
  for (const auto& g : p.gtins) out->add_gtins(g);
  out->set_quantity(p.quantity);
  out->set_pay_quantity(p.pay_quantity);
  out->set_price_ore(p.price_ore);
  out->set_from_unix_ms(p.from_unix_ms);
  out->set_until_unix_ms(p.until_unix_ms);
  out->set_members_only(p.members_only);
}

}  // namespace

grpc::Status CatalogService::PushPromotions(grpc::ServerContext* ctx, const kiosk::v1::PushPromotionsRequest* req,
                                            kiosk::v1::ImportResponse* resp) {
  if (auto st = authorize_write(*ctx, "promotions push"); !st.ok()) return st;
  InputFormat format = InputFormat::kCsv;
  switch (req->format()) {
    case kiosk::v1::ImportRequest::FORMAT_CSV:
      break;
    case kiosk::v1::ImportRequest::FORMAT_JSONL:
      format = InputFormat::kJsonl;
      break;
    default:
      return to_grpc_status(invalid_argument("promotions push: format must be FORMAT_CSV or FORMAT_JSONL"));
  }
  auto outcome = store_.push_promotions(req->data(), format, req->source_name());
  if (!outcome) {
    spdlog::error("promotions push {} failed: {}", req->source_name(), outcome.message());
    return to_grpc_status(outcome.error());
  }
  to_proto(*outcome, resp);
  if (outcome->applied) {
    spdlog::info("promotions {} applied as version {} ({} promotions)", req->source_name(), outcome->version.version,
                 outcome->version.promotion_count);
  } else {
    spdlog::warn("rejected promotions push {}: {} errors", req->source_name(), outcome->errors.size());
  }
  return grpc::Status::OK;
}

grpc::Status CatalogService::ListPromotions(grpc::ServerContext*, const kiosk::v1::ListPromotionsRequest*,
                                            kiosk::v1::ListPromotionsResponse* resp) {
  resp->set_catalog_version(store_.version().version);
  auto promos = store_.promotions();
  if (!promos) return to_grpc_status(promos.error());
  for (const auto& p : *promos) to_proto(p, resp->add_promotions());
  return grpc::Status::OK;
}

grpc::Status CatalogService::PriceBasket(grpc::ServerContext*, const kiosk::v1::PriceBasketRequest* req,
                                         kiosk::v1::PriceBasketResponse* resp) {
  std::vector<BasketLine> lines;
  lines.reserve(static_cast<std::size_t>(req->lines_size()));
  for (const auto& l : req->lines()) {
    BasketLine line;
    // Any GTIN form; a malformed one is reported by validate_basket with its line.
    auto g = normalize_gtin(l.gtin14());
    line.gtin14 = g ? *g : l.gtin14();
    line.quantity = l.quantity();
    line.weight_mg = l.weight_mg();
    line.unit_price_ore = l.unit_price_ore();
    lines.push_back(std::move(line));
  }
  const std::int64_t at = req->at_unix_ms() != 0 ? req->at_unix_ms() : store_.now_unix_ms();
  auto priced = store_.price_basket(lines, at, req->member());
  if (!priced) return to_grpc_status(priced.error());
  for (const auto& d : priced->pricing.discounts) {
    auto* pd = resp->add_discounts();
    pd->set_line(static_cast<std::uint32_t>(d.line));
    pd->set_promotion_id(d.promotion_id);
    pd->set_text(d.text);
    pd->set_discount_ore(d.discount_ore);
  }
  resp->set_total_discount_ore(priced->pricing.total_discount_ore);
  resp->set_catalog_version(priced->catalog_version);
  resp->set_at_unix_ms(at);
  return grpc::Status::OK;
}

grpc::Status CatalogService::GetVatRates(grpc::ServerContext*, const kiosk::v1::GetVatRatesRequest* req,
                                         kiosk::v1::GetVatRatesResponse* resp) {
  static const VatTable table = VatTable::swedish();
  const std::int64_t at = req->at_unix_ms() != 0 ? req->at_unix_ms() : store_.now_unix_ms();
  resp->set_at_unix_ms(at);
  const int c = static_cast<int>(req->vat_class());
  if (c < 0 || c > 4) return to_grpc_status(invalid_argument(fmt::format("unknown VAT class {}", c)));
  for (int k = 1; k <= 4; ++k) {
    if (c != 0 && k != c) continue;
    auto rate = table.rate_bp(static_cast<VatClass>(k), stockholm_day_from_unix_ms(at));
    if (!rate) return to_grpc_status(rate.error());
    auto* r = resp->add_rates();
    r->set_vat_class(static_cast<kiosk::v1::VatClass>(k));
    r->set_rate_bp(*rate);
  }
  return grpc::Status::OK;
}

}  // namespace kiosk::catalog
