#include "payment/terminal_simulator.h"

#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "payment/nexo_amount.h"
#include "payment/nexo_codec.h"

namespace kiosk::payment {
namespace {

struct Decline {
  int ore_suffix;  // the amount's öre modulo 1000
  const char* error_condition;
  const char* additional_response;
};

// As Adyen's test terminals answer (tests/data/nexo/payment/1xx_*Response.json).
constexpr Decline kDeclines[] = {
    {124, "Refusal", "message=NOT_ENOUGH_BALANCE&refusalReason=210%20Not%20enough%20balance"},
    {125, "Refusal", "message=BLOCK_CARD&refusalReason=199%20Card%20blocked"},
    {126, "Refusal", "message=CARD_EXPIRED&refusalReason=228%20Card%20expired"},
    {127, "Refusal", "message=INVALID_AMOUNT&refusalReason=214%20Declined%20online"},
    {128, "InvalidCard", "message=INVALID_CARD&refusalReason=214%20Declined%20online"},
    {134, "WrongPIN", "message=INVALID_PIN&refusalReason=129%20Invalid%20online%20PIN"},
};

MessageHeader response_header(const MessageHeader& req) {
  MessageHeader h = req;
  h.message_type = "Response";
  h.message_class = "Service";
  return h;
}

std::vector<Receipt> receipts_for(const SimTransaction& t, const std::string& date, bool approved) {
  std::vector<Receipt> out;
  for (const char* copy : {"CashierReceipt", "CustomerReceipt"}) {
    Receipt r;
    r.document_qualifier = copy;
    r.lines = {{"header1", "Kiosk terminal simulator", ""},
               {std::string(copy) == "CustomerReceipt" ? "cardholderHeader" : "merchantTitle",
                std::string(copy) == "CustomerReceipt" ? "CARDHOLDER COPY" : "MERCHANT COPY", ""},
               {"filler", "", ""},
               {"txdate", "Date", date.substr(0, 10)},
               {"txtime", "Time", date.substr(11, 8)},
               {"filler", "", ""},
               {"pan", "Card", "************9999"},
               {"paymentMethod", "Payment method", "mc"},
               {"posEntryMode", "Entry mode", "Contactless"},
               {"txRef", "Tender", t.poi_transaction_id},
               {"filler", "", ""},
               {"totalAmount", "TOTAL", fmt::format("{} {}", t.currency, ore_to_decimal(t.amount_ore))},
               {approved ? "approved" : "declined", approved ? "APPROVED" : "DECLINED", ""},
               {"thanks", "Thank you", ""}};
    out.push_back(std::move(r));
  }
  return out;
}

nlohmann::json tx_json(const SimTransaction& t) {
  return nlohmann::json{{"sale_id", t.sale_id},
                        {"service_id", t.service_id},
                        {"sale_transaction_id", t.sale_transaction_id},
                        {"poi_transaction_id", t.poi_transaction_id},
                        {"amount_ore", t.amount_ore},
                        {"currency", t.currency},
                        {"outcome", t.outcome},
                        {"error_condition", t.error_condition},
                        {"payment_type", t.payment_type},
                        {"original_poi_transaction_id", t.original_poi_transaction_id}};
}

// The journal line also carries the answer, so a restarted terminal can repeat it (TransactionStatus).
nlohmann::json journal_json(const SimTransaction& t) {
  nlohmann::json j = tx_json(t);
  j["response"] = nlohmann::json::parse(encode(t.response), nullptr, false);
  return j;
}

// "SIM0000000042.17" → 42; 0 when the id is not one of ours.
std::uint64_t tx_number(const std::string& poi_transaction_id) {
  if (poi_transaction_id.size() < 13 || poi_transaction_id.rfind("SIM", 0) != 0) return 0;
  std::uint64_t n = 0;
  for (std::size_t i = 3; i < 13; ++i) {
    const char c = poi_transaction_id[i];
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

}  // namespace

TerminalSimulator::TerminalSimulator(const std::filesystem::path& journal) {
  if (journal.empty()) return;
  load_journal(journal);
  bool cut_short = false;  // a crash mid-line: the next line must not be glued to it
  {
    std::ifstream in(journal, std::ios::binary | std::ios::ate);
    if (in && in.tellg() > 0) {
      in.seekg(-1, std::ios::end);
      cut_short = in.get() != '\n';
    }
  }
  journal_.open(journal, std::ios::app);
  if (cut_short) journal_ << '\n';
}

void TerminalSimulator::load_journal(const std::filesystem::path& journal) {
  std::ifstream in(journal);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;  // a line cut short by a crash: never answered
    SimTransaction t;
    t.sale_id = j.value("sale_id", "");
    t.service_id = j.value("service_id", "");
    t.sale_transaction_id = j.value("sale_transaction_id", "");
    t.poi_transaction_id = j.value("poi_transaction_id", "");
    t.amount_ore = j.value("amount_ore", Ore{0});
    t.currency = j.value("currency", "");
    t.outcome = j.value("outcome", "");
    t.error_condition = j.value("error_condition", "");
    t.payment_type = j.value("payment_type", "Normal");
    t.original_poi_transaction_id = j.value("original_poi_transaction_id", "");
    if (j.contains("response") && j["response"].is_object()) {
      auto msg = parse_terminal_message(j["response"].dump());
      if (msg)
        if (auto* p = std::get_if<PaymentResponse>(&*msg)) t.response = *p;
    }
    next_tx_ = std::max(next_tx_, tx_number(t.poi_transaction_id) + 1);
    // A later line for the same transaction (a reversal) replaces the earlier one.
    bool replaced = false;
    for (auto& old : txs_)
      if (old.poi_transaction_id == t.poi_transaction_id) {
        old = t;
        replaced = true;
      }
    if (!replaced) txs_.push_back(std::move(t));
  }
}

std::string TerminalSimulator::now_iso() const {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

void TerminalSimulator::append_journal(const SimTransaction& t) {
  if (!journal_.is_open()) return;
  journal_ << journal_json(t).dump() << '\n';
  journal_.flush();
}

TerminalSimulator::Reply TerminalSimulator::handle(std::string_view request_json) {
  auto req = parse_sale_request(request_json);
  if (!req) return reject(MessageHeader{}, req.message());
  return std::visit(
      [this](const auto& m) -> Reply {
        using T = std::decay_t<decltype(m)>;
        // nexo limits ServiceID to 10 characters; a terminal rejects longer ones.
        if (m.header.service_id.empty() || m.header.service_id.size() > 10)
          return reject(m.header, fmt::format("ServiceID '{}' must be 1 to 10 characters", m.header.service_id));
        if constexpr (std::is_same_v<T, PaymentRequest>)
          return pay(m);
        else if constexpr (std::is_same_v<T, TransactionStatusRequest>)
          return status(m);
        else if constexpr (std::is_same_v<T, ReversalRequest>)
          return reverse(m);
        else if constexpr (std::is_same_v<T, AbortRequest>)
          return abort(m);
        else if constexpr (std::is_same_v<T, LoginRequest>)
          return login(m);
        else if constexpr (std::is_same_v<T, ReconciliationRequest>)
          return reconcile(m);
        else
          return reject(m.header, "a Display or Print response is no request for the terminal");
      },
      *req);
}

TerminalSimulator::Reply TerminalSimulator::reject(const MessageHeader& h, const std::string& details) {
  EventNotification ev;
  ev.header.message_class = "Event";
  ev.header.message_category = "Event";
  ev.header.message_type = "Notification";
  ev.header.sale_id = h.sale_id.empty() ? "N/A" : h.sale_id;
  ev.header.poi_id = h.poi_id.empty() ? "N/A" : h.poi_id;
  ev.event_to_notify = "Reject";
  ev.event_details = "message=" + url_encode(details);
  ev.timestamp = now_iso();
  return {encode(ev), false};
}

TerminalSimulator::Reply TerminalSimulator::pay(const PaymentRequest& req) {
  if (req.sale_transaction.transaction_id.empty())
    return reject(req.header, "SaleData.SaleTransactionID.TransactionID is missing");
  std::unique_lock lock(mu_);
  SimTransaction t;
  t.sale_id = req.header.sale_id;
  t.service_id = req.header.service_id;
  t.sale_transaction_id = req.sale_transaction.transaction_id;
  t.amount_ore = req.requested_ore;
  t.currency = req.currency;
  t.payment_type = req.payment_type;
  t.original_poi_transaction_id = req.original_poi_transaction.transaction_id;
  t.poi_transaction_id = fmt::format("SIM{:010}.{}", next_tx_++, t.service_id);
  const std::string now = now_iso();

  PaymentResponse& resp = t.response;
  resp.header = response_header(req.header);
  resp.poi_transaction = {t.poi_transaction_id, now};
  resp.sale_transaction = req.sale_transaction;
  resp.currency = req.currency;

  if (held_) {  // one payment at a time, as a real terminal
    resp.response = {NexoResult::kFailure, "Busy", "message=Terminal%20busy"};
    return {encode(resp), false};
  }
  display(req.header, "Display",
          {"Present card", fmt::format("{} {}", req.currency, ore_to_decimal(req.requested_ore))});
  if (hold_next_ms_ > 0) {
    const auto hold = std::chrono::milliseconds(hold_next_ms_);
    hold_next_ms_ = 0;
    t.outcome = "in_progress";
    txs_.push_back(t);
    held_ = txs_.size() - 1;
    held_aborted_ = false;
    cv_.wait_for(lock, hold, [this] { return held_aborted_; });
    const bool aborted = held_aborted_;
    held_.reset();
    if (aborted) {
      SimTransaction& stored = txs_.back();
      stored.outcome = "aborted";
      stored.error_condition = "Aborted";
      stored.response.response = {NexoResult::kFailure, "Aborted", "message=104%20Merchant%20cancelled"};
      append_journal(stored);
      return {encode(stored.response), false};
    }
    txs_.pop_back();  // decided below like any other payment
  }

  const auto suffix = static_cast<int>(req.requested_ore % 1000);
  const Decline* decline = nullptr;
  for (const auto& d : kDeclines)
    if (d.ore_suffix == suffix) decline = &d;
  resp.masked_pan = "541333******9999";
  resp.payment_brand = "mc";
  if (req.payment_type == "Refund") {
    // A refund gives back (part of) an approved payment of this terminal, never more than it charged.
    const SimTransaction* original = nullptr;
    Ore refunded = 0;
    for (const auto& o : txs_) {
      if (o.poi_transaction_id == t.original_poi_transaction_id) original = &o;
      if (o.outcome == "refunded" && o.original_poi_transaction_id == t.original_poi_transaction_id)
        refunded += o.amount_ore;
    }
    std::string why;
    if (!original || original->payment_type != "Normal" || original->outcome != "approved")
      why = "the original payment " + t.original_poi_transaction_id + " is not an approved payment of this terminal";
    else if (refunded + t.amount_ore > original->amount_ore)
      why = fmt::format("refunds of {} would exceed the {} öre charged", t.original_poi_transaction_id,
                        original->amount_ore);
    if (!why.empty()) {
      t.outcome = "declined";
      t.error_condition = "NotAllowed";
      resp.response = {NexoResult::kFailure, "NotAllowed", "message=" + url_encode(why)};
    } else {
      t.outcome = "refunded";
      resp.response = {NexoResult::kSuccess, "", "message=REFUNDED"};
      resp.authorized_ore = req.requested_ore;
      resp.receipts = receipts_for(t, now, true);
    }
  } else if (decline) {
    t.outcome = "declined";
    t.error_condition = decline->error_condition;
    resp.response = {NexoResult::kFailure, decline->error_condition, decline->additional_response};
  } else {
    t.outcome = "approved";
    resp.response = {NexoResult::kSuccess, "", "message=APPROVED"};
    resp.authorized_ore = req.requested_ore;
    resp.approval_code = fmt::format("{:06}", (next_tx_ * 7919) % 1000000);
    resp.receipts = receipts_for(t, now, true);
  }
  txs_.push_back(t);
  append_journal(t);
  display(req.header, "Status", {resp.response.result == NexoResult::kSuccess ? "Approved" : "Declined"});
  if (crash_next_ > 0) {
    --crash_next_;
    return {std::string(), false, true};
  }
  if (drop_next_ > 0) {
    --drop_next_;
    return {std::string(), true};
  }
  return {encode(resp), false};
}

TerminalSimulator::Reply TerminalSimulator::status(const TransactionStatusRequest& req) {
  std::lock_guard lock(mu_);
  TransactionStatusResponse out;
  out.header = response_header(req.header);
  out.reference = req.reference;
  const SimTransaction* found = nullptr;
  for (const auto& t : txs_)
    if (t.sale_id == req.reference.sale_id && t.service_id == req.reference.service_id) found = &t;
  if (!found) {
    out.response = {NexoResult::kFailure, "NotFound", "message=Transaction%20not%20found"};
  } else if (found->outcome == "in_progress") {
    out.response = {NexoResult::kFailure, "InProgress", "message=Transaction%20in%20progress"};
  } else {
    out.response = {NexoResult::kSuccess, "", ""};
    out.repeated_header = found->response.header;
    out.repeated_payment = found->response;
  }
  return {encode(out), false};
}

TerminalSimulator::Reply TerminalSimulator::reverse(const ReversalRequest& req) {
  std::lock_guard lock(mu_);
  ReversalResponse out;
  out.header = response_header(req.header);
  out.poi_transaction = req.original_poi_transaction;
  SimTransaction* found = nullptr;
  for (auto& t : txs_)
    if (t.poi_transaction_id == req.original_poi_transaction.transaction_id) found = &t;
  if (!found) {
    out.response = {NexoResult::kFailure, "NotFound", "message=Original%20transaction%20not%20found"};
  } else if (found->outcome == "approved" || found->outcome == "reversed") {
    if (found->outcome == "approved") {
      found->outcome = "reversed";
      append_journal(*found);
    }
    out.response = {NexoResult::kSuccess, "", "message=VOID%20REQUESTED"};
  } else {
    out.response = {NexoResult::kFailure, "NotAllowed",
                    "message=" + url_encode("cannot reverse a " + found->outcome + " transaction")};
  }
  return {encode(out), false};
}

TerminalSimulator::Reply TerminalSimulator::abort(const AbortRequest& req) {
  std::lock_guard lock(mu_);
  if (held_ && txs_[*held_].service_id == req.reference.service_id && txs_[*held_].sale_id == req.reference.sale_id) {
    held_aborted_ = true;
    cv_.notify_all();
  }
  return {std::string(), false};  // an AbortRequest has no response message
}

Result<std::string> TerminalSimulator::control(std::string_view json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid_argument("control: body is not a JSON object");
  std::lock_guard lock(mu_);
  for (const auto& [k, v] : j.items()) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
      return invalid_argument(fmt::format("control: '{}' must be a non-negative integer", k));
    if (k == "drop_next")
      drop_next_ = static_cast<int>(v.get<std::int64_t>());
    else if (k == "hold_next_ms")
      hold_next_ms_ = v.get<std::int64_t>();
    else if (k == "crash_next")
      crash_next_ = static_cast<int>(v.get<std::int64_t>());
    else if (k == "delay_ms")
      delay_ms_ = v.get<std::int64_t>();
    else
      return invalid_argument(
          fmt::format("control: unknown key '{}' (drop_next, hold_next_ms, crash_next, delay_ms)", k));
  }
  return nlohmann::json{
      {"drop_next", drop_next_}, {"hold_next_ms", hold_next_ms_}, {"crash_next", crash_next_}, {"delay_ms", delay_ms_}}
      .dump();
}

std::vector<SimTransaction> TerminalSimulator::transactions() const {
  std::lock_guard lock(mu_);
  return txs_;
}

std::string TerminalSimulator::transactions_json() const {
  std::lock_guard lock(mu_);
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& t : txs_) arr.push_back(tx_json(t));
  return arr.dump();
}

int TerminalSimulator::charges() const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& t : txs_) n += t.outcome == "approved" ? 1 : 0;
  return n;
}

}  // namespace kiosk::payment
