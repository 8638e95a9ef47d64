#include "catalog_service.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "auth_check.h"
#include "catalog_proto.h"
#include "common/rpc.h"
#include "schedule.h"

namespace kiosk::catalog {
namespace {

constexpr std::size_t kDefaultSearchLimit = 20;
constexpr std::size_t kMaxSearchLimit = 200;
constexpr std::size_t kDefaultBrowsePage = 50;
constexpr std::size_t kMaxBrowsePage = 200;

}  // namespace

void to_proto(const Product& p, kiosk::v1::Product* out) {
  out->set_gtin14(p.gtin14);
  out->set_name_sv(p.name_sv);
  out->set_name_en(p.name_en);
  out->set_brand(p.brand);
  out->set_department(p.department);
  out->set_price_ore(p.price_ore);
  out->set_unit(static_cast<kiosk::v1::SaleUnit>(p.unit));
  out->set_vat_class(static_cast<kiosk::v1::VatClass>(p.vat_class));
  out->set_deposit_code(p.deposit_code);
  out->set_age_limit(p.age_limit);
  out->set_expected_weight_mg(p.expected_weight_mg);
  out->set_weight_spread_mg(p.weight_spread_mg);
  out->set_no_weigh(p.no_weigh);
  out->set_plu(p.plu);
  out->set_image(p.image);
  if (p.stock_quantity) out->set_stock_quantity(*p.stock_quantity);
  out->set_low_stock_threshold(p.low_stock_threshold);
  if (p.scheduled_price) {
    out->set_scheduled_price_ore(p.scheduled_price->price_ore);
    out->set_scheduled_price_from_unix_ms(p.scheduled_price->from_unix_ms);
  }
}

grpc::ServerUnaryReactor* CatalogService::Lookup(grpc::CallbackServerContext* ctx, const kiosk::v1::LookupRequest* req,
                                                 kiosk::v1::LookupResponse* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(lookup(req->code(), resp));
  return reactor;
}

grpc::Status CatalogService::lookup(const std::string& code, kiosk::v1::LookupResponse* resp) const {
  auto hit = store_.lookup(code);
  if (!hit) return to_grpc_status(hit.error());
  to_proto(hit->product, resp->mutable_product());
  resp->set_catalog_version(hit->catalog_version);
  if (hit->embedded_price_ore) resp->set_embedded_price_ore(*hit->embedded_price_ore);
  if (hit->embedded_weight_mg) resp->set_embedded_weight_mg(*hit->embedded_weight_mg);
  return grpc::Status::OK;
}

grpc::Status CatalogService::Search(grpc::ServerContext*, const kiosk::v1::SearchRequest* req,
                                    kiosk::v1::SearchResponse* resp) {
  std::size_t limit = req->limit() == 0 ? kDefaultSearchLimit : req->limit();
  limit = std::min(limit, kMaxSearchLimit);
  auto found = store_.search(req->query(), limit);
  if (!found) return to_grpc_status(found.error());
  const std::int64_t now = store_.now_unix_ms();
  for (const auto& p : *found) to_proto(served_at(p, now), resp->add_products());
  return grpc::Status::OK;
}

grpc::Status CatalogService::ListDepartments(grpc::ServerContext*, const kiosk::v1::ListDepartmentsRequest*,
                                             kiosk::v1::ListDepartmentsResponse* resp) {
  resp->set_catalog_version(store_.version().version);
  for (const auto& d : store_.departments()) {
    auto* pd = resp->add_departments();
    pd->set_name(d.name);
    pd->set_product_count(d.product_count);
    pd->set_with_image_count(d.with_image_count);
  }
  return grpc::Status::OK;
}

grpc::Status CatalogService::Browse(grpc::ServerContext*, const kiosk::v1::BrowseRequest* req,
                                    kiosk::v1::BrowseResponse* resp) {
  // The page token is the position of the page's first product ("p<offset>").
  std::size_t offset = 0;
  if (!req->page_token().empty()) {
    const std::string& t = req->page_token();
    const auto [end, ec] = std::from_chars(t.data() + 1, t.data() + t.size(), offset);
    if (t[0] != 'p' || ec != std::errc() || end != t.data() + t.size()) {
      return to_grpc_status(invalid_argument(
          fmt::format("browse: page_token '{}' is not one this service gave (pass next_page_token as is)", t)));
    }
  }
  std::size_t limit = req->page_size() == 0 ? kDefaultBrowsePage : req->page_size();
  limit = std::min(limit, kMaxBrowsePage);
  auto page = store_.browse(req->department(), req->images_only(), offset, limit);
  if (!page) return to_grpc_status(page.error());
  for (const auto& p : page->products) to_proto(p, resp->add_products());
  resp->set_total(page->total);
  resp->set_catalog_version(page->catalog_version);
  if (offset + page->products.size() < page->total) {
    resp->set_next_page_token(fmt::format("p{}", offset + page->products.size()));
  }
  return grpc::Status::OK;
}

grpc::Status CatalogService::authorize_write(const grpc::ServerContext& ctx, std::string_view what) const {
  if (!writes_) return grpc::Status::OK;
  return authorize_store_it(*writes_, ctx, what);
}

grpc::Status CatalogService::Import(grpc::ServerContext* ctx, const kiosk::v1::ImportRequest* req,
                                    kiosk::v1::ImportResponse* resp) {
  if (auto st = authorize_write(*ctx, "catalog import"); !st.ok()) return st;
  return import_data(*req, resp);
}

grpc::Status CatalogService::ImportStream(grpc::ServerContext* ctx,
                                          grpc::ServerReader<kiosk::v1::ImportRequest>* reader,
                                          kiosk::v1::ImportResponse* resp) {
  // Refused before a byte of the push is read.
  if (auto st = authorize_write(*ctx, "catalog import"); !st.ok()) return st;
  kiosk::v1::ImportRequest whole;
  kiosk::v1::ImportRequest piece;
  bool first = true;
  while (reader->Read(&piece)) {
    if (first) {
      whole.set_format(piece.format());
      whole.set_mode(piece.mode());
      whole.set_source_name(piece.source_name());
      first = false;
    }
    if (whole.data().size() + piece.data().size() > static_cast<std::size_t>(kMaxCatalogMessageBytes)) {
      return to_grpc_status(invalid_argument(
          fmt::format("import: the push is larger than {} MB; nothing imported", kMaxCatalogMessageBytes >> 20)));
    }
    whole.mutable_data()->append(piece.data());
  }
  if (ctx->IsCancelled()) return {grpc::StatusCode::CANCELLED, "import: the sender cancelled the push"};
  return import_data(whole, resp);
}

grpc::Status CatalogService::import_data(const kiosk::v1::ImportRequest& request, kiosk::v1::ImportResponse* resp) {
  const kiosk::v1::ImportRequest* req = &request;
  if (req->data().empty()) {
    return to_grpc_status(invalid_argument("import: no data (the file to push goes in ImportRequest.data)"));
  }
  InputFormat format = InputFormat::kCsv;
  switch (req->format()) {
    case kiosk::v1::ImportRequest::FORMAT_CSV:
      format = InputFormat::kCsv;
      break;
    case kiosk::v1::ImportRequest::FORMAT_JSONL:
      format = InputFormat::kJsonl;
      break;
    default:
      return to_grpc_status(
          invalid_argument(fmt::format("import: format {} is not supported (use FORMAT_CSV or FORMAT_JSONL)",
                                       kiosk::v1::ImportRequest::Format_Name(req->format()))));
  }
  ImportMode mode = ImportMode::kFull;
  switch (req->mode()) {
    case kiosk::v1::ImportRequest::MODE_UNSPECIFIED:  // a full push is the safe reading of "unspecified"
    case kiosk::v1::ImportRequest::MODE_FULL:
      mode = ImportMode::kFull;
      break;
    case kiosk::v1::ImportRequest::MODE_DELTA:
      mode = ImportMode::kDelta;
      break;
    default:
      return to_grpc_status(invalid_argument(fmt::format("import: unknown mode {}", req->mode())));
  }
  auto outcome = store_.import_text(req->data(), format, mode, req->source_name());
  if (!outcome) {
    spdlog::error("import of {} failed: {}", req->source_name(), outcome.message());
    return to_grpc_status(outcome.error());
  }
  to_proto(*outcome, resp);
  if (outcome->applied) {
    spdlog::info("imported {} as version {} ({} products)", req->source_name(), outcome->version.version,
                 outcome->version.product_count);
  } else {
    spdlog::warn("rejected import of {}: {} errors, version {} still served", req->source_name(),
                 outcome->errors.size(), outcome->version.version);
  }
  return grpc::Status::OK;
}

grpc::Status CatalogService::GetVersion(grpc::ServerContext*, const kiosk::v1::GetVersionRequest*,
                                        kiosk::v1::CatalogVersion* resp) {
  to_proto(store_.version(), resp);
  const std::int64_t now = store_.now_unix_ms();
  for (const std::int64_t t : resp->price_change_unix_ms()) {
    if (t > now) {
      resp->set_next_price_change_unix_ms(t);
      break;
    }
  }
  return grpc::Status::OK;
}

}  // namespace kiosk::catalog

