#pragma once
// A real gRPC Checkout service for the UI tests: Watch streams whatever session the test sets (the
// current one first, then every change), Act records the request and answers with the current session.
#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "kiosk/v1/checkout.grpc.pb.h"

namespace kiosk::ui::test {

class CannedCheckoutService final : public kiosk::v1::Checkout::Service {
 public:
  void set(const kiosk::v1::Session& session);
  std::vector<kiosk::v1::ActRequest> acts() const;
  // Ends open Watch streams (server shutdown); resume() lets new ones run (server restarted).
  void stop();
  void resume();

  grpc::Status Watch(grpc::ServerContext* ctx, const kiosk::v1::WatchRequest* req,
                     grpc::ServerWriter<kiosk::v1::Session>* writer) override;
  grpc::Status Act(grpc::ServerContext* ctx, const kiosk::v1::ActRequest* req, kiosk::v1::Session* reply) override;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  kiosk::v1::Session session_;
  std::uint64_t version_ = 0;  // bumps on every set()
  bool stopping_ = false;
  std::vector<kiosk::v1::ActRequest> acts_;
};

}  // namespace kiosk::ui::test
