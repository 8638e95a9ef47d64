#pragma once
// terminal-sim's behaviour, without HTTP: a nexo Sale-to-POI terminal that approves, declines the
// amounts Adyen's test terminals decline (öre ending in 124, 125, 126, 127, 128, 134), answers
// TransactionStatus, Reversal and Abort from its own record of charges. It parses and answers with
// the same codec the payment service uses.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.h"
#include "common/result.h"
#include "payment/nexo_messages.h"

namespace kiosk::payment {

// One payment the terminal processed (or is processing).
struct SimTransaction {
  std::string sale_id;
  std::string service_id;
  std::string sale_transaction_id;
  std::string poi_transaction_id;
  Ore amount_ore = 0;
  std::string currency;
  std::string payment_type = "Normal";      // Normal | Refund
  std::string original_poi_transaction_id;  // Refund: the payment it gives money back for
  std::string outcome;                      // "in_progress", "approved", "declined", "aborted", "reversed", "refunded"
  std::string error_condition;
  PaymentResponse response;  // what was (or would have been) answered, for TransactionStatus
};

class TerminalSimulator {
 public:
  struct Reply {
    std::string body;    // JSON; empty for an Abort acknowledgement
    bool drop = false;   // close the connection instead of answering (the charge stands)
    bool crash = false;  // die at once without answering (the charge stands: it is journaled)
  };

  // journal: when not empty, every decided transaction is appended as one JSON line, and the
  // transactions already in it are loaded first, so a terminal restarted after a crash still knows
  // (and answers TransactionStatus and Reversal for) what it charged before.
  explicit TerminalSimulator(const std::filesystem::path& journal = {});

  Reply handle(std::string_view request_json);

  // Test controls, as JSON objects (POST /control):
  //   {"drop_next": N}              the next N payment answers are dropped after the charge is made
  //   {"hold_next_ms": N}           the next payment waits up to N ms (Abort ends the wait: Aborted)
  //   {"crash_next": N}             the next N payments crash the terminal right after the charge is
  //                                 journaled, before it answers (terminal-sim exits as if killed)
  // Returns the controls now in force, or an error naming the bad field.
  Result<std::string> control(std::string_view json_text);
  // Where the terminal's DisplayRequests go (terminal-sim posts them to the sale system). Set before
  // the first request; called under the simulator's lock, so it must only queue.
  void set_display_sink(std::function<void(DisplayRequest)> sink) { display_sink_ = std::move(sink); }
  // {"delay_ms": N}: every answer leaves N ms late (slow terminal); applied by the HTTP layer.
  std::int64_t answer_delay_ms() const;
  // Every transaction so far, as a JSON array (GET /charges).
  std::string transactions_json() const;
  std::vector<SimTransaction> transactions() const;
  // Approved payments not reversed: what was actually charged.
  int charges() const;

 private:
  Reply pay(const PaymentRequest& req);
  Reply status(const TransactionStatusRequest& req);
  Reply reverse(const ReversalRequest& req);
  Reply abort(const AbortRequest& req);
  Reply login(const LoginRequest& req);               // terminal_simulator_admin.cpp
  Reply reconcile(const ReconciliationRequest& req);  // terminal_simulator_admin.cpp
  // Sends a DisplayRequest to the display sink (card prompts), if one is set.
  void display(const MessageHeader& about, std::string info_qualify, std::vector<std::string> lines);
  Reply reject(const MessageHeader& h, const std::string& details);
  void append_journal(const SimTransaction& t);
  std::string now_iso() const;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<SimTransaction> txs_;
  std::uint64_t next_tx_ = 1;
  void load_journal(const std::filesystem::path& journal);

  int drop_next_ = 0;
  int crash_next_ = 0;
  std::int64_t hold_next_ms_ = 0;
  std::optional<std::size_t> held_;  // index in txs_ of the payment waiting at the "card reader"
  bool held_aborted_ = false;
  std::ofstream journal_;
  std::function<void(DisplayRequest)> display_sink_;
  std::uint64_t next_display_ = 1;
  std::int64_t delay_ms_ = 0;
  std::size_t reconciled_upto_ = 0;  // txs_ before this index belong to closed reconciliations
  std::uint64_t reconciliation_no_ = 0;
};

}  // namespace kiosk::payment
