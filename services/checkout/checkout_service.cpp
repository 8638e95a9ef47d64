#include "checkout/checkout_service.h"

#include <spdlog/spdlog.h>

#include "common/rpc.h"

namespace kiosk::checkout {

CheckoutService::CheckoutService(LaneCore& core, PeerLinks& peers) : core_(core), peers_(peers) {
  core_.set_observer([this](const v1::Session& s) { hub_.publish(s); });
}

CheckoutService::~CheckoutService() {
  core_.set_observer(nullptr);
  hub_.stop();
}

grpc::Status CheckoutService::Watch(grpc::ServerContext* ctx, const v1::WatchRequest*,
                                    grpc::ServerWriter<v1::Session>* writer) {
  v1::Session current = hub_.latest();
  if (!writer->Write(current)) return grpc::Status::OK;
  std::uint64_t last = current.revision();
  // Wake often enough to notice a cancelled client or a shutdown promptly.
  while (!ctx->IsCancelled() && !hub_.stopped()) {
    for (const auto& s : hub_.wait_after(last, std::chrono::milliseconds(200))) {
      if (!writer->Write(s)) return grpc::Status::OK;
      last = s.revision();
    }
  }
  return grpc::Status::OK;
}

grpc::Status CheckoutService::Act(grpc::ServerContext*, const v1::ActRequest* req, v1::Session* resp) {
  // Never log the request itself: it may carry an attendant PIN.
  auto seen = core_.replayed(req->request_id());
  if (!seen) return to_grpc_status(seen.error());
  if (*seen) {
    *resp = **seen;
    return grpc::Status::OK;
  }
  auto outcome = [&]() -> Result<Outcome> {
    // The total the terminal is asked for carries the promotions of the basket as it is now.
    if (req->action_case() == v1::ActRequest::kPay) peers_.reprice_now();
    if (req->action_case() != v1::ActRequest::kEnterCode) return core_.act(*req);
    if (core_.is_member_card(req->enter_code().code())) return core_.act(*req);  // a loyalty card, not a product
    if (auto ok = core_.can_add_items(); !ok) return ok.error();
    auto item = peers_.lookup(req->enter_code().code());
    if (!item) return item.error();
    return core_.act(*req, &*item);
  }();
  if (!outcome) {
    spdlog::info("act {} ({}) refused: {}", req->request_id(), static_cast<int>(req->action_case()), outcome.message());
    return to_grpc_status(outcome.error());
  }
  // The effects were queued on the peer links by the core's effect sink, in commit order.
  *resp = outcome->session;
  return grpc::Status::OK;
}

grpc::Status CheckoutService::GetSale(grpc::ServerContext*, const v1::GetSaleRequest* req, v1::Sale* resp) {
  auto sale = core_.get_sale(req->receipt_number());
  if (!sale) return to_grpc_status(sale.error());
  *resp = std::move(*sale);
  return grpc::Status::OK;
}

grpc::Status CheckoutService::ListSales(grpc::ServerContext*, const v1::ListSalesRequest* req,
                                        v1::ListSalesResponse* resp) {
  const std::uint32_t limit = req->limit() == 0 ? 100 : std::min<std::uint32_t>(req->limit(), 1000);
  auto sales = core_.list_sales(req->after_receipt_number(), limit);
  if (!sales) return to_grpc_status(sales.error());
  for (auto& s : *sales) *resp->add_sales() = std::move(s);
  return grpc::Status::OK;
}

grpc::Status CheckoutService::VerifyJournal(grpc::ServerContext*, const v1::VerifyJournalRequest*,
                                            v1::VerifyJournalResponse* resp) {
  const auto v = core_.verify_journal();
  resp->set_ok(v.ok);
  resp->set_sales_checked(v.sales_checked);
  resp->set_first_problem(v.first_problem);
  return grpc::Status::OK;
}

}  // namespace kiosk::checkout
