#include "canned_checkout_server.h"

#include <chrono>

namespace kiosk::ui::test {

void CannedCheckoutService::set(const kiosk::v1::Session& session) {
  std::lock_guard lock(mu_);
  session_ = session;
  ++version_;
  cv_.notify_all();
}

std::vector<kiosk::v1::ActRequest> CannedCheckoutService::acts() const {
  std::lock_guard lock(mu_);
  return acts_;
}

void CannedCheckoutService::stop() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  cv_.notify_all();
}

void CannedCheckoutService::resume() {
  std::lock_guard lock(mu_);
  stopping_ = false;
}

grpc::Status CannedCheckoutService::Watch(grpc::ServerContext* ctx, const kiosk::v1::WatchRequest*,
                                          grpc::ServerWriter<kiosk::v1::Session>* writer) {
  std::uint64_t sent = 0;
  std::unique_lock lock(mu_);
  while (!stopping_ && !ctx->IsCancelled()) {
    if (version_ != sent) {
      sent = version_;
      const kiosk::v1::Session s = session_;
      lock.unlock();
      if (!writer->Write(s)) return grpc::Status::CANCELLED;
      lock.lock();
      continue;
    }
    // Wake for a change, or now and then to notice a cancelled client.
    cv_.wait_for(lock, std::chrono::milliseconds(50));
  }
  return grpc::Status::OK;
}

grpc::Status CannedCheckoutService::Act(grpc::ServerContext*, const kiosk::v1::ActRequest* req,
                                        kiosk::v1::Session* reply) {
  std::lock_guard lock(mu_);
  acts_.push_back(*req);
  *reply = session_;
  return grpc::Status::OK;
}

}  // namespace kiosk::ui::test
