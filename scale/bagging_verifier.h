#pragma once
// Bagging verification: attributes each stable weight change in the bagging area to the scans
// (expectations) that checkout announced, and says ACCEPTED / SKIPPED / MISMATCH / NOT_PLACED per scan,
// or raises an alert (UNEXPECTED_ITEM, ITEM_REMOVED, WEIGHT_MISMATCH, DEVICE_FAULT) for the attendant.
// Pure logic: driven by readings and an injected clock, so tests need no device. Not thread-safe.
//
// Rules (weights in mg, times from the clock):
//  - baseline: the accepted stable weight; set at BeginSession, after each ACCEPTED verdict and by an
//    attendant's ACCEPT_WEIGHT/OVERRIDE.
//  - expected weight and spread of a scan: the learned ones once adopted (weight_learning.h), else the
//    catalog's. sigma = sqrt(spread² + scale_sd²) (the product's and the scale's own uncertainty);
//    tolerance = max(tolerance_min_mg, tolerance_k × sigma); scans bagged together share one tolerance
//    max(tolerance_min_mg, tolerance_k × sqrt(Σ sigma²)).
//  - a stable delta (stable − baseline) within tolerance_min_mg of 0 is "no change".
//  - a stable delta that matches pending scans (any set of them, optionally with light items scanned
//    earlier; the best fit in z² with a cost per extra item) → ACCEPTED for each, new baseline.
//  - a staircase: two things put down one shortly after the other leave a short flat stretch (a
//    plateau: readings within ±plateau_band_e e for at least `plateau` and 3 readings, whatever the
//    device's motion flag says, too short for a stable weight) between the baseline and the next
//    stable weight; an unexplained stable level waiting out the re-settle window counts too. When
//    one scan explains the whole increase and also one step alone, it is ACCEPTED for that step,
//    and the other step (> tolerance_min_mg) must be explained on its own (another scan, a light
//    item), otherwise it is an unexpected item: an unscanned item put down just before or after a
//    scanned one cannot hide in the scanned item's tolerance. When no scan explains the whole, a
//    step that some scans explain is ACCEPTED the same way. Several scans explaining the whole are
//    judged whole (a hand resting a moment on the first makes levels a wide scan may explain). Put
//    down at the very same instant (on top of it, in one bag) an item still hides: weight alone
//    cannot separate them then.
//  - before alerting, re-settle: when the last acceptance took the wrong one of two scans of
//    overlapping weights (the present delta fits the scan it took, its delta fits a pending scan that
//    had already arrived when it was taken, each within its own tolerance) the two swap → ACCEPTED for
//    the pending scan, new baseline. A scan that came after that acceptance cannot have been confused
//    with it (otherwise an unscanned item put down with the next scan could hide in the swap).
//  - a stable delta that matches nothing and stays at that level for resettle (additions) or
//    removal_resettle (removals: an item lifted out and put back is no alert) → MISMATCH verdict +
//    WEIGHT_MISMATCH alert (for the oldest pending scan of the same sign), or, with no pending scan of
//    that sign, UNEXPECTED_ITEM (increase) / ITEM_REMOVED (decrease).
//  - own bags: until the first stable weight after the first scan of a session, a stable change within
//    ±bag_allowance_mg that no scan explains becomes the baseline silently (store bags are scanned as
//    products).
//  - no-weigh items (catalog flag), and items too light to verify (expected ≤ max(tolerance,
//    no_weigh_below_e × e)) → SKIPPED at once; a light item's weight (or a no-weigh item's of at most
//    bag_allowance_mg, e.g. a store bag) may still arrive: it is "light pending" for bagging_timeout
//    and explains a delta alone or together with scans.
//  - an alert closes when the weight is back at the baseline (the shopper undid the cause; a
//    mismatched scan then waits again), when a scan explains the weight, or by an attendant decision
//    (which needs an attendant id: checkout verifies the PIN and passes the id).
//  - a scan still pending after bagging_timeout → NOT_PLACED, or SKIPPED when it is no heavier than
//    the tolerance of a weight accepted while it waited (it may be inside that weight).
//  - learning: an item bagged alone and ACCEPTED, or a mismatch the attendant accepts (ACCEPT_WEIGHT),
//    is an observation of the product's weight.
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

