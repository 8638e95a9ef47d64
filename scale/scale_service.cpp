#include "scale_service.h"

#include <spdlog/spdlog.h>

#include "common/rpc.h"

namespace kiosk::scale {
namespace {

void fill(const Reading& r, kiosk::v1::WeightReading* out) {
  out->set_weight_mg(r.weight_mg);
  out->set_stable(r.stable);
  out->set_at_unix_ms(r.at_unix_ms);
}

kiosk::v1::BaggingVerdict::Kind verdict_kind(Verdict::Kind k) {
  using V = kiosk::v1::BaggingVerdict;
  switch (k) {
    case Verdict::Kind::kAccepted:
      return V::KIND_ACCEPTED;
    case Verdict::Kind::kSkipped:
      return V::KIND_SKIPPED;
    case Verdict::Kind::kMismatch:
      return V::KIND_MISMATCH;
    case Verdict::Kind::kNotPlaced:
      return V::KIND_NOT_PLACED;
  }
  return V::KIND_UNSPECIFIED;
}

kiosk::v1::ScaleAlert::Kind alert_kind(Alert::Kind k) {
  using A = kiosk::v1::ScaleAlert;
  switch (k) {
    case Alert::Kind::kWeightMismatch:
      return A::KIND_WEIGHT_MISMATCH;
    case Alert::Kind::kUnexpectedItem:
      return A::KIND_UNEXPECTED_ITEM;
    case Alert::Kind::kItemRemoved:
      return A::KIND_ITEM_REMOVED;
    case Alert::Kind::kDeviceFault:
      return A::KIND_DEVICE_FAULT;
  }
  return A::KIND_UNSPECIFIED;
}

kiosk::v1::ScaleStatus::State state(DeviceState s) {
  using S = kiosk::v1::ScaleStatus;
  switch (s) {
    case DeviceState::kOnline:
      return S::STATE_ONLINE;
    case DeviceState::kOffline:
      return S::STATE_OFFLINE;
    case DeviceState::kError:
      return S::STATE_ERROR;
  }
  return S::STATE_UNSPECIFIED;
}

void fill(const Alert& a, kiosk::v1::ScaleAlert* p) {
  p->set_alert_id(a.alert_id);
  p->set_kind(alert_kind(a.kind));
  p->set_expectation_id(a.expectation_id);
  p->set_expected_mg(a.expected_mg);
  p->set_tolerance_mg(a.tolerance_mg);
  p->set_measured_delta_mg(a.measured_delta_mg);
  for (const auto& t : a.trace) fill(t, p->add_trace());
  p->set_at_unix_ms(a.at_unix_ms);
  p->set_open(a.open);
  p->set_gtin14(a.gtin14);
  p->set_baseline_mg(a.baseline_mg);
  p->set_measured_mg(a.measured_mg);
  p->set_detail(a.detail);
}

kiosk::v1::ResolveAlertRequest::Decision decision_proto(Decision d) {
  using R = kiosk::v1::ResolveAlertRequest;
  switch (d) {
    case Decision::kAcceptWeight:
      return R::DECISION_ACCEPT_WEIGHT;
    case Decision::kItemRemoved:
      return R::DECISION_ITEM_REMOVED;
    case Decision::kOverride:
      return R::DECISION_OVERRIDE;
  }
  return R::DECISION_UNSPECIFIED;
}

void fill(const ScannerScan& s, kiosk::v1::ScanEvent* p) {
  using S = kiosk::v1::Symbology;
  S sym = kiosk::v1::SYMBOLOGY_UNSPECIFIED;  // Code 39 has no kiosk.v1 symbology
  switch (s.symbology) {
    case ScanSymbology::kEan13:
      sym = kiosk::v1::SYMBOLOGY_EAN13;
      break;
    case ScanSymbology::kEan8:
      sym = kiosk::v1::SYMBOLOGY_EAN8;
      break;
    case ScanSymbology::kUpcA:
      sym = kiosk::v1::SYMBOLOGY_UPCA;
      break;
    case ScanSymbology::kUpcE:
      sym = kiosk::v1::SYMBOLOGY_UPCE;
      break;
    case ScanSymbology::kCode128:
      sym = kiosk::v1::SYMBOLOGY_CODE128;
      break;
    case ScanSymbology::kItf:
      sym = kiosk::v1::SYMBOLOGY_ITF;
      break;
    case ScanSymbology::kCode39:
    case ScanSymbology::kUnknown:
      break;
  }
  p->set_seq(s.seq);
  p->set_symbology(sym);
  p->set_text(s.text);
  p->set_gtin14(s.gtin14);
  p->set_frame_unix_ms(s.at_unix_ms);
  p->set_event_unix_ms(s.at_unix_ms);
  p->set_source("scale:" + s.source);
}

}  // namespace

kiosk::v1::AlertRecord to_proto(const AlertRecord& r) {
  kiosk::v1::AlertRecord out;
  out.set_seq(r.seq);
  out.set_event(std::string(to_string(r.event)));
  out.set_at_unix_ms(r.at_unix_ms);
  out.set_session_id(r.session_id);
  fill(r.alert, out.mutable_alert());
  if (r.decision) out.set_decision(decision_proto(*r.decision));
  out.set_attendant_id(r.attendant_id);
  out.set_detail(r.detail);
  return out;
}

kiosk::v1::ScaleEvent to_proto(const ScaleEvent& e) {
  kiosk::v1::ScaleEvent out;
  if (const auto* r = std::get_if<Reading>(&e)) {
    fill(*r, out.mutable_reading());
  } else if (const auto* v = std::get_if<Verdict>(&e)) {
    auto* p = out.mutable_verdict();
    p->set_expectation_id(v->expectation_id);
    p->set_kind(verdict_kind(v->kind));
    p->set_expected_mg(v->expected_mg);
    p->set_tolerance_mg(v->tolerance_mg);
    p->set_measured_delta_mg(v->measured_delta_mg);
    p->set_at_unix_ms(v->at_unix_ms);
  } else if (const auto* a = std::get_if<Alert>(&e)) {
    fill(*a, out.mutable_alert());
  } else if (const auto* s = std::get_if<StatusEvent>(&e)) {
    auto* p = out.mutable_status();
    p->set_state(state(s->status.state));
    p->set_device(s->device);
    p->set_detail(s->status.detail);
    p->set_interval_mg(s->interval_mg);
  } else if (const auto* sc = std::get_if<ScannerScan>(&e)) {
    fill(*sc, out.mutable_scan());
  }
  return out;
}

grpc::Status ScaleService::Watch(grpc::ServerContext* ctx, const kiosk::v1::ScaleWatchRequest*,
                                 grpc::ServerWriter<kiosk::v1::ScaleEvent>* writer) {
  auto sub = engine_.subscribe();
  // The subscription starts with the status, so the first message is the current ScaleStatus.
  while (!ctx->IsCancelled() && !stopping_) {
    auto e = sub->next(std::chrono::milliseconds(200));
    if (!e) {
      if (sub->closed()) break;  // the engine stopped
      continue;
    }
    if (!writer->Write(to_proto(*e))) break;  // the client went away
  }
  return grpc::Status::OK;
}

grpc::Status ScaleService::BeginSession(grpc::ServerContext*, const kiosk::v1::BeginScaleSessionRequest* req,
                                        kiosk::v1::ScaleSessionResponse* resp) {
  auto r = engine_.begin_session(req->session_id());
  if (!r) return to_grpc_status(r.error());
  resp->set_baseline_mg(*r);
  return grpc::Status::OK;
}

grpc::Status ScaleService::EndSession(grpc::ServerContext*, const kiosk::v1::EndScaleSessionRequest* req,
                                      kiosk::v1::ScaleSessionResponse* resp) {
  auto r = engine_.end_session(req->session_id());
  if (!r) return to_grpc_status(r.error());
  resp->set_baseline_mg(*r);
  return grpc::Status::OK;
}

grpc::Status ScaleService::ExpectItem(grpc::ServerContext*, const kiosk::v1::ExpectItemRequest* req,
                                      kiosk::v1::ExpectItemResponse* resp) {
  auto r =
      engine_.expect_item(req->expectation_id(), req->expected_mg(), req->spread_mg(), req->no_weigh(), req->gtin14());
  if (!r) return to_grpc_status(r.error());
  resp->set_tolerance_mg(*r);
  return grpc::Status::OK;
}

grpc::Status ScaleService::ExpectRemoval(grpc::ServerContext*, const kiosk::v1::ExpectItemRequest* req,
                                         kiosk::v1::ExpectItemResponse* resp) {
  auto r = engine_.expect_removal(req->expectation_id(), req->expected_mg(), req->spread_mg(), req->gtin14());
  if (!r) return to_grpc_status(r.error());
  resp->set_tolerance_mg(*r);
  return grpc::Status::OK;
}

grpc::Status ScaleService::ResolveAlert(grpc::ServerContext*, const kiosk::v1::ResolveAlertRequest* req,
                                        kiosk::v1::ResolveAlertResponse*) {
  Decision d{};
  switch (req->decision()) {
    case kiosk::v1::ResolveAlertRequest::DECISION_ACCEPT_WEIGHT:
      d = Decision::kAcceptWeight;
      break;
    case kiosk::v1::ResolveAlertRequest::DECISION_ITEM_REMOVED:
      d = Decision::kItemRemoved;
      break;
    case kiosk::v1::ResolveAlertRequest::DECISION_OVERRIDE:
      d = Decision::kOverride;
      break;
    default:
      return to_grpc_status(invalid_argument("decision is missing (ACCEPT_WEIGHT, ITEM_REMOVED or OVERRIDE)"));
  }
  return to_grpc_status(engine_.resolve_alert(req->alert_id(), d, req->attendant_id()));
}

grpc::Status ScaleService::Zero(grpc::ServerContext*, const kiosk::v1::ZeroRequest*, kiosk::v1::ZeroResponse*) {
  return to_grpc_status(engine_.zero());
}

grpc::Status ScaleService::WeighProduce(grpc::ServerContext*, const kiosk::v1::WeighProduceRequest*,
                                        kiosk::v1::WeighProduceResponse* resp) {
  auto r = engine_.weigh_produce_waiting(std::chrono::milliseconds(3000));
  if (!r) return to_grpc_status(r.error());
  resp->set_net_weight_mg(r->net_mg);
  resp->set_gross_mg(r->gross_mg);
  resp->set_tare_mg(r->tare_mg);
  resp->set_interval_mg(engine_.status().interval_mg);
  return grpc::Status::OK;
}

grpc::Status ScaleService::ListAlertRecords(grpc::ServerContext*, const kiosk::v1::ListAlertRecordsRequest* req,
                                            kiosk::v1::ListAlertRecordsResponse* resp) {
  const std::size_t limit = req->limit() == 0 ? 100 : std::min<std::uint32_t>(req->limit(), 1000);
  auto r = engine_.alert_records(req->after_seq(), limit);
  if (!r) return to_grpc_status(r.error());
  for (const auto& rec : *r) *resp->add_records() = to_proto(rec);
  return grpc::Status::OK;
}

}  // namespace kiosk::scale
