#pragma once
// kiosk.v1.Scale over gRPC: a thin adapter over ScaleEngine (requests in, Errors → grpc::Status out).
#include <atomic>

#include "kiosk/v1/scale.grpc.pb.h"
#include "scale_engine.h"

namespace kiosk::scale {

class ScaleService final : public kiosk::v1::Scale::Service {
 public:
  explicit ScaleService(ScaleEngine& engine) : engine_(engine) {}

  // Ends open Watch streams (called before the server shuts down).
  void shutdown() { stopping_ = true; }

  grpc::Status Watch(grpc::ServerContext* ctx, const kiosk::v1::ScaleWatchRequest* req,
                     grpc::ServerWriter<kiosk::v1::ScaleEvent>* writer) override;
  grpc::Status BeginSession(grpc::ServerContext* ctx, const kiosk::v1::BeginScaleSessionRequest* req,
                            kiosk::v1::ScaleSessionResponse* resp) override;
  grpc::Status EndSession(grpc::ServerContext* ctx, const kiosk::v1::EndScaleSessionRequest* req,
                          kiosk::v1::ScaleSessionResponse* resp) override;
  grpc::Status ExpectItem(grpc::ServerContext* ctx, const kiosk::v1::ExpectItemRequest* req,
                          kiosk::v1::ExpectItemResponse* resp) override;
  grpc::Status ExpectRemoval(grpc::ServerContext* ctx, const kiosk::v1::ExpectItemRequest* req,
                             kiosk::v1::ExpectItemResponse* resp) override;
  grpc::Status ResolveAlert(grpc::ServerContext* ctx, const kiosk::v1::ResolveAlertRequest* req,
                            kiosk::v1::ResolveAlertResponse* resp) override;
  grpc::Status Zero(grpc::ServerContext* ctx, const kiosk::v1::ZeroRequest* req,
                    kiosk::v1::ZeroResponse* resp) override;
  grpc::Status WeighProduce(grpc::ServerContext* ctx, const kiosk::v1::WeighProduceRequest* req,
                            kiosk::v1::WeighProduceResponse* resp) override;
  grpc::Status ListAlertRecords(grpc::ServerContext* ctx, const kiosk::v1::ListAlertRecordsRequest* req,
                                kiosk::v1::ListAlertRecordsResponse* resp) override;

 private:
  ScaleEngine& engine_;
  std::atomic<bool> stopping_{false};
};

// Core event → proto event (exposed for tests of the mapping).
kiosk::v1::ScaleEvent to_proto(const ScaleEvent& e);
kiosk::v1::AlertRecord to_proto(const AlertRecord& r);

}  // namespace kiosk::scale
