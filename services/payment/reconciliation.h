#pragma once
// The daily reconciliation: the payment journal's totals for a period against the terminal's own
// totals for the same period (nexo ReconciliationResponse), per transaction type. No gRPC, no I/O.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "payment/nexo_messages.h"
#include "payment/payment_journal.h"

namespace kiosk::payment {

struct Totals {
  std::int64_t count = 0;
  Ore amount_ore = 0;
  bool operator==(const Totals&) const = default;
};

struct ReconciliationReport {
  std::string poi_reconciliation_id;  // the terminal's number for the closed period
  std::int64_t from_unix_ms = 0;      // the period: records created after this ...
  std::int64_t to_unix_ms = 0;        // ... up to this
  // By nexo TransactionType: Debit (approved payments), Credit (refunds), ReverseDebit (reversals).
  std::map<std::string, Totals> journal, terminal;
  std::vector<std::string> unresolved;   // keys still in flight in the period (their outcome is unknown)
  std::vector<std::string> differences;  // one readable line per disagreement; empty when they agree
  bool matches() const { return differences.empty(); }
};

// The journal's side for records created in (from, to]. Terminal-side totals come from the
// ReconciliationResponse, summed over card brands.
ReconciliationReport compare_totals(const std::vector<PaymentRecord>& records, std::int64_t from_unix_ms,
                                    std::int64_t to_unix_ms, const std::vector<PaymentTotal>& terminal);

std::string to_json(const ReconciliationReport& r);

// The daily schedule: due when today's `at_minute_utc` (minutes after 00:00 UTC) has passed and the
// last reconciliation was before it.
bool reconciliation_due(std::int64_t now_unix_ms, std::int64_t last_unix_ms, int at_minute_utc);
// "HH:MM" → minutes after midnight; an error says what is wrong.
Result<int> parse_time_of_day(std::string_view hhmm);

}  // namespace kiosk::payment
