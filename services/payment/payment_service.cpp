#include "payment/payment_service.h"

#include <map>

#include "common/rpc.h"

namespace kiosk::payment {
namespace {

kiosk::v1::PaymentOutcome outcome_of(PaymentState s) {
  switch (s) {
    case PaymentState::kStarted:
    case PaymentState::kInProgress:
      return kiosk::v1::PAYMENT_OUTCOME_IN_PROGRESS;
    case PaymentState::kApproved:
      return kiosk::v1::PAYMENT_OUTCOME_APPROVED;
    case PaymentState::kDeclined:
      return kiosk::v1::PAYMENT_OUTCOME_DECLINED;
    case PaymentState::kAborted:
      return kiosk::v1::PAYMENT_OUTCOME_ABORTED;
    case PaymentState::kFailed:
      return kiosk::v1::PAYMENT_OUTCOME_FAILED;
    case PaymentState::kReversed:
      return kiosk::v1::PAYMENT_OUTCOME_REVERSED;
    case PaymentState::kRefunded:
      return kiosk::v1::PAYMENT_OUTCOME_REFUNDED;
  }
  return kiosk::v1::PAYMENT_OUTCOME_UNSPECIFIED;
}

kiosk::v1::TerminalPrompt::Kind kind_of(Prompt::Kind k) {
  switch (k) {
    case Prompt::Kind::kPresentCard:
      return kiosk::v1::TerminalPrompt::KIND_PRESENT_CARD;
    case Prompt::Kind::kProcessing:
      return kiosk::v1::TerminalPrompt::KIND_PROCESSING;
    case Prompt::Kind::kApproved:
      return kiosk::v1::TerminalPrompt::KIND_APPROVED;
    case Prompt::Kind::kDeclined:
      return kiosk::v1::TerminalPrompt::KIND_DECLINED;
    case Prompt::Kind::kText:
      return kiosk::v1::TerminalPrompt::KIND_TEXT;
  }
  return kiosk::v1::TerminalPrompt::KIND_UNSPECIFIED;
}

}  // namespace

void to_proto(const PaymentRecord& r, kiosk::v1::PaymentResult* out) {
  out->set_idempotency_key(r.key);
  out->set_outcome(outcome_of(r.state));
  out->set_amount_ore(r.amount_ore);
  out->set_currency(r.currency);
  out->set_refusal_reason(r.refusal_reason);
  out->set_sale_transaction_id(r.sale_transaction_id);
  out->set_poi_transaction_id(r.poi_transaction_id);
  out->set_masked_pan(r.masked_pan);
  out->set_card_brand(r.card_brand);
  out->set_auth_code(r.auth_code);
  out->set_receipt_text(r.receipt_text);
  out->set_at_unix_ms(r.updated_unix_ms);
  out->set_authorized_ore(r.authorized_ore);
}

grpc::Status PaymentService::Pay(grpc::ServerContext*, const kiosk::v1::PayRequest* req,
                                 kiosk::v1::PaymentResult* out) {
  auto r = processor_.pay(req->idempotency_key(), req->amount_ore(), req->currency(), req->sale_reference());
  if (!r) return to_grpc_status(r.error());
  to_proto(*r, out);
  return grpc::Status::OK;
}

grpc::Status PaymentService::GetPayment(grpc::ServerContext*, const kiosk::v1::GetPaymentRequest* req,
                                        kiosk::v1::PaymentResult* out) {
  auto r = processor_.get(req->idempotency_key());
  if (!r) return to_grpc_status(r.error());
  to_proto(*r, out);
  return grpc::Status::OK;
}

grpc::Status PaymentService::Abort(grpc::ServerContext*, const kiosk::v1::AbortRequest* req,
                                   kiosk::v1::AbortResponse*) {
  return to_grpc_status(processor_.abort(req->idempotency_key()));
}

grpc::Status PaymentService::Reverse(grpc::ServerContext*, const kiosk::v1::ReverseRequest* req,
                                     kiosk::v1::PaymentResult* out) {
  auto r = processor_.reverse(req->idempotency_key(), req->reason());
  if (!r) return to_grpc_status(r.error());
  to_proto(*r, out);
  return grpc::Status::OK;
}

grpc::Status PaymentService::Refund(grpc::ServerContext*, const kiosk::v1::RefundRequest* req,
                                    kiosk::v1::PaymentResult* out) {
  auto r = processor_.refund(req->idempotency_key(), req->original_idempotency_key(), req->amount_ore());
  if (!r) return to_grpc_status(r.error());
  to_proto(*r, out);
  return grpc::Status::OK;
}

grpc::Status PaymentService::Reconcile(grpc::ServerContext*, const kiosk::v1::ReconcileRequest*,
                                       kiosk::v1::ReconcileReport* out) {
  auto r = processor_.reconcile();
  if (!r) return to_grpc_status(r.error());
  out->set_poi_reconciliation_id(r->poi_reconciliation_id);
  out->set_from_unix_ms(r->from_unix_ms);
  out->set_to_unix_ms(r->to_unix_ms);
  std::map<std::string, bool> types;
  for (const auto& [k, v] : r->journal) types[k] = true;
  for (const auto& [k, v] : r->terminal) types[k] = true;
  for (const auto& [type, unused] : types) {
    auto* t = out->add_totals();
    t->set_transaction_type(type);
    if (auto it = r->journal.find(type); it != r->journal.end()) {
      t->set_journal_count(it->second.count);
      t->set_journal_ore(it->second.amount_ore);
    }
    if (auto it = r->terminal.find(type); it != r->terminal.end()) {
      t->set_terminal_count(it->second.count);
      t->set_terminal_ore(it->second.amount_ore);
    }
  }
  out->set_matches(r->matches());
  for (const auto& d : r->differences) out->add_differences(d);
  for (const auto& k : r->unresolved) out->add_unresolved_keys(k);
  return grpc::Status::OK;
}

grpc::Status PaymentService::WatchPrompts(grpc::ServerContext* ctx, const kiosk::v1::WatchPromptsRequest*,
                                          grpc::ServerWriter<kiosk::v1::TerminalPrompt>* writer) {
  PromptFeed& feed = processor_.prompts();
  const std::uint64_t latest = feed.latest_seq();
  std::uint64_t after = latest > 0 ? latest - 1 : 0;  // start with the prompt showing now
  while (!ctx->IsCancelled() && !feed.stopped()) {
    for (const auto& p : feed.wait_after(after, std::chrono::milliseconds(200))) {
      kiosk::v1::TerminalPrompt out;
      out.set_kind(kind_of(p.kind));
      out.set_text(p.text);
      out.set_idempotency_key(p.key);
      if (!writer->Write(out)) return grpc::Status::OK;  // the client went away
      after = p.seq;
    }
  }
  return grpc::Status::OK;
}

}  // namespace kiosk::payment
