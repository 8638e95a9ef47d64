#pragma once
// gRPC adapter for kiosk.v1.Checkout: turns RPCs into LaneCore calls and kiosk::Error into
// grpc::Status. Watch streams the journaled Sessions; Act applies intents and queues their effects.
#include <grpcpp/grpcpp.h>

#include "checkout/lane_core.h"
#include "checkout/peer_links.h"
#include "checkout/session_hub.h"
#include "kiosk/v1/checkout.grpc.pb.h"

namespace kiosk::checkout {

class CheckoutService final : public v1::Checkout::Service {
 public:
  // Registers itself as the core's observer. `peers` does catalog look-ups (and performs the effects).
  CheckoutService(LaneCore& core, PeerLinks& peers);
  ~CheckoutService() override;
  // Ends every Watch stream (call before shutting the server down).
  void stop() { hub_.stop(); }

  grpc::Status Watch(grpc::ServerContext* ctx, const v1::WatchRequest* req,
                     grpc::ServerWriter<v1::Session>* writer) override;
  grpc::Status Act(grpc::ServerContext* ctx, const v1::ActRequest* req, v1::Session* resp) override;
  grpc::Status GetSale(grpc::ServerContext* ctx, const v1::GetSaleRequest* req, v1::Sale* resp) override;
  grpc::Status ListSales(grpc::ServerContext* ctx, const v1::ListSalesRequest* req,
                         v1::ListSalesResponse* resp) override;
  grpc::Status VerifyJournal(grpc::ServerContext* ctx, const v1::VerifyJournalRequest* req,
                             v1::VerifyJournalResponse* resp) override;

 private:
  LaneCore& core_;
  PeerLinks& peers_;
  SessionHub hub_;
};

}  // namespace kiosk::checkout
