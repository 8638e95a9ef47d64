#pragma once
// The payment fault-injection run shared by test_payment_faults (ctest, fewer payments) and
// bench_payment (the full 1,000): paymentd and terminal-sim run as real processes; a driver acting as
// the checkout pays with idempotency keys ("f<sale>/pay/<attempt>"), retries the same key after
// restarts, completes the sale or (when the sale "cannot complete") reverses the approval. Seeded
// faults: kill -9 of paymentd or of terminal-sim at a random moment, a dropped answer after the
// charge, a terminal crash right after the charge, a slow shopper at the card reader.
// At the end the terminal's own record of charges is checked against the driver's sales and
// paymentd's journal.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"

namespace kiosk::test {

struct FaultRunOptions {
  int payments = 1000;  // sales to pay for
  std::uint64_t seed = 1;
  std::filesystem::path dir;  // work folder: configs, journals, logs
  std::string bin_dir;        // where paymentd and terminal-sim are
  // Per payment attempt, at most one fault, chosen with these probabilities:
  double kill_paymentd = 0.06;       // kill -9 paymentd 0–12 ms after Pay is sent
  double kill_terminal = 0.04;       // kill -9 terminal-sim 0–12 ms after Pay is sent (it reboots)
  double drop_answer = 0.06;         // the terminal charges, then drops the connection
  double crash_after_charge = 0.03;  // the terminal charges, then dies before answering (it reboots)
  double slow_shopper = 0.04;        // the card waits 20–150 ms at the terminal
  // After an approval, the sale cannot complete with this probability: the driver reverses.
  double cannot_complete = 0.05;
  std::function<void(const std::string&)> log;  // progress lines; may be empty
};

struct FaultRunReport {
  int payments = 0;     // sales
  int attempts = 0;     // idempotency keys used
  int approved = 0;     // keys approved
  int declined = 0;     // sales ended by a decline (test-card amounts)
  int not_charged = 0;  // keys FAILED/ABORTED (nothing charged; the driver tried a new key)
  int completed_sales = 0;
  int reversed = 0;      // approvals reversed because the sale could not complete
  int unpaid_sales = 0;  // sales given up after too many uncharged attempts
  int paymentd_kills = 0, terminal_kills = 0, drops = 0, crashes = 0, slow = 0;
  int terminal_charges = 0;           // approved and not reversed, by the terminal's record
  int double_charges = 0;             // a sale or key charged more than once
  int lost_approvals = 0;             // charged by the terminal, but neither a completed sale nor reversed
  int unreconciled = 0;               // journal records that disagree with the terminal's record
  std::vector<std::string> problems;  // one line per violation, for the test's output
  double seconds = 0;
};

Result<FaultRunReport> run_payment_faults(const FaultRunOptions& options);

// A readable table of the counts.
std::string format_report(const FaultRunReport& r);

}  // namespace kiosk::test
