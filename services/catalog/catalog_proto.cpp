#include "catalog_proto.h"

namespace kiosk::catalog {

void to_proto(const VersionInfo& v, kiosk::v1::CatalogVersion* out) {
  out->set_version(v.version);
  out->set_product_count(v.product_count);
  out->set_applied_unix_ms(v.applied_unix_ms);
  out->set_source_name(v.source_name);
  out->set_promotion_count(v.promotion_count);
  out->set_scheduled_price_count(v.scheduled_price_count);
  for (const std::int64_t t : v.price_change_unix_ms) out->add_price_change_unix_ms(t);
}

void to_proto(const ImportOutcome& o, kiosk::v1::ImportResponse* out) {
  out->set_applied(o.applied);
  out->set_version(o.version.version);
  out->set_product_count(o.version.product_count);
  for (const auto& e : o.errors) {
    auto* pe = out->add_errors();
    pe->set_line(e.line);
    pe->set_column(e.column);
    pe->set_message(e.message);
  }
}

}  // namespace kiosk::catalog
