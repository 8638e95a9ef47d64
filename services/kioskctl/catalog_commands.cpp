#include <fmt/format.h>
#include <fmt/ostream.h>
#include <grpcpp/grpcpp.h>
#include <chrono>
#include <fstream>
#include <iterator>
#include <ostream>

#include "commands.h"
#include "common/money.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"

namespace kiosk::ctl {
namespace {

using kiosk::v1::Catalog;

void set_deadline(grpc::ClientContext& ctx, std::chrono::seconds s) {
  ctx.set_deadline(std::chrono::system_clock::now() + s);
}

std::string price_text(const kiosk::v1::Product& p) {
  return format_ore(p.price_ore()) + (p.unit() == kiosk::v1::SALE_UNIT_PER_KG ? " kr/kg" : " kr");
}

std::string_view vat_name(kiosk::v1::VatClass c) {
  switch (c) {
    case kiosk::v1::VAT_CLASS_STANDARD:
      return "standard";
    case kiosk::v1::VAT_CLASS_FOOD:
      return "food";
    case kiosk::v1::VAT_CLASS_REDUCED:
      return "reduced";
    case kiosk::v1::VAT_CLASS_EXEMPT:
      return "exempt";
    default:
      return "unspecified";
  }
}

std::string utc_text(std::int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// One field of a product as text, for diff lines.
std::string field_text(const kiosk::v1::Product& p, std::string_view field) {
  if (field == "name_sv") return p.name_sv();
  if (field == "name_en") return p.name_en();
  if (field == "brand") return p.brand();
  if (field == "department") return p.department();
  if (field == "price_ore") return std::to_string(p.price_ore());
  if (field == "unit") return p.unit() == kiosk::v1::SALE_UNIT_PER_KG ? "kg" : "each";
  if (field == "vat_class") return std::string(vat_name(p.vat_class()));
  if (field == "deposit_code") return p.deposit_code();
  if (field == "age_limit") return std::to_string(p.age_limit());
  if (field == "expected_weight_mg") return std::to_string(p.expected_weight_mg());
  if (field == "weight_spread_mg") return std::to_string(p.weight_spread_mg());
  if (field == "no_weigh") return p.no_weigh() ? "1" : "0";
  if (field == "plu") return p.plu();
  if (field == "image") return p.image();
  return p.gtin14();
}

}  // namespace

int catalog_versions(const Connection& conn, std::ostream& out, std::ostream& err) {
  return for_each_kiosk(conn, out, err, [&](const KioskTarget& k, std::ostream&, std::ostream&) {
    kiosk::v1::ListVersionsResponse resp;
    grpc::ClientContext ctx;
    add_token(ctx, conn);
    set_deadline(ctx, std::chrono::seconds(5));
    const grpc::Status s = Catalog::NewStub(k.channel)->ListVersions(&ctx, kiosk::v1::ListVersionsRequest(), &resp);
    if (!s.ok()) return rpc_failed(s, k, err);
    if (resp.versions().empty()) out << "no versions: nothing imported yet\n";
    bool first = true;
    for (const auto& v : resp.versions()) {
      out << fmt::format("{} {:>6}  {:>8} products  {}  {}\n", first ? '*' : ' ', v.version(), v.product_count(),
                         utc_text(v.applied_unix_ms()), v.source_name());
      first = false;
    }
    return 0;
  });
}

int catalog_diff(const Connection& conn, std::uint64_t from, std::uint64_t to, std::ostream& out, std::ostream& err) {
  return for_each_kiosk(conn, out, err, [&](const KioskTarget& k, std::ostream&, std::ostream&) {
    kiosk::v1::DiffVersionsRequest req;
    req.set_from_version(from);
    req.set_to_version(to);
    kiosk::v1::DiffVersionsResponse resp;
    grpc::ClientContext ctx;
    add_token(ctx, conn);
    set_deadline(ctx, std::chrono::seconds(120));  // a million products are compared
    const grpc::Status s = Catalog::NewStub(k.channel)->DiffVersions(&ctx, req, &resp);
    if (!s.ok()) return rpc_failed(s, k, err);
    for (const auto& p : resp.added()) out << fmt::format("+ {}  {}  {}\n", p.gtin14(), p.name_sv(), price_text(p));
    for (const auto& p : resp.removed()) out << fmt::format("- {}  {}  {}\n", p.gtin14(), p.name_sv(), price_text(p));
    for (const auto& c : resp.changed()) {
      std::string what;
      for (const auto& f : c.fields()) {
        what += fmt::format("{}{} {} -> {}", what.empty() ? "" : ", ", f, field_text(c.before(), f),
                            field_text(c.after(), f));
      }
      out << fmt::format("~ {}  {}: {}\n", c.after().gtin14(), c.after().name_sv(), what);
    }
    out << fmt::format("version {} -> {}: {} added, {} removed, {} changed\n", from, to, resp.added_size(),
                       resp.removed_size(), resp.changed_size());
    return 0;
  });
}

int catalog_rollback(const Connection& conn, std::uint64_t version, std::ostream& out, std::ostream& err) {
  return for_each_kiosk(conn, out, err, [&](const KioskTarget& k, std::ostream&, std::ostream&) {
    kiosk::v1::RollbackRequest req;
    req.set_version(version);
    kiosk::v1::CatalogVersion resp;
    grpc::ClientContext ctx;
    add_token(ctx, conn);
    set_deadline(ctx, std::chrono::seconds(120));  // the whole version is copied and written synced
    const grpc::Status s = Catalog::NewStub(k.channel)->Rollback(&ctx, req, &resp);
    if (!s.ok()) return rpc_failed(s, k, err);
    out << fmt::format("version {}: {} products ({})\n", resp.version(), resp.product_count(), resp.source_name());
    return 0;
  });
}

int catalog_get(const Connection& conn, std::string_view code, std::ostream& out, std::ostream& err) {
  return for_each_kiosk(conn, out, err, [&](const KioskTarget& k, std::ostream&, std::ostream&) {
    kiosk::v1::LookupRequest req;
    req.set_code(std::string(code));
    kiosk::v1::LookupResponse resp;
    grpc::ClientContext ctx;
    add_token(ctx, conn);
    set_deadline(ctx, std::chrono::seconds(5));
    const grpc::Status s = Catalog::NewStub(k.channel)->Lookup(&ctx, req, &resp);
    if (!s.ok()) return rpc_failed(s, k, err);
    const auto& p = resp.product();
    out << fmt::format("gtin14              {}\n", p.gtin14());
    out << fmt::format("name_sv             {}\n", p.name_sv());
    out << fmt::format("name_en             {}\n", p.name_en());
    out << fmt::format("brand               {}\n", p.brand());
    out << fmt::format("department          {}\n", p.department());
    out << fmt::format("price               {} ({} öre)\n", price_text(p), p.price_ore());
    out << fmt::format("unit                {}\n", p.unit() == kiosk::v1::SALE_UNIT_PER_KG ? "kg" : "each");
    out << fmt::format("vat_class           {}\n", vat_name(p.vat_class()));
    out << fmt::format("deposit_code        {}\n", p.deposit_code());
    out << fmt::format("age_limit           {}\n", p.age_limit());
    out << fmt::format("expected_weight_mg  {}\n", p.expected_weight_mg());
    out << fmt::format("weight_spread_mg    {}\n", p.weight_spread_mg());
    out << fmt::format("no_weigh            {}\n", p.no_weigh() ? 1 : 0);
    out << fmt::format("plu                 {}\n", p.plu());
    out << fmt::format("image               {}\n", p.image());
    out << fmt::format("catalog_version     {}\n", resp.catalog_version());
    return 0;
  });
}

int catalog_search(const Connection& conn, std::string_view text, unsigned limit, std::ostream& out,
                   std::ostream& err) {
  return for_each_kiosk(conn, out, err, [&](const KioskTarget& k, std::ostream&, std::ostream&) {
    kiosk::v1::SearchRequest req;
    req.set_query(std::string(text));
    req.set_limit(limit);
    kiosk::v1::SearchResponse resp;
    grpc::ClientContext ctx;
    add_token(ctx, conn);
    set_deadline(ctx, std::chrono::seconds(5));
    const grpc::Status s = Catalog::NewStub(k.channel)->Search(&ctx, req, &resp);
    if (!s.ok()) return rpc_failed(s, k, err);
    for (const auto& p : resp.products()) {
      out << fmt::format("{}  {:>14}  {} / {}\n", p.gtin14(), price_text(p), p.name_sv(), p.name_en());
    }
    if (resp.products().empty()) err << fmt::format("kioskctl: no product matches '{}'\n", text);
    return resp.products().empty() ? 1 : 0;
  });
}

int catalog_version(const Connection& conn, std::ostream& out, std::ostream& err) {
  return for_each_kiosk(conn, out, err, [&](const KioskTarget& k, std::ostream&, std::ostream&) {
    kiosk::v1::CatalogVersion resp;
    grpc::ClientContext ctx;
    add_token(ctx, conn);
    set_deadline(ctx, std::chrono::seconds(5));
    const grpc::Status s = Catalog::NewStub(k.channel)->GetVersion(&ctx, kiosk::v1::GetVersionRequest(), &resp);
    if (!s.ok()) return rpc_failed(s, k, err);
    if (resp.version() == 0) {
      out << "version 0: nothing imported yet\n";
    } else {
      out << fmt::format("version {}: {} products, applied {} from {}\n", resp.version(), resp.product_count(),
                         utc_text(resp.applied_unix_ms()), resp.source_name());
    }
    return 0;
  });
}

}  // namespace kiosk::ctl
