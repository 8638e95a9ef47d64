#pragma once
// Card payments for one lane's terminal, journal-first and idempotent. No gRPC here: the service
// adapter, paymentd's start-up recovery and the tests all drive this class.
//
// Invariants:
//   - a record is journaled (synced) before any request for it leaves the kiosk;
//   - one idempotency key is charged at most once: a finished key replays its record, a key left
//     in flight is resolved with TransactionStatusRequest, never by a second PaymentRequest;
//   - a timeout, a dropped connection or a mismatched answer is never a decline: it leaves the
//     record IN_PROGRESS until the terminal tells what happened;
//   - one request at a time goes to the terminal (Abort excepted: it must reach a busy terminal).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/money.h"
#include "common/result.h"
#include "payment/nexo_messages.h"
#include "payment/payment_journal.h"
#include "payment/prompt_feed.h"
#include "payment/reconciliation.h"
#include "payment/terminal_transport.h"

namespace kiosk::payment {

struct PaymentConfig {
  std::string sale_id = "kiosk-01";  // nexo SaleID of this kiosk
  std::string poi_id;                // nexo POIID of its terminal
  std::string currency = "SEK";
  std::chrono::milliseconds payment_timeout{120'000};  // the terminal's own payment timeout plus margin
  std::chrono::milliseconds status_timeout{10'000};    // TransactionStatus / Abort / Reversal exchange
  int recovery_attempts = 30;                          // TransactionStatus polls before giving up (IN_PROGRESS)
  std::chrono::milliseconds recovery_interval{2'000};  // between polls
  // A "NotFound" answer proves nothing was charged only once the request is this old: a request
  // still on its way (or queued in the terminal) is not found yet either.
  std::chrono::milliseconds not_found_grace{1'000};
};

class PaymentProcessor {
 public:
  PaymentProcessor(PaymentConfig config, PaymentJournal& journal, TerminalTransport& transport, const Clock& clock);

  // Pays amount_ore under key and returns the final record (or IN_PROGRESS if the terminal cannot
  // tell yet). Errors: invalid input, a key reused for another amount, journal failure.
  Result<PaymentRecord> pay(const std::string& key, Ore amount_ore, const std::string& currency,
                            const std::string& sale_reference = {});
  // The journaled record, without contacting the terminal.
  Result<PaymentRecord> get(const std::string& key) const;
  // Asks the terminal to abort the payment in flight for key; its outcome still comes from pay().
  Status abort(const std::string& key);
  // Reverses an approved payment (nexo Reversal). A REVERSED record replays. `reason` is the nexo
  // ReversalReason (CustCancel, MerchantCancel, Malfunction, Unable2Compl) or free text, which is
  // journaled and sent as Malfunction (the sale could not complete).
  Result<PaymentRecord> reverse(const std::string& key, const std::string& reason);
  // Refunds amount_ore of the approved payment original_key (nexo PaymentRequest, PaymentType
  // Refund, referencing the original's POI transaction), journal-first and idempotent like pay().
  // The refunds of one payment never add up to more than it charged. State REFUNDED when approved.
  Result<PaymentRecord> refund(const std::string& key, const std::string& original_key, Ore amount_ore);
  // Closes the period with the terminal (nexo ReconciliationRequest, SaleReconciliation) and compares
  // its totals with the journal's for the same period (records since the last reconciliation). The
  // report is journaled; differences are in it (not an error). Errors: the terminal did not answer or
  // refused (the period stays open and the next reconciliation covers it).
  Result<ReconciliationReport> reconcile();
  // Resolves every record a previous run left in flight; returns how many were resolved.
  Result<int> recover_all();
  // Ends recovery waits and prompt streams promptly (shutdown).
  void stop();
  // What the terminal asks of the shopper, published as payments progress.
  PromptFeed& prompts() { return prompts_; }

 private:
  Result<PaymentRecord> send_payment(PaymentRecord r);
  Result<PaymentRecord> start_record(PaymentRecord r);
  Result<PaymentRecord> resolve(PaymentRecord r);
  // Applies a matched PaymentResponse; false if it says the payment is still in progress.
  bool apply(PaymentRecord& r, const PaymentResponse& resp);
  Result<PaymentRecord> finish(PaymentRecord r, PaymentState state, std::string reason);
  bool header_matches(const MessageHeader& h, std::string_view service_id, std::string_view category) const;
  MessageHeader header(std::string service_id, std::string category) const;
  bool wait_interval();
  void publish_outcome(const PaymentRecord& r);
  std::string timestamp() const;

  PaymentConfig config_;
  PaymentJournal& journal_;
  TerminalTransport& transport_;
  const Clock& clock_;

  std::mutex terminal_mu_;  // one payment/status/reversal exchange at a time
  mutable std::mutex state_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  struct InFlight {
    std::string key;
    std::string service_id;
  };
  std::optional<InFlight> in_flight_;
  PromptFeed prompts_;
};

}  // namespace kiosk::payment