class WeightLearner;

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
  std::string gtin14;          // its product, when known
  std::int64_t expected_mg = 0;
  std::int64_t tolerance_mg = 0;
  std::int64_t measured_delta_mg = 0;
  std::int64_t baseline_mg = 0;  // the accepted weight before the change
  std::int64_t measured_mg = 0;  // the stable weight that raised it
  std::vector<Reading> trace;    // the last trace_window of readings, oldest first
  std::int64_t at_unix_ms = 0;
  bool open = true;
  std::string detail;  // device fault reason; why it closed
};

using VerifierEvent = std::variant<Verdict, Alert>;

enum class Decision { kAcceptWeight, kItemRemoved, kOverride };

struct VerifierOptions {
  std::int64_t tolerance_min_mg = 10000;
  double tolerance_k = 3.75;  // bench_scale: see deploy/kiosk.toml [scale] tolerance_k
  std::chrono::milliseconds bagging_timeout{20000};
  std::chrono::milliseconds resettle{1500};      // how long a wrong stable weight must persist
  std::chrono::milliseconds trace_window{3000};  // evidence kept with alerts
  std::chrono::milliseconds removal_resettle{3000};
  std::int64_t scale_sd_mg = 500;          // the scale's uncertainty of one stable delta
  std::int64_t interval_mg = 1000;         // e
  std::int64_t no_weigh_below_e = 5;       // lighter items are not verified by weight
  std::int64_t bag_allowance_mg = 250000;  // own bags put down before the first scan
  // A flat stretch this long (and of at least 3 readings) between two stable weights is a step of a
  // staircase (0: off). Shorter than the stable window: the second item may land before the first
  // one's weight is stable.
  std::chrono::milliseconds plateau{100};
  std::int64_t plateau_band_e = 1;  // a plateau's readings lie within ± this many e
};

class BaggingVerifier {
 public:
  // `learner` may be null (no learning).
  BaggingVerifier(const Clock& clock, VerifierOptions options, WeightLearner* learner = nullptr);

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
  // `gtin14` (may be empty) keys the learned weight.
  Result<std::int64_t> expect_item(const std::string& expectation_id, std::int64_t expected_mg, std::int64_t spread_mg,
                                   bool no_weigh, const std::string& gtin14 = {});
  // A line was removed from the basket: expect `expected_mg` to leave the bagging area.
  Result<std::int64_t> expect_removal(const std::string& expectation_id, std::int64_t expected_mg,
                                      std::int64_t spread_mg, const std::string& gtin14 = {});
  // An attendant's decision; refused without an attendant id.
  Status resolve_alert(const std::string& alert_id, Decision decision, const std::string& attendant_id);

  // Verdicts and alert changes since the last call, in order.
  std::vector<VerifierEvent> take_events();

  std::vector<Alert> open_alerts() const;
  bool session_open() const { return session_.has_value(); }
  const std::string& session_id() const;
  std::int64_t baseline_mg() const { return baseline_mg_; }
  std::size_t pending_count() const { return pending_.size(); }
  std::size_t light_pending_count() const { return light_.size(); }
  // The tolerance for a product spread (mg), as used for a single scan.
  std::int64_t tolerance_for(std::int64_t spread_mg) const;