namespace kiosk::catalog {

grpc::Status CatalogService::ListVersions(grpc::ServerContext*, const kiosk::v1::ListVersionsRequest*,
                                          kiosk::v1::ListVersionsResponse* resp) {
  auto versions = store_.versions();
  if (!versions) return to_grpc_status(versions.error());
  for (const auto& v : *versions) to_proto(v, resp->add_versions());
  return grpc::Status::OK;
}

grpc::Status CatalogService::DiffVersions(grpc::ServerContext*, const kiosk::v1::DiffVersionsRequest* req,
                                          kiosk::v1::DiffVersionsResponse* resp) {
  auto d = store_.diff(req->from_version(), req->to_version());
  if (!d) return to_grpc_status(d.error());
  resp->set_from_version(d->from_version);
  resp->set_to_version(d->to_version);
  for (const auto& p : d->added) to_proto(p, resp->add_added());
  for (const auto& p : d->removed) to_proto(p, resp->add_removed());
  for (const auto& c : d->changed) {
    auto* pc = resp->add_changed();
    to_proto(c.before, pc->mutable_before());
    to_proto(c.after, pc->mutable_after());
    for (const auto& f : c.fields) pc->add_fields(f);
  }
  return grpc::Status::OK;
}

grpc::Status CatalogService::Rollback(grpc::ServerContext* ctx, const kiosk::v1::RollbackRequest* req,
                                      kiosk::v1::CatalogVersion* resp) {
  if (auto st = authorize_write(*ctx, "catalog rollback"); !st.ok()) return st;
  auto v = store_.rollback(req->version());
  if (!v) {
    spdlog::warn("rollback to version {} refused: {}", req->version(), v.message());
    return to_grpc_status(v.error());
  }
  spdlog::info("rolled back to version {}: now version {} ({} products)", req->version(), v->version, v->product_count);
  to_proto(*v, resp);
  return grpc::Status::OK;
}

}  // namespace kiosk::catalog
