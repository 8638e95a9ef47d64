// terminal-sim: Login, Reconciliation and the terminal's own Display requests (card prompts).
#include <fmt/format.h>

#include <map>
#include <tuple>

#include "payment/nexo_codec.h"
#include "payment/terminal_simulator.h"

namespace kiosk::payment {

TerminalSimulator::Reply TerminalSimulator::login(const LoginRequest& req) {
  LoginResponse out;
  out.header = req.header;
  out.header.message_type = "Response";
  out.response = {NexoResult::kSuccess, "", ""};
  out.poi_date_time = now_iso();
  out.poi_serial_number = req.header.poi_id.substr(req.header.poi_id.rfind('-') + 1);
  out.global_status = "OK";
  return {encode(out), false};
}

// Totals of the transactions since the last SaleReconciliation, which a SaleReconciliation then
// closes (AcquirerReconciliation reports the same totals without closing).
TerminalSimulator::Reply TerminalSimulator::reconcile(const ReconciliationRequest& req) {
  std::lock_guard lock(mu_);
  ReconciliationResponse out;
  out.header = req.header;
  out.header.message_type = "Response";
  out.reconciliation_type = req.reconciliation_type;
  if (req.reconciliation_type != "SaleReconciliation" && req.reconciliation_type != "AcquirerReconciliation") {
    out.response = {NexoResult::kFailure, "NotAllowed",
                    "message=" + url_encode("ReconciliationType " + req.reconciliation_type + " is not supported")};
    return {encode(out), false};
  }
  // (brand, currency, type) → count, amount
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::int64_t, Ore>> sums;
  for (std::size_t i = reconciled_upto_; i < txs_.size(); ++i) {
    const SimTransaction& t = txs_[i];
    std::string type;
    if (t.outcome == "approved")
      type = "Debit";
    else if (t.outcome == "refunded")
      type = "Credit";
    else if (t.outcome == "reversed")
      type = "ReverseDebit";
    else
      continue;  // declined, aborted, in progress: no money moved
    auto& [count, amount] = sums[{t.response.payment_brand, t.currency, type}];
    ++count;
    amount += t.amount_ore;
  }
  for (const auto& [k, v] : sums)
    out.totals.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), v.first, v.second});
  out.poi_reconciliation_id = fmt::format("{}", reconciliation_no_ + 1);
  if (req.reconciliation_type == "SaleReconciliation") {
    ++reconciliation_no_;
    reconciled_upto_ = txs_.size();
  }
  out.response = {NexoResult::kSuccess, "", ""};
  return {encode(out), false};
}

void TerminalSimulator::display(const MessageHeader& about, std::string info_qualify, std::vector<std::string> lines) {
  if (!display_sink_) return;
  DisplayRequest d;
  d.header.message_class = "Device";
  d.header.message_category = "Display";
  d.header.message_type = "Request";
  d.header.service_id = fmt::format("D{}", next_display_++ % 1'000'000'000);  // the terminal's own ServiceIDs
  d.header.sale_id = about.sale_id;
  d.header.poi_id = about.poi_id;
  d.device = "CustomerDisplay";
  d.info_qualify = std::move(info_qualify);
  d.lines = std::move(lines);
  display_sink_(std::move(d));
}

std::int64_t TerminalSimulator::answer_delay_ms() const {
  std::lock_guard lock(mu_);
  return delay_ms_;
}

}  // namespace kiosk::payment
