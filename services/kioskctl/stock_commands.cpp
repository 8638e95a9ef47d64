// kioskctl catalog stock get|set|watch: store IT's view of the stock counts (3b's Catalog stock RPCs).
#include <fmt/format.h>
#include <grpcpp/grpcpp.h>

#include <ctime>
#include <ostream>

#include "commands.h"
#include "kiosk/v1/catalog.grpc.pb.h"

namespace kiosk::ctl {
namespace {

std::string quantity_text(const kiosk::v1::StockLevel& s) {
  return s.has_quantity() ? std::to_string(s.quantity()) : "not counted";
}

std::string local_time(std::int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

void print_level(const kiosk::v1::StockLevel& s, std::ostream& out) {
  out << fmt::format("{}  stock {}  low-stock threshold {}{}\n", s.gtin14(), quantity_text(s), s.low_stock_threshold(),
                     s.low() ? "  LOW" : "");
}

}  // namespace

int stock_get(const Connection& conn, std::string_view gtin, std::ostream& out, std::ostream& err) {
  return for_each_kiosk(conn, out, err, [&](const KioskTarget& k, std::ostream& o, std::ostream& e) {
    kiosk::v1::GetStockRequest req;
    req.set_gtin(std::string(gtin));
    kiosk::v1::StockLevel resp;
    grpc::ClientContext ctx;
    add_token(ctx, conn);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    const grpc::Status s = kiosk::v1::Catalog::NewStub(k.channel)->GetStock(&ctx, req, &resp);
    if (!s.ok()) return rpc_failed(s, k, e);
    print_level(resp, o);
    return 0;
  });
}

int stock_set(const Connection& conn, std::string_view gtin, std::int64_t quantity, std::ostream& out,
              std::ostream& err) {
  return for_each_kiosk(conn, out, err, [&](const KioskTarget& k, std::ostream& o, std::ostream& e) {
    kiosk::v1::SetStockRequest req;
    req.set_gtin(std::string(gtin));
    req.set_quantity(quantity);
    kiosk::v1::StockLevel resp;
    grpc::ClientContext ctx;
    add_token(ctx, conn);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    const grpc::Status s = kiosk::v1::Catalog::NewStub(k.channel)->SetStock(&ctx, req, &resp);
    if (!s.ok()) return rpc_failed(s, k, e);
    print_level(resp, o);
    return 0;
  });
}

int stock_watch(const Connection& conn, bool include_current, unsigned count, std::ostream& out, std::ostream& err) {
  if (conn.kiosks.size() != 1) {
    err << "kioskctl: stock watch follows one kiosk; name one --kiosk\n";
    return 2;
  }
  const auto& k = conn.kiosks.front();
  kiosk::v1::WatchStockRequest req;
  req.set_include_current(include_current);
  grpc::ClientContext ctx;
  add_token(ctx, conn);
  auto reader = kiosk::v1::Catalog::NewStub(k.channel)->WatchStock(&ctx, req);
  kiosk::v1::StockEvent ev;
  unsigned seen = 0;
  while (reader->Read(&ev)) {
    out << fmt::format("{}  {}  {}  stock {} (threshold {})  {}\n", local_time(ev.unix_ms()), ev.gtin14(), ev.name_sv(),
                       ev.quantity(), ev.low_stock_threshold(), ev.cause())
        << std::flush;
    if (count != 0 && ++seen >= count) {
      ctx.TryCancel();
      break;
    }
  }
  const grpc::Status s = reader->Finish();
  if (count != 0 && seen >= count) return 0;
  if (!s.ok()) return rpc_failed(s, k, err);
  return 0;
}

}  // namespace kiosk::ctl
