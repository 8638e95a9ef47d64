#pragma once
// CheckoutBackend over gRPC: one thread keeps a Checkout.Watch stream open (reconnecting with backoff
// while the checkout is down or restarting); each Act runs on its own short-lived thread so the UI
// thread never blocks. Results are handed to the Qt thread with queued invocations.
#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "kiosk/checkout_backend.h"
#include "kiosk/v1/checkout.grpc.pb.h"

namespace kiosk::ui {

class GrpcCheckoutBackend final : public CheckoutBackend {
  Q_OBJECT

 public:
  explicit GrpcCheckoutBackend(std::shared_ptr<grpc::Channel> channel, QObject* parent = nullptr);
  // Cancels the stream and in-flight calls and waits for their threads.
  ~GrpcCheckoutBackend() override;

  void start() override;
  void act(kiosk::v1::ActRequest request) override;

 private:
  void watchLoop();
  void runAct(const kiosk::v1::ActRequest& request);
  void setConnected(bool connected);

  std::unique_ptr<kiosk::v1::Checkout::Stub> stub_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool connected_ = false;
  int actsInFlight_ = 0;
  grpc::ClientContext* watchContext_ = nullptr;  // the open Watch, to cancel on shutdown
  std::set<grpc::ClientContext*> actContexts_;
  std::thread watchThread_;
};

}  // namespace kiosk::ui
