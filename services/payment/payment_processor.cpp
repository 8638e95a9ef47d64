#include "payment/payment_processor.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <ctime>

#include "payment/nexo_codec.h"

namespace kiosk::payment {
namespace {

bool valid_currency(std::string_view c) {
  if (c.size() != 3) return false;
  for (char ch : c)
    if (ch < 'A' || ch > 'Z') return false;
  return true;
}

// nexo ReversalReason: one of its codes as given, anything else is a sale that could not complete.
std::string nexo_reversal_reason(std::string_view reason) {
  for (std::string_view code : {"CustCancel", "MerchantCancel", "Malfunction", "Unable2Compl"})
    if (reason == code) return std::string(code);
  return "Malfunction";
}

}  // namespace

PaymentProcessor::PaymentProcessor(PaymentConfig config, PaymentJournal& journal, TerminalTransport& transport,
                                   const Clock& clock)
    : config_(std::move(config)), journal_(journal), transport_(transport), clock_(clock) {}

std::string PaymentProcessor::timestamp() const {
  const std::int64_t ms = clock_.now_unix_ms();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

MessageHeader PaymentProcessor::header(std::string service_id, std::string category) const {
  MessageHeader h;
  h.message_class = "Service";
  h.message_category = std::move(category);
  h.message_type = "Request";
  h.service_id = std::move(service_id);
  h.sale_id = config_.sale_id;
  h.poi_id = config_.poi_id;
  return h;
}

bool PaymentProcessor::header_matches(const MessageHeader& h, std::string_view service_id,
                                      std::string_view category) const {
  if (h.sale_id == config_.sale_id && h.poi_id == config_.poi_id && h.service_id == service_id &&
      h.message_category == category && h.message_type == "Response")
    return true;
  spdlog::warn("discarding a {} answer for SaleID '{}' POIID '{}' ServiceID '{}': expected '{}' '{}' '{}'",
               h.message_category, h.sale_id, h.poi_id, h.service_id, config_.sale_id, config_.poi_id, service_id);
  return false;
}

Result<PaymentRecord> PaymentProcessor::pay(const std::string& key, Ore amount_ore, const std::string& currency,
                                            const std::string& sale_reference) {
  if (key.empty() || key.size() > 64)
    return invalid_argument(fmt::format("idempotency_key must be 1 to 64 characters, got {}", key.size()));
  if (amount_ore <= 0) return invalid_argument(fmt::format("amount_ore must be positive, got {}", amount_ore));
  const std::string cur = currency.empty() ? config_.currency : currency;
  if (!valid_currency(cur)) return invalid_argument(fmt::format("currency '{}' is not an ISO 4217 code", cur));
  if (cur != config_.currency)
    return invalid_argument(fmt::format("currency '{}' is not this kiosk's currency {}", cur, config_.currency));

  std::lock_guard terminal(terminal_mu_);
  auto existing = journal_.get(key);
  if (!existing) return existing.error();
  if (*existing) {
    PaymentRecord& r = **existing;
    if (r.amount_ore != amount_ore || r.currency != cur)
      return invalid_argument(fmt::format("idempotency_key '{}' was used for {} {} öre, not {} {} öre", key, r.currency,
                                          r.amount_ore, cur, amount_ore));
    if (is_final(r.state)) return r;
    spdlog::info("payment '{}' was left {}: resolving with TransactionStatus", key, to_string(r.state));
    return resolve(std::move(r));
  }

  PaymentRecord r;
  r.key = key;
  r.sale_reference = sale_reference;
  r.sale_id = config_.sale_id;
  r.poi_id = config_.poi_id;
  r.sale_timestamp = timestamp();
  r.amount_ore = amount_ore;
  r.currency = cur;
  return start_record(std::move(r));
}

Result<PaymentRecord> PaymentProcessor::start_record(PaymentRecord r) {
  r.state = PaymentState::kStarted;
  r.created_unix_ms = r.updated_unix_ms = clock_.now_unix_ms();
  auto created = journal_.create(std::move(r));  // journal first: before anything is sent
  if (!created) return created.error();
  return send_payment(std::move(*created));
}

Result<PaymentRecord> PaymentProcessor::refund(const std::string& key, const std::string& original_key,
                                               Ore amount_ore) {
  if (key.empty() || key.size() > 64)
    return invalid_argument(fmt::format("idempotency_key must be 1 to 64 characters, got {}", key.size()));
  if (amount_ore <= 0) return invalid_argument(fmt::format("amount_ore must be positive, got {}", amount_ore));
  std::lock_guard terminal(terminal_mu_);
  auto existing = journal_.get(key);
  if (!existing) return existing.error();
  if (*existing) {
    PaymentRecord& r = **existing;
    if (r.kind != "refund" || r.original_key != original_key || r.amount_ore != amount_ore)
      return invalid_argument(
          fmt::format("idempotency_key '{}' was used for a {} of {} öre, not a refund of {} öre of '{}'", key, r.kind,
                      r.amount_ore, amount_ore, original_key));
    if (is_final(r.state)) return r;
    return resolve(std::move(r));
  }
  auto original = journal_.get(original_key);
  if (!original) return original.error();
  if (!*original) return not_found(fmt::format("no payment with idempotency_key '{}' to refund", original_key));
  const PaymentRecord& o = **original;
  if (o.kind != "payment" || o.state != PaymentState::kApproved)
    return failed_precondition(fmt::format("'{}' is a {} {}; only an APPROVED payment can be refunded", original_key,
                                           to_string(o.state), o.kind));
  auto every = journal_.all();
  if (!every) return every.error();
  Ore refunded = 0;  // refunds of this payment that are done or may be
  for (const auto& r : *every)
    if (r.kind == "refund" && r.original_key == original_key &&
        (r.state == PaymentState::kRefunded || !is_final(r.state)))
      refunded += r.amount_ore;
  if (refunded + amount_ore > o.authorized_ore)
    return invalid_argument(fmt::format("refund of {} öre: '{}' charged {} öre and {} öre are already refunded",
                                        amount_ore, original_key, o.authorized_ore, refunded));
  PaymentRecord r;
  r.key = key;
  r.kind = "refund";
  r.original_key = original_key;
  r.original_poi_transaction_id = o.poi_transaction_id;
  r.original_poi_timestamp = o.poi_timestamp;
  r.sale_reference = o.sale_reference;
  r.sale_id = config_.sale_id;
  r.poi_id = config_.poi_id;
  r.sale_timestamp = timestamp();
  r.amount_ore = amount_ore;
  r.currency = o.currency;
  return start_record(std::move(r));
}

Result<PaymentRecord> PaymentProcessor::send_payment(PaymentRecord r) {
  PaymentRequest req;
  req.header = header(r.service_id, "Payment");
  req.sale_transaction = {r.sale_transaction_id, r.sale_timestamp};
  req.currency = r.currency;
  req.requested_ore = r.amount_ore;
  if (r.kind == "refund") {
    req.payment_type = "Refund";
    req.original_poi_transaction = {r.original_poi_transaction_id, r.original_poi_timestamp};
  }
  {
    std::lock_guard lock(state_mu_);
    in_flight_ = InFlight{r.key, r.service_id};
  }
  spdlog::info("{} '{}': ServiceID {} {} öre {}", r.kind, r.key, r.service_id, r.amount_ore, r.currency);
  prompts_.publish(Prompt::Kind::kPresentCard, "Present card on the terminal", r.key);
  auto answer = transport_.exchange(encode(req), config_.payment_timeout);
  {
    std::lock_guard lock(state_mu_);
    in_flight_.reset();
  }
  if (!answer) {
    if (answer.error().code == ErrorCode::kUnavailable)
      return finish(std::move(r), PaymentState::kFailed, answer.message());
    spdlog::warn("payment '{}': outcome unknown ({}); asking the terminal", r.key, answer.message());
  } else {
    auto msg = parse_terminal_message(*answer);
    if (!msg) {
      spdlog::warn("payment '{}': unreadable answer ({}); asking the terminal", r.key, msg.message());
    } else if (auto* resp = std::get_if<PaymentResponse>(&*msg)) {
      if (header_matches(resp->header, r.service_id, "Payment")) {
        if (apply(r, *resp)) {
          r.updated_unix_ms = clock_.now_unix_ms();
          if (auto s = journal_.put(r); !s) return s.error();
          publish_outcome(r);
          return r;
        }
      }
    } else if (auto* ev = std::get_if<EventNotification>(&*msg); ev && ev->event_to_notify == "Reject") {
      // The terminal refused to process the message at all: nothing was charged.
      return finish(std::move(r), PaymentState::kFailed, "terminal rejected the request: " + ev->event_details);
    } else {
      spdlog::warn("payment '{}': unexpected answer kind; asking the terminal", r.key);
    }
  }
  r.state = PaymentState::kInProgress;
  r.updated_unix_ms = clock_.now_unix_ms();
  if (auto s = journal_.put(r); !s) return s.error();
  prompts_.publish(Prompt::Kind::kProcessing, "Checking the payment with the terminal", r.key);
  return resolve(std::move(r));
}

bool PaymentProcessor::apply(PaymentRecord& r, const PaymentResponse& resp) {
  r.poi_transaction_id = resp.poi_transaction.transaction_id;
  r.poi_timestamp = resp.poi_transaction.timestamp;
  r.masked_pan = resp.masked_pan;
  r.card_brand = resp.payment_brand;
  r.auth_code = resp.approval_code;
  r.receipt_text = cardholder_receipt_text(resp.receipts);
  r.error_condition = resp.response.error_condition;
  switch (resp.response.result) {
    case NexoResult::kSuccess:
      r.state = r.kind == "refund" ? PaymentState::kRefunded : PaymentState::kApproved;
      r.authorized_ore = resp.authorized_ore.value_or(r.amount_ore);
      r.refusal_reason.clear();
      if (r.authorized_ore != r.amount_ore)
        spdlog::error("payment '{}': terminal authorised {} öre of {} öre", r.key, r.authorized_ore, r.amount_ore);
      return true;
    case NexoResult::kPartial:
      // The kiosk never asks for partial approval; record what was charged so it can be reversed.
      r.state = PaymentState::kApproved;
      r.authorized_ore = resp.authorized_ore.value_or(0);
      r.refusal_reason = fmt::format("partial approval: {} of {} öre", r.authorized_ore, r.amount_ore);
      spdlog::error("payment '{}': {}", r.key, r.refusal_reason);
      return true;
    case NexoResult::kFailure:
      break;
  }
  const std::string& ec = resp.response.error_condition;
  r.refusal_reason = refusal_text(resp.response);
  r.authorized_ore = 0;
  if (ec == "InProgress") return false;
  if (ec == "Aborted" || ec == "Cancel")
    r.state = PaymentState::kAborted;
  else if (ec == "Busy" || ec == "UnreachableHost" || ec == "DeviceOut")
    r.state = PaymentState::kFailed;
  else
    r.state = PaymentState::kDeclined;
  spdlog::info("payment '{}': {} ({})", r.key, to_string(r.state), r.refusal_reason);
  return true;
}

Result<PaymentRecord> PaymentProcessor::finish(PaymentRecord r, PaymentState state, std::string reason) {
  r.state = state;
  r.refusal_reason = std::move(reason);
  r.updated_unix_ms = clock_.now_unix_ms();
  spdlog::info("payment '{}': {} ({})", r.key, to_string(state), r.refusal_reason);
  if (auto s = journal_.put(r); !s) return s.error();
  publish_outcome(r);
  return r;
}

void PaymentProcessor::publish_outcome(const PaymentRecord& r) {
  switch (r.state) {
    case PaymentState::kApproved:
      prompts_.publish(Prompt::Kind::kApproved, "Approved", r.key);
      break;
    case PaymentState::kDeclined:
      prompts_.publish(Prompt::Kind::kDeclined, r.refusal_reason, r.key);
      break;
    case PaymentState::kAborted:
      prompts_.publish(Prompt::Kind::kText, "Payment cancelled", r.key);
      break;
    case PaymentState::kFailed:
      prompts_.publish(Prompt::Kind::kText, "The card terminal is not available", r.key);
      break;
    default:
      break;
  }
}

bool PaymentProcessor::wait_interval() {
  std::unique_lock lock(state_mu_);
  return !stop_cv_.wait_for(lock, config_.recovery_interval, [this] { return stopping_; });
}

Result<PaymentRecord> PaymentProcessor::resolve(PaymentRecord r) {
  // Past the terminal's own timeout (plus one status exchange) an unanswered payment cannot still
  // be waiting for the card; stop asking then, but never call it a decline: it stays IN_PROGRESS.
  const std::int64_t give_up_ms = r.created_unix_ms + (config_.payment_timeout + config_.status_timeout).count();
  for (int attempt = 0; attempt < config_.recovery_attempts; ++attempt) {
    if (attempt > 0 && !wait_interval()) break;
    if (attempt > 0 && r.created_unix_ms > 0 && clock_.now_unix_ms() > give_up_ms) break;
    auto sid = journal_.next_service_id();
    if (!sid) return sid.error();
    TransactionStatusRequest req;
    req.header = header(*sid, "TransactionStatus");
    req.reference = {"Payment", r.service_id, config_.sale_id};
    auto answer = transport_.exchange(encode(req), config_.status_timeout);
    if (!answer) {
      spdlog::warn("payment '{}': TransactionStatus: {}", r.key, answer.message());
      continue;
    }
    auto msg = parse_terminal_message(*answer);
    if (!msg) {
      spdlog::warn("payment '{}': unreadable TransactionStatus answer: {}", r.key, msg.message());
      continue;
    }
    auto* ts = std::get_if<TransactionStatusResponse>(&*msg);
    if (!ts) {
      spdlog::warn("payment '{}': TransactionStatus got another kind of answer", r.key);
      continue;
    }
    if (!header_matches(ts->header, *sid, "TransactionStatus")) continue;
    if (ts->response.result != NexoResult::kSuccess) {
      if (ts->response.error_condition == "NotFound") {
        if (clock_.now_unix_ms() - r.created_unix_ms < config_.not_found_grace.count()) {
          spdlog::info("payment '{}': not found yet; the request may still be on its way", r.key);
          continue;
        }
        return finish(std::move(r), PaymentState::kFailed,
                      "the terminal has no record of this payment; nothing was charged");
      }
      spdlog::info("payment '{}': TransactionStatus {} ({})", r.key, ts->response.error_condition,
                   refusal_text(ts->response));
      continue;  // InProgress, Busy, ...: ask again
    }
    if (!ts->repeated_payment) {
      spdlog::warn("payment '{}': TransactionStatus Success without the payment's response", r.key);
      continue;
    }
    const PaymentResponse& p = *ts->repeated_payment;
    if ((ts->repeated_header && ts->repeated_header->service_id != r.service_id) ||
        (!p.sale_transaction.transaction_id.empty() && p.sale_transaction.transaction_id != r.sale_transaction_id)) {
      spdlog::warn(
          "payment '{}': TransactionStatus answered about another transaction (ServiceID '{}', SaleTransactionID '{}')",
          r.key, ts->repeated_header ? ts->repeated_header->service_id : "", p.sale_transaction.transaction_id);
      continue;
    }
    if (!apply(r, p)) continue;
    r.updated_unix_ms = clock_.now_unix_ms();
    if (auto s = journal_.put(r); !s) return s.error();
    spdlog::info("payment '{}': recovered as {}", r.key, to_string(r.state));
    publish_outcome(r);
    return r;
  }
  spdlog::warn("payment '{}': still unresolved; it stays IN_PROGRESS", r.key);
  return r;
}

Result<PaymentRecord> PaymentProcessor::get(const std::string& key) const {
  auto r = journal_.get(key);
  if (!r) return r.error();
  if (!*r) return not_found(fmt::format("no payment with idempotency_key '{}'", key));
  return std::move(**r);
}

Status PaymentProcessor::abort(const std::string& key) {
  std::string service_id;
  {
    std::lock_guard lock(state_mu_);
    if (in_flight_ && in_flight_->key == key) service_id = in_flight_->service_id;
  }
  if (service_id.empty()) {
    auto r = get(key);
    if (!r) return r.error();
    return failed_precondition(
        fmt::format("payment '{}' is {}, not waiting at the terminal", key, to_string(r->state)));
  }
  auto sid = journal_.next_service_id();
  if (!sid) return sid.error();
  AbortRequest req;
  req.header = header(*sid, "Abort");
  req.reference = {"Payment", service_id, config_.sale_id};
  auto answer = transport_.exchange(encode(req), config_.status_timeout);
  if (!answer) return unavailable(fmt::format("abort of '{}' did not reach the terminal: {}", key, answer.message()));
  return Status::ok();
}

Result<PaymentRecord> PaymentProcessor::reverse(const std::string& key, const std::string& reason) {
  std::lock_guard terminal(terminal_mu_);
  auto got = get(key);
  if (!got) return got.error();
  PaymentRecord r = std::move(*got);
  if (r.state == PaymentState::kReversed) return r;
  if (r.state != PaymentState::kApproved)
    return failed_precondition(
        fmt::format("payment '{}' is {}; only an APPROVED payment can be reversed", key, to_string(r.state)));
  auto sid = journal_.next_service_id();
  if (!sid) return sid.error();
  ReversalRequest req;
  req.header = header(*sid, "Reversal");
  req.original_poi_transaction = {r.poi_transaction_id, r.poi_timestamp};
  req.sale_transaction = {r.sale_transaction_id, r.sale_timestamp};
  req.reason = nexo_reversal_reason(reason);
  spdlog::info("reversing payment '{}' ({}) as {}: {}", key, r.poi_transaction_id, req.reason, reason);
  auto answer = transport_.exchange(encode(req), config_.payment_timeout);
  if (!answer)
    return unavailable(fmt::format("reversal of '{}' has no answer ({}); call Reverse again", key, answer.message()));
  auto msg = parse_terminal_message(*answer);
  if (!msg)
    return unavailable(fmt::format("reversal of '{}': unreadable answer ({}); call Reverse again", key, msg.message()));
  auto* rev = std::get_if<ReversalResponse>(&*msg);
  if (!rev || !header_matches(rev->header, *sid, "Reversal"))
    return unavailable(fmt::format("reversal of '{}': the terminal answered something else; call Reverse again", key));
  if (rev->response.result != NexoResult::kSuccess)
    return failed_precondition(
        fmt::format("the terminal refused to reverse '{}': {}", key, refusal_text(rev->response)));
  r.state = PaymentState::kReversed;
  r.refusal_reason = reason;
  r.updated_unix_ms = clock_.now_unix_ms();
  if (auto s = journal_.put(r); !s) return s.error();
  return r;
}

Result<ReconciliationReport> PaymentProcessor::reconcile() {
  std::lock_guard terminal(terminal_mu_);  // no payment in flight while the period closes
  auto from = journal_.last_reconciliation_ms();
  if (!from) return from.error();
  const std::int64_t to = clock_.now_unix_ms();
  auto sid = journal_.next_service_id();
  if (!sid) return sid.error();
  ReconciliationRequest req;
  req.header = header(*sid, "Reconciliation");
  req.reconciliation_type = "SaleReconciliation";
  auto answer = transport_.exchange(encode(req), config_.status_timeout);
  if (!answer) return unavailable(fmt::format("reconciliation: the terminal did not answer ({})", answer.message()));
  auto msg = parse_terminal_message(*answer);
  if (!msg) return unavailable(fmt::format("reconciliation: unreadable answer ({})", msg.message()));
  auto* rec = std::get_if<ReconciliationResponse>(&*msg);
  if (!rec || !header_matches(rec->header, *sid, "Reconciliation"))
    return unavailable("reconciliation: the terminal answered something else");
  if (rec->response.result != NexoResult::kSuccess)
    return failed_precondition(fmt::format("reconciliation refused: {}", refusal_text(rec->response)));
  auto records = journal_.all();
  if (!records) return records.error();
  ReconciliationReport report = compare_totals(*records, *from, to, rec->totals);
  report.poi_reconciliation_id = rec->poi_reconciliation_id;
  if (auto s = journal_.record_reconciliation(to, to_json(report)); !s) return s.error();
  if (report.matches())
    spdlog::info("reconciliation {}: the journal agrees with the terminal", report.poi_reconciliation_id);
  else
    for (const auto& d : report.differences) spdlog::error("reconciliation {}: {}", report.poi_reconciliation_id, d);
  return report;
}

Result<int> PaymentProcessor::recover_all() {
  auto pending = journal_.in_flight();
  if (!pending) return pending.error();
  int resolved = 0;
  for (auto& r : *pending) {
    std::lock_guard terminal(terminal_mu_);
    auto out = resolve(std::move(r));
    if (!out) return out.error();
    if (is_final(out->state)) ++resolved;
  }
  return resolved;
}

void PaymentProcessor::stop() {
  {
    std::lock_guard lock(state_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  prompts_.stop();
}

}  // namespace kiosk::payment