 private:
  struct Expectation {
    std::string id;
    std::string gtin14;
    std::int64_t catalog_mg = 0;   // as announced (the learning key)
    std::int64_t expected_mg = 0;  // signed: removals are negative; learned when adopted
    double sigma_mg = 0;           // combined standard deviation
    std::int64_t tolerance_mg = 0;
    std::chrono::steady_clock::time_point since;
    std::string mismatch_alert_id;         // set while a WEIGHT_MISMATCH alert about this scan is open
    std::int64_t hiding_tolerance_mg = 0;  // the largest tolerance of a weight accepted while it waited
    std::uint64_t seq = 0;                 // order of arrival this session (1, 2, ...)
  };
  struct Light {  // a SKIPPED light item whose weight may still arrive
    std::int64_t mg = 0;
    double sigma_mg = 0;
    std::chrono::steady_clock::time_point since;
  };
  struct Accepted {                // one acceptance, for re-settling
    bool single = false;           // one scan, no light item
    std::int64_t delta_mg = 0;     // the weight it took
    std::int64_t expected_mg = 0;  // that scan's
    std::int64_t tolerance_mg = 0;
    std::uint64_t last_seq = 0;  // the newest scan that had arrived by then
  };
  static constexpr std::size_t kHistory = 1;
  struct Unexplained {  // a stable level that no scan explains yet
    std::int64_t level_mg = 0;
    std::chrono::steady_clock::time_point since;
    bool alerted = false;
  };

  Result<std::int64_t> add_expectation(const std::string& id, std::int64_t signed_mg, std::int64_t spread_mg,
                                       bool no_weigh, const std::string& gtin14);
  void evaluate(std::int64_t stable_mg);
  void evaluate_level(std::int64_t stable_mg);
  struct Match {
    std::vector<std::size_t> idx;     // pending_ indices
    std::vector<std::size_t> lights;  // light_ indices
  };
  // The most likely set of pending scans and light items for `delta`, if any fits.
  std::optional<Match> find_match(std::int64_t delta) const;
  bool try_match(std::int64_t delta, std::int64_t stable_mg);
  bool try_staircase(std::int64_t stable_mg);
  // Whether the expected weights of these scans and light items sum to `delta` within their tolerance.
  bool fits(const std::vector<std::size_t>& idx, const std::vector<std::size_t>& lights, std::int64_t delta) const;
  void track_plateau(std::int64_t weight_mg, std::int64_t now_ms);
  bool rematch_recent(std::int64_t stable_mg);
  void accept(std::vector<std::size_t> idx, std::vector<std::size_t> lights, std::int64_t delta, std::int64_t stable_mg,
              bool fresh = true, bool learn = true);
  void raise_unexplained(std::int64_t delta, std::int64_t stable_mg);
  void back_at_baseline();
  void close_alert(Alert& a, const std::string& detail);
  void close_all_alerts(const std::string& detail);
  bool weight_alert_open() const;
  std::string next_alert_id();
  std::int64_t tolerance_of(double sigma_mg) const;

  const Clock& clock_;
  VerifierOptions options_;
  WeightLearner* learner_;
  std::optional<std::string> session_;
  bool scanned_ = false;    // a scan arrived this session
  bool bag_window_ = true;  // own bags are still allowed (until the first stable weight after a scan)
  std::int64_t baseline_mg_ = 0;
  std::deque<Expectation> pending_;
  std::deque<Light> light_;
  std::deque<Accepted> history_;              // the last kHistory acceptances since the baseline was last set otherwise
  std::map<std::string, std::int64_t> seen_;  // expectation_id → tolerance, this session
  std::map<std::string, Alert> alerts_;       // open alerts by id
  std::map<std::string, bool> closed_alerts_;  // ids closed this session (resolving again is a no-op)
  std::optional<Unexplained> unexplained_;
  std::optional<std::int64_t> last_weight_mg_;
  std::optional<std::int64_t> last_stable_mg_;
  std::deque<Reading> trace_;
  // Plateaus: the present run of readings within ±1 e (any motion flag), and the levels of the runs
  // that lasted at least options_.plateau since the last stable weight (oldest first).
  struct RunReading {
    std::int64_t at_ms = 0;
    std::int64_t mg = 0;
  };
  std::deque<RunReading> run_;
  std::int64_t run_start_ms_ = 0;
  bool run_recorded_ = false;  // the present run is plateaus_.back()
  std::vector<std::int64_t> plateaus_;
  std::vector<VerifierEvent> events_;
  std::uint64_t alert_seq_ = 0;
  std::uint64_t scan_seq_ = 0;  // Expectation::seq of the last scan
};

std::string_view to_string(Verdict::Kind k);
std::string_view to_string(Alert::Kind k);

}  // namespace kiosk::scale
