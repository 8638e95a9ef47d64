#pragma once
// Bagging verification: attributes each stable weight change in the bagging area to the scans
// (expectations) that checkout announced, and says ACCEPTED / SKIPPED / MISMATCH / NOT_PLACED per scan,
// or raises an alert (UNEXPECTED_ITEM, ITEM_REMOVED, WEIGHT_MISMATCH, DEVICE_FAULT) for the attendant.
// Pure logic: driven by readings and an injected clock, so tests need no device. Not thread-safe.
//
// Rules (weights in mg, times from the clock):
//  - baseline: the accepted stable weight; set at BeginSession, after each ACCEPTED verdict and by an
//    attendant's ACCEPT_WEIGHT/OVERRIDE.
//  - tolerance of a scan = max(tolerance_min_mg, tolerance_k × spread_mg).
//  - a stable delta (stable − baseline) within tolerance_min_mg of 0 is "no change".
//  - a stable delta that matches pending scans (the oldest first, then any one, then the oldest n
//    together) → ACCEPTED for each, new baseline.
//  - a stable delta that matches nothing and stays stable at that level for resettle_ms → MISMATCH
//    verdict + WEIGHT_MISMATCH alert (for the oldest pending scan of the same sign), or, with no
//    pending scan of that sign, UNEXPECTED_ITEM (increase) / ITEM_REMOVED (decrease).
//  - an alert closes when the weight is back at the baseline (the shopper undid the cause; a
//    mismatched scan then waits again), when a scan explains the weight, or by an attendant decision.
//  - no-weigh items, and items too light to tell from nothing (expected ≤ tolerance), → SKIPPED at once.
//  - a scan still pending after bagging_timeout_ms → NOT_PLACED.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace kiosk::scale {

struct Reading {
  std::int64_t weight_mg = 0;
  bool stable = false;  // the stable detector's verdict for this reading
  std::int64_t at_unix_ms = 0;
};

struct Verdict {
  enum class Kind { kAccepted, kSkipped, kMismatch, kNotPlaced };
  std::string expectation_id;
  Kind kind = Kind::kAccepted;
  std::int64_t expected_mg = 0;  // negative for a removal
  std::int64_t tolerance_mg = 0;
  std::int64_t measured_delta_mg = 0;
  std::int64_t at_unix_ms = 0;
};

struct Alert {
  enum class Kind { kWeightMismatch, kUnexpectedItem, kItemRemoved, kDeviceFault };
  std::string alert_id;
  Kind kind = Kind::kUnexpectedItem;
  std::string expectation_id;  // the scan it concerns (mismatch), else empty
  std::int64_t expected_mg = 0;
  std::int64_t tolerance_mg = 0;
  std::int64_t measured_delta_mg = 0;
  std::vector<Reading> trace;  // the last trace_window of readings, oldest first
  std::int64_t at_unix_ms = 0;
  bool open = true;
  std::string detail;  // device fault reason; closing attendant decision
};

using VerifierEvent = std::variant<Verdict, Alert>;

enum class Decision { kAcceptWeight, kItemRemoved, kOverride };

struct VerifierOptions {
  std::int64_t tolerance_min_mg = 10000;
  std::int64_t tolerance_k = 3;
  std::chrono::milliseconds bagging_timeout{20000};
  std::chrono::milliseconds resettle{1500};      // how long a wrong stable weight must persist
  std::chrono::milliseconds trace_window{3000};  // evidence kept with alerts
};

class BaggingVerifier {
 public:
  BaggingVerifier(const Clock& clock, VerifierOptions options);

  // Every reading from the scale; `stable_mg` is the stable weight when the detector says stable.
  void on_reading(std::int64_t weight_mg, std::optional<std::int64_t> stable_mg);
  // The device went away or came back; raises/closes a DEVICE_FAULT alert during a session.
  void on_device(bool healthy, const std::string& detail);
  // Time passes: NOT_PLACED for scans pending longer than bagging_timeout.
  void tick();

  // Opens a session: the present weight becomes the baseline (returned, mg). The same id again
  // keeps the running session (checkout resuming after a restart); another id replaces it.
  Result<std::int64_t> begin_session(const std::string& session_id);
  Result<std::int64_t> end_session(const std::string& session_id);
  // A scan: returns the tolerance (mg). Repeating an expectation_id returns the first answer.
  Result<std::int64_t> expect_item(const std::string& expectation_id, std::int64_t expected_mg, std::int64_t spread_mg,
                                   bool no_weigh);
  // A line was removed from the basket: expect `expected_mg` to leave the bagging area.
  Result<std::int64_t> expect_removal(const std::string& expectation_id, std::int64_t expected_mg,
                                      std::int64_t spread_mg);
  Status resolve_alert(const std::string& alert_id, Decision decision, const std::string& attendant_id);

  // Verdicts and alert changes since the last call, in order.
  std::vector<VerifierEvent> take_events();

  std::vector<Alert> open_alerts() const;
  bool session_open() const { return session_.has_value(); }
  std::int64_t baseline_mg() const { return baseline_mg_; }
  std::size_t pending_count() const { return pending_.size(); }

 private:
  struct Expectation {
    std::string id;
    std::int64_t expected_mg = 0;  // signed: removals are negative
    std::int64_t tolerance_mg = 0;
    std::chrono::steady_clock::time_point since;
    std::string mismatch_alert_id;  // set while a WEIGHT_MISMATCH alert about this scan is open
  };
  struct Unexplained {  // a stable level that no scan explains yet
    std::int64_t level_mg = 0;
    std::chrono::steady_clock::time_point since;
    bool alerted = false;
  };

  Result<std::int64_t> add_expectation(const std::string& id, std::int64_t signed_mg, std::int64_t spread_mg,
                                       bool no_weigh);
  void evaluate(std::int64_t stable_mg);
  bool try_match(std::int64_t delta, std::int64_t stable_mg);
  void accept(std::vector<std::size_t> idx, std::int64_t delta, std::int64_t stable_mg);
  void raise_unexplained(std::int64_t delta);
  void back_at_baseline();
  void close_alert(Alert& a, const std::string& detail);
  void close_all_alerts(const std::string& detail);
  bool weight_alert_open() const;
  std::string next_alert_id();
  std::int64_t tolerance_for(std::int64_t spread_mg) const;

  const Clock& clock_;
  VerifierOptions options_;
  std::optional<std::string> session_;
  std::int64_t baseline_mg_ = 0;
  std::deque<Expectation> pending_;
  std::map<std::string, std::int64_t> seen_;   // expectation_id → tolerance, this session
  std::map<std::string, Alert> alerts_;        // open alerts by id
  std::map<std::string, bool> closed_alerts_;  // ids closed this session (resolving again is a no-op)
  std::optional<Unexplained> unexplained_;
  std::optional<std::int64_t> last_weight_mg_;
  std::optional<std::int64_t> last_stable_mg_;
  std::deque<Reading> trace_;
  std::vector<VerifierEvent> events_;
  std::uint64_t alert_seq_ = 0;
};

std::string_view to_string(Verdict::Kind k);
std::string_view to_string(Alert::Kind k);

}  // namespace kiosk::scale
