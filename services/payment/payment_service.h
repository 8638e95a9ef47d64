#pragma once
// gRPC adapter for kiosk.v1.Payment over PaymentProcessor. Errors become grpc::Status here only.
#include "kiosk/v1/payment.grpc.pb.h"

#include "payment/payment_processor.h"

namespace kiosk::payment {

class PaymentService final : public kiosk::v1::Payment::Service {
 public:
  explicit PaymentService(PaymentProcessor& processor) : processor_(processor) {}

  grpc::Status Pay(grpc::ServerContext* ctx, const kiosk::v1::PayRequest* req, kiosk::v1::PaymentResult* out) override;
  grpc::Status GetPayment(grpc::ServerContext* ctx, const kiosk::v1::GetPaymentRequest* req,
                          kiosk::v1::PaymentResult* out) override;
  grpc::Status Abort(grpc::ServerContext* ctx, const kiosk::v1::AbortRequest* req,
                     kiosk::v1::AbortResponse* out) override;
  grpc::Status Reverse(grpc::ServerContext* ctx, const kiosk::v1::ReverseRequest* req,
                       kiosk::v1::PaymentResult* out) override;
  grpc::Status Reconcile(grpc::ServerContext* ctx, const kiosk::v1::ReconcileRequest* req,
                         kiosk::v1::ReconcileReport* out) override;
  // Streams prompts until the client cancels or the service stops (checked every 200 ms).
  grpc::Status WatchPrompts(grpc::ServerContext* ctx, const kiosk::v1::WatchPromptsRequest* req,
                            grpc::ServerWriter<kiosk::v1::TerminalPrompt>* writer) override;
  grpc::Status Refund(grpc::ServerContext* ctx, const kiosk::v1::RefundRequest* req,
                      kiosk::v1::PaymentResult* out) override;

 private:
  PaymentProcessor& processor_;
};

// Journal record → proto, exposed for tests.
void to_proto(const PaymentRecord& r, kiosk::v1::PaymentResult* out);

}  // namespace kiosk::payment
