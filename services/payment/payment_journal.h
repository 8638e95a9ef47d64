#pragma once
// The payment journal: one record per idempotency key in RocksDB, every write synced, written
// BEFORE the terminal is asked anything. After a crash, a record still STARTED/IN_PROGRESS is
// resolved with a nexo TransactionStatusRequest, never by paying again.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.h"
#include "common/result.h"

namespace rocksdb {
class DB;
}

namespace kiosk::payment {

enum class PaymentState {
  kStarted,     // journaled; the request may or may not have reached the terminal
  kInProgress,  // sent, outcome unknown (timeout, dropped connection): resolve with TransactionStatus
  kApproved,
  kDeclined,  // refused by the terminal or issuer; nothing charged
  kAborted,   // cancelled before approval; nothing charged
  kFailed,    // certainly not charged (terminal unreachable, busy, or has no record of it)
  kReversed,  // approved, then reversed
  kRefunded,  // a refund the terminal approved (money back to the card)
};
std::string_view to_string(PaymentState s);
std::optional<PaymentState> parse_payment_state(std::string_view s);
inline bool is_final(PaymentState s) {
  return s != PaymentState::kStarted && s != PaymentState::kInProgress;
}

struct PaymentRecord {
  std::string key;                          // the caller's idempotency key
  std::string kind = "payment";             // payment | refund
  std::string original_key;                 // refund: the payment it refunds
  std::string original_poi_transaction_id;  // refund: that payment's terminal reference (sent to the terminal)
  std::string original_poi_timestamp;
  std::string sale_reference;
  std::string sale_id;
  std::string poi_id;
  std::string service_id;           // nexo ServiceID of the PaymentRequest
  std::string sale_transaction_id;  // nexo SaleTransactionID.TransactionID (≤ 35 chars)
  std::string sale_timestamp;       // its TimeStamp, ISO 8601 UTC
  Ore amount_ore = 0;
  std::string currency;
  PaymentState state = PaymentState::kStarted;
  std::string error_condition;  // nexo ErrorCondition of a refusal
  std::string refusal_reason;   // readable: "Refusal: 210 Not enough balance"
  std::string poi_transaction_id;
  std::string poi_timestamp;
  Ore authorized_ore = 0;
  std::string masked_pan;
  std::string card_brand;
  std::string auth_code;
  std::string receipt_text;
  std::int64_t created_unix_ms = 0;
  std::int64_t updated_unix_ms = 0;
};

class PaymentJournal {
 public:
  // Opens (creating if needed) the RocksDB database in dir.
  static Result<std::unique_ptr<PaymentJournal>> open(const std::filesystem::path& dir);
  ~PaymentJournal();
  PaymentJournal(const PaymentJournal&) = delete;
  PaymentJournal& operator=(const PaymentJournal&) = delete;

  Result<std::optional<PaymentRecord>> get(std::string_view key) const;
  // Stores a new record with a freshly allocated ServiceID (and the SaleTransactionID derived from
  // it) in one synced batch with the bumped counter. Fails if the key exists.
  Result<PaymentRecord> create(PaymentRecord r);
  // Overwrites a record (synced).
  Status put(const PaymentRecord& r);
  // Allocates a ServiceID for a follow-up message (TransactionStatus, Abort, Reversal), synced.
  Result<std::string> next_service_id();
  // Every record still STARTED or IN_PROGRESS, for recovery at start-up.
  Result<std::vector<PaymentRecord>> in_flight() const;
  // Every record (in key order), for reconciliation with the terminal's totals and for audits.
  Result<std::vector<PaymentRecord>> all() const;
  // When the last reconciliation with the terminal closed its period (0: never).
  Result<std::int64_t> last_reconciliation_ms() const;
  // Closes a period: its end and the report (JSON) kept under that time, in one synced batch.
  Status record_reconciliation(std::int64_t at_unix_ms, const std::string& report_json);

 private:
  explicit PaymentJournal(std::unique_ptr<rocksdb::DB> db, std::uint64_t counter);
  std::string bump_counter_locked();

  std::unique_ptr<rocksdb::DB> db_;
  std::mutex counter_mu_;
  std::uint64_t counter_;  // last ServiceID handed out; 1 … 9'999'999'999 then wraps
};

// Journal value encoding (JSON), exposed for tests.
std::string encode_record(const PaymentRecord& r);
Result<PaymentRecord> decode_record(std::string_view text);

}  // namespace kiosk::payment
