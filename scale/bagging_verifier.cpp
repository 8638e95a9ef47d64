#include "bagging_verifier.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "weight_learning.h"

namespace kiosk::scale {
namespace {

constexpr std::int64_t kMaxItemMg = 1'000'000'000;  // 1000 kg: anything above is a caller's mistake

int sign(std::int64_t v) {
  return v > 0 ? 1 : (v < 0 ? -1 : 0);
}

}  // namespace

std::string_view to_string(Verdict::Kind k) {
  switch (k) {
    case Verdict::Kind::kAccepted:
      return "ACCEPTED";
    case Verdict::Kind::kSkipped:
      return "SKIPPED";
    case Verdict::Kind::kMismatch:
      return "MISMATCH";
    case Verdict::Kind::kNotPlaced:
      return "NOT_PLACED";
  }
  return "?";
}

std::string_view to_string(Alert::Kind k) {
  switch (k) {
    case Alert::Kind::kWeightMismatch:
      return "WEIGHT_MISMATCH";
    case Alert::Kind::kUnexpectedItem:
      return "UNEXPECTED_ITEM";
    case Alert::Kind::kItemRemoved:
      return "ITEM_REMOVED";
    case Alert::Kind::kDeviceFault:
      return "DEVICE_FAULT";
  }
  return "?";
}

BaggingVerifier::BaggingVerifier(const Clock& clock, VerifierOptions options, WeightLearner* learner)
    : clock_(clock), options_(options), learner_(learner) {}

std::int64_t BaggingVerifier::tolerance_of(double sigma_mg) const {
  return std::max<std::int64_t>(options_.tolerance_min_mg, std::llround(options_.tolerance_k * sigma_mg));
}

std::int64_t BaggingVerifier::tolerance_for(std::int64_t spread_mg) const {
  const auto s = static_cast<double>(spread_mg), e = static_cast<double>(options_.scale_sd_mg);
  return tolerance_of(std::sqrt(s * s + e * e));
}

const std::string& BaggingVerifier::session_id() const {
  static const std::string none;
  return session_ ? *session_ : none;
}

std::vector<VerifierEvent> BaggingVerifier::take_events() {
  std::vector<VerifierEvent> out;
  out.swap(events_);
  return out;
}

std::vector<Alert> BaggingVerifier::open_alerts() const {
  std::vector<Alert> out;
  for (const auto& [id, a] : alerts_) out.push_back(a);
  return out;
}

std::string BaggingVerifier::next_alert_id() {
  return fmt::format("{}/alert/{}", session_.value_or("-"), ++alert_seq_);
}

bool BaggingVerifier::weight_alert_open() const {
  return std::any_of(alerts_.begin(), alerts_.end(),
                     [](const auto& kv) { return kv.second.kind != Alert::Kind::kDeviceFault; });
}

void BaggingVerifier::on_reading(std::int64_t weight_mg, std::optional<std::int64_t> stable_mg) {
  const std::int64_t now_ms = clock_.now_unix_ms();
  trace_.push_back({weight_mg, stable_mg.has_value(), now_ms});
  while (!trace_.empty() && now_ms - trace_.front().at_unix_ms > options_.trace_window.count()) trace_.pop_front();
  last_weight_mg_ = weight_mg;
  last_stable_mg_ = stable_mg;
  track_plateau(weight_mg, now_ms);
  if (!stable_mg) {
    unexplained_.reset();  // still moving: the resettle window starts again once it is stable
    return;
  }
  if (session_) evaluate(*stable_mg);
  // Plateaus are steps between two stable weights: this one closes the staircase, unless nothing
  // explained it yet (waiting out the re-settle window): then it is the first step of the next.
  plateaus_.clear();
  run_recorded_ = false;
  if (session_ && std::llabs(*stable_mg - baseline_mg_) > options_.tolerance_min_mg) plateaus_.push_back(*stable_mg);
}

void BaggingVerifier::evaluate(std::int64_t stable_mg) {
  evaluate_level(stable_mg);
  // The own-bag window closes at the first stable weight after the first scan: a bag put down just
  // before scanning may still be settling when the scan arrives.
  if (scanned_) bag_window_ = false;
}

void BaggingVerifier::evaluate_level(std::int64_t stable_mg) {
  const std::int64_t delta = stable_mg - baseline_mg_;
  if (std::llabs(delta) <= options_.tolerance_min_mg) {
    back_at_baseline();
    return;
  }
  if (delta > options_.tolerance_min_mg && try_staircase(stable_mg)) return;
  if (try_match(delta, stable_mg)) return;
  if (bag_window_ && std::llabs(delta) <= options_.bag_allowance_mg && !weight_alert_open()) {
    spdlog::info("session {}: own bags before the first scan, baseline {} → {} mg", *session_, baseline_mg_, stable_mg);
    baseline_mg_ = stable_mg;
    history_.clear();
    unexplained_.reset();
    return;
  }
  const auto now = clock_.steady_now();
  if (!unexplained_ || std::llabs(stable_mg - unexplained_->level_mg) > options_.tolerance_min_mg)
    unexplained_ = Unexplained{stable_mg, now, weight_alert_open()};
  const auto wait = delta < 0 && std::none_of(pending_.begin(), pending_.end(),
                                              [](const Expectation& e) { return e.expected_mg < 0; })
                        ? options_.removal_resettle
                        : options_.resettle;
  if (!unexplained_->alerted && now - unexplained_->since >= wait) {
    if (rematch_recent(stable_mg)) return;
    raise_unexplained(delta, stable_mg);
    unexplained_->alerted = true;
  }
}

std::optional<BaggingVerifier::Match> BaggingVerifier::find_match(std::int64_t delta) const {
  // Hypotheses: any set of pending scans of the delta's sign (the oldest kMaxSet) plus any set of the
  // light items (the newest kMaxSet, additions only) whose expected sum is within the set's tolerance.
  // The best is the most likely (z² + 2 ln sigma), each item beyond the first costing kItemCost (an
  // extra item must improve the fit by about 2 sigma to be believed) and each older scan passed over
  // kOrderCost.
  constexpr std::size_t kMaxSet = 6;
  constexpr double kItemCost = 4.0;
  constexpr double kOrderCost = 1.0;
  std::vector<std::size_t> cand;
  for (std::size_t i = 0; i < pending_.size() && cand.size() < kMaxSet; ++i)
    if (sign(pending_[i].expected_mg) == sign(delta)) cand.push_back(i);
  std::vector<std::size_t> lights;
  if (delta > 0)
    for (std::size_t j = light_.size(); j > 0 && lights.size() < kMaxSet; --j) lights.push_back(j - 1);
  const std::size_t nc = cand.size(), nl = lights.size();
  double best = std::numeric_limits<double>::infinity();
  std::uint32_t best_mm = 0, best_lm = 0;
  for (std::uint32_t mm = 0; mm < (1u << nc); ++mm) {
    for (std::uint32_t lm = 0; lm < (1u << nl); ++lm) {
      if (mm == 0 && lm == 0) continue;
      std::int64_t sum = 0;
      double var = 0;
      int items = 0;
      const Expectation* single = nullptr;
      for (std::size_t i = 0; i < nc; ++i)
        if (mm & (1u << i)) {
          const auto& e = pending_[cand[i]];
          sum += e.expected_mg;
          var += e.sigma_mg * e.sigma_mg;
          single = &e;
          ++items;
        }
      const bool one_scan = items == 1 && lm == 0;
      for (std::size_t j = 0; j < nl; ++j)
        if (lm & (1u << j)) {
          sum += light_[lights[j]].mg;
          var += light_[lights[j]].sigma_mg * light_[lights[j]].sigma_mg;
          ++items;
        }
      const double err = std::abs(static_cast<double>(delta - sum));
      const auto tol = one_scan ? single->tolerance_mg : tolerance_of(std::sqrt(var));
      if (err > static_cast<double>(tol)) continue;
      // −2 log-likelihood (z² + 2 ln sigma, sigma in g), plus the costs of extra items and of
      // passing over older scans (shoppers mostly bag in scan order).
      const double sigma = std::max(1000.0, std::sqrt(var));
      const double z = err / sigma;
      int skipped_older = 0;
      for (std::size_t i = 0; i < nc; ++i) {
        if (mm & (1u << i)) continue;
        if (mm >> i) ++skipped_older;  // a later scan is selected
      }
      const double score = z * z + 2 * std::log(sigma / 1000.0) + kItemCost * (items - 1) + kOrderCost * skipped_older;
      if (score < best) {
        best = score;
        best_mm = mm;
        best_lm = lm;
      }
    }
  }
  if (!std::isfinite(best)) return std::nullopt;
  Match m;
  for (std::size_t i = 0; i < nc; ++i)
    if (best_mm & (1u << i)) m.idx.push_back(cand[i]);
  for (std::size_t j = 0; j < nl; ++j)
    if (best_lm & (1u << j)) m.lights.push_back(lights[j]);
  return m;
}

bool BaggingVerifier::try_match(std::int64_t delta, std::int64_t stable_mg) {
  auto m = find_match(delta);
  if (!m) return false;
  accept(std::move(m->idx), std::move(m->lights), delta, stable_mg);
  return true;
}

bool BaggingVerifier::fits(const std::vector<std::size_t>& idx, const std::vector<std::size_t>& lights,
                           std::int64_t delta) const {
  std::int64_t sum = 0;
  double var = 0;
  for (std::size_t i : idx) sum += pending_[i].expected_mg, var += pending_[i].sigma_mg * pending_[i].sigma_mg;
  for (std::size_t j : lights) sum += light_[j].mg, var += light_[j].sigma_mg * light_[j].sigma_mg;
  const auto tol = idx.size() == 1 && lights.empty() ? pending_[idx[0]].tolerance_mg : tolerance_of(std::sqrt(var));
  return std::llabs(delta - sum) <= tol;
}

bool BaggingVerifier::try_staircase(std::int64_t stable_mg) {
  // An increase that came in steps (a plateau between the baseline and this stable weight): the
  // step that matches scans is ACCEPTED at its own level, the rest is judged on its own against the
  // new baseline (another scan, a light item, or an unexpected item after the re-settle window).
  // The first step is tried first (the usual order: what was put down first settled first); when
  // only the second matches, the first was put down before it and the baseline becomes
  // baseline + second step, so that the first is what remains to be explained.
  // An increase several scans explain (things scanned and put down one after the other) is judged
  // whole, with its joint tolerance, as is one with a plateau at a level its scan does not explain.
  const std::int64_t min = options_.tolerance_min_mg;
  const auto whole = find_match(stable_mg - baseline_mg_);
  for (std::size_t p = 0; p < plateaus_.size(); ++p) {
    const std::int64_t level = plateaus_[p];
    const std::int64_t first = level - baseline_mg_, second = stable_mg - level;
    if (first <= min || second <= min) continue;  // not between the two: no staircase
    std::int64_t step = first, at = level;
    std::optional<Match> m;
    if (whole) {
      // One scan explains the whole and one step alone: the other step is something more. When it
      // explains neither step, the flat stretch was at a level no scan makes (a hand come to rest
      // for a moment): no staircase. Several scans are judged whole: a hand resting on the first of
      // them makes a level that one of them (of wide spread) may explain, and the last step then
      // looks like an extra item.
      if (whole->idx.size() != 1 || !whole->lights.empty()) continue;
      if (fits(whole->idx, whole->lights, first)) {
        m = whole;
      } else if (fits(whole->idx, whole->lights, second)) {
        m = whole, step = second, at = baseline_mg_ + second;
      }
    } else {
      m = find_match(first);
      if (!m) {
        m = find_match(second);
        step = second;
        at = baseline_mg_ + second;
      }
    }
    if (!m) continue;  // neither step is a scan: judge the whole increase as usual
    const bool had_back = p + 1 == plateaus_.size();
    plateaus_.erase(plateaus_.begin(), plateaus_.begin() + static_cast<std::ptrdiff_t>(p + 1));
    if (had_back) run_recorded_ = false;
    spdlog::info("session {}: {} mg came in steps, {} mg then {} mg; {} mg matches scans", *session_,
                 stable_mg - baseline_mg_, first, second, step);
    // The scanned item is in: whatever comes with it was put down after the scan, no own bag.
    bag_window_ = false;
    // A step off a short plateau is a less precise observation than a stable weight: no learning.
    accept(std::move(m->idx), std::move(m->lights), step, at, true, false);
    evaluate_level(stable_mg);
    return true;
  }
  return false;
}

void BaggingVerifier::track_plateau(std::int64_t weight_mg, std::int64_t now_ms) {
  if (options_.plateau.count() <= 0) return;
  if (run_.empty()) run_start_ms_ = now_ms;
  run_.push_back({now_ms, weight_mg});
  // A band of ±plateau_band_e e; readings that disagree with the newest leave from the front.
  const std::int64_t band = 2 * options_.plateau_band_e * options_.interval_mg;
  bool dropped = false;
  while (run_.size() > 1) {
    const auto [lo, hi] = std::minmax_element(run_.begin(), run_.end(),
                                              [](const RunReading& a, const RunReading& b) { return a.mg < b.mg; });
    if (hi->mg - lo->mg <= band) break;
    run_.pop_front();
    dropped = true;
  }
  if (dropped) {
    run_start_ms_ = run_.front().at_ms;
    run_recorded_ = false;
  }
  while (run_.size() > 1 && now_ms - run_.front().at_ms > 1000) run_.pop_front();  // the level: the last second
  constexpr std::size_t kMinReadings = 3;
  if (run_.size() < kMinReadings || now_ms - run_start_ms_ < options_.plateau.count()) return;
  std::int64_t sum = 0;
  for (const auto& r : run_) sum += r.mg;
  const double mean = static_cast<double>(sum) / static_cast<double>(run_.size());
  const std::int64_t level = std::llround(mean);
  if (run_recorded_ && !plateaus_.empty()) {
    plateaus_.back() = level;
    return;
  }
  plateaus_.push_back(level);
  run_recorded_ = true;
  constexpr std::size_t kMaxPlateaus = 16;  // no stable weight for long (a restless platform): keep the recent
  if (plateaus_.size() > kMaxPlateaus) plateaus_.erase(plateaus_.begin());
}

bool BaggingVerifier::rematch_recent(std::int64_t stable_mg) {
  // Re-settle and retry: the last acceptance may have taken the wrong one of two scans of
  // overlapping weights (X bagged, taken as Y; then Y bagged does not fit X). When the present delta
  // fits X and the last accepted delta fits a pending scan, each within its own tolerance, the two
  // swap: the pending scan is ACCEPTED. Tolerances stay each item's own, so nothing extra hides.
  if (history_.empty() || !history_.back().single) return false;
  const Accepted& h = history_.back();
  const std::int64_t delta = stable_mg - baseline_mg_;
  if (std::llabs(delta - h.expected_mg) > h.tolerance_mg) return false;
  std::optional<std::size_t> best;
  double best_z = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const auto& e = pending_[i];
    if (e.seq > h.last_seq) continue;  // scanned after that acceptance: it cannot have been taken for it
    if (sign(e.expected_mg) != sign(h.delta_mg) || std::llabs(h.delta_mg - e.expected_mg) > e.tolerance_mg) continue;
    const double z = std::abs(static_cast<double>(h.delta_mg - e.expected_mg)) / std::max(1000.0, e.sigma_mg);
    if (!best || z < best_z) best = i, best_z = z;
  }
  if (!best) return false;
  spdlog::info("session {}: re-settled: {} mg was {}, the last acceptance was the other scan", *session_, delta,
               pending_[*best].id);
  accept({*best}, {}, delta, stable_mg, false);
  return true;
}

void BaggingVerifier::accept(std::vector<std::size_t> idx, std::vector<std::size_t> lights, std::int64_t delta,
                             std::int64_t stable_mg, bool fresh, bool learn) {
  const std::int64_t now_ms = clock_.now_unix_ms();
  // Remember what this acceptance took, for re-settling later (fresh ones only: a re-settle folds
  // into the acceptances it revisited).
  if (fresh) {
    Accepted h;
    h.single = idx.size() == 1 && lights.empty();
    h.delta_mg = delta;
    h.last_seq = scan_seq_;
    if (h.single) h.expected_mg = pending_[idx[0]].expected_mg, h.tolerance_mg = pending_[idx[0]].tolerance_mg;
    history_.push_back(h);
    if (history_.size() > kHistory) history_.pop_front();
  } else {
    history_.clear();  // a swap settles it
  }
  std::int64_t rest = delta;
  for (std::size_t j : lights) rest -= light_[j].mg;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const auto& e = pending_[idx[k]];
    // Together-bagged scans share the delta: each its expected weight, the last the remainder.
    const std::int64_t measured = k + 1 == idx.size() ? rest : e.expected_mg;
    rest -= measured;
    events_.push_back(Verdict{e.id, Verdict::Kind::kAccepted, e.expected_mg, e.tolerance_mg, measured, now_ms});
    // An item bagged alone is a clean observation of its product's weight.
    if (fresh && learn && learner_ && idx.size() == 1 && lights.empty() && e.expected_mg > 0 && !e.gtin14.empty()) {
      if (auto s = learner_->observe(e.gtin14, e.catalog_mg, {measured, false, now_ms}); !s)
        spdlog::warn("learning {}: {}", e.gtin14, s.message());
    }
    if (!e.mismatch_alert_id.empty()) {
      auto it = alerts_.find(e.mismatch_alert_id);
      if (it != alerts_.end()) close_alert(it->second, "the right weight arrived");
    }
  }
  std::sort(idx.rbegin(), idx.rend());
  for (std::size_t i : idx) pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
  // What stays pending might have come down inside this weight's tolerance.
  std::int64_t accepted_tol = 0;
  for (const auto& v : events_)
    if (const auto* d = std::get_if<Verdict>(&v); d && d->kind == Verdict::Kind::kAccepted && d->at_unix_ms == now_ms)
      accepted_tol = std::max(accepted_tol, d->tolerance_mg);
  for (auto& e : pending_) e.hiding_tolerance_mg = std::max(e.hiding_tolerance_mg, accepted_tol);
  std::sort(lights.rbegin(), lights.rend());
  for (std::size_t j : lights) light_.erase(light_.begin() + static_cast<std::ptrdiff_t>(j));
  baseline_mg_ = stable_mg;
  unexplained_.reset();
  // The weight is explained now: whatever alert was open about it is moot.
  std::vector<std::string> ids;
  for (const auto& [id, a] : alerts_)
    if (a.kind != Alert::Kind::kDeviceFault) ids.push_back(id);
  for (const auto& id : ids) close_alert(alerts_.at(id), "explained by a scan");
}

void BaggingVerifier::raise_unexplained(std::int64_t delta, std::int64_t stable_mg) {
  if (weight_alert_open()) return;  // one weight alert at a time: the attendant is already called
  Alert a;
  a.alert_id = next_alert_id();
  a.measured_delta_mg = delta;
  a.baseline_mg = baseline_mg_;
  a.measured_mg = stable_mg;
  a.trace.assign(trace_.begin(), trace_.end());
  a.at_unix_ms = clock_.now_unix_ms();
  a.tolerance_mg = options_.tolerance_min_mg;
  Expectation* target = nullptr;
  for (auto& e : pending_)
    if (sign(e.expected_mg) == sign(delta) && e.mismatch_alert_id.empty()) {
      target = &e;
      break;
    }
  if (target) {
    a.kind = Alert::Kind::kWeightMismatch;
    a.expectation_id = target->id;
    a.gtin14 = target->gtin14;
    a.expected_mg = target->expected_mg;
    a.tolerance_mg = target->tolerance_mg;
    target->mismatch_alert_id = a.alert_id;
    events_.push_back(
        Verdict{target->id, Verdict::Kind::kMismatch, target->expected_mg, target->tolerance_mg, delta, a.at_unix_ms});
  } else {
    a.kind = delta > 0 ? Alert::Kind::kUnexpectedItem : Alert::Kind::kItemRemoved;
  }
  spdlog::info("alert {} {}: delta {} mg, expected {} ± {} mg", a.alert_id, to_string(a.kind), delta, a.expected_mg,
               a.tolerance_mg);
  events_.push_back(a);
  alerts_.emplace(a.alert_id, std::move(a));
}

void BaggingVerifier::back_at_baseline() {
  unexplained_.reset();
  std::vector<std::string> ids;
  for (const auto& [id, a] : alerts_)
    if (a.kind != Alert::Kind::kDeviceFault) ids.push_back(id);
  for (const auto& id : ids) close_alert(alerts_.at(id), "weight back at the baseline");
  // A mismatched scan whose wrong weight left waits again for its item, with a fresh timeout.
  for (auto& e : pending_)
    if (!e.mismatch_alert_id.empty()) {
      e.mismatch_alert_id.clear();
      e.since = clock_.steady_now();
    }
}

void BaggingVerifier::close_alert(Alert& a, const std::string& detail) {
  Alert closed = a;
  closed.open = false;
  closed.detail = detail;
  closed.at_unix_ms = clock_.now_unix_ms();  // the event's time: when it closed
  spdlog::info("alert {} {} closed: {}", a.alert_id, to_string(a.kind), detail);
  closed_alerts_[a.alert_id] = true;
  const std::string id = a.alert_id;
  alerts_.erase(id);  // `a` is dangling from here on
  events_.push_back(std::move(closed));
}

void BaggingVerifier::close_all_alerts(const std::string& detail) {
  while (!alerts_.empty()) close_alert(alerts_.begin()->second, detail);
}

void BaggingVerifier::on_device(bool healthy, const std::string& detail) {
  if (healthy) {
    std::vector<std::string> ids;
    for (const auto& [id, a] : alerts_)
      if (a.kind == Alert::Kind::kDeviceFault) ids.push_back(id);
    for (const auto& id : ids) close_alert(alerts_.at(id), "the scale answers again");
    return;
  }
  last_weight_mg_.reset();
  last_stable_mg_.reset();
  unexplained_.reset();
  run_.clear();
  plateaus_.clear();
  run_recorded_ = false;
  if (!session_) return;
  for (const auto& [id, a] : alerts_)
    if (a.kind == Alert::Kind::kDeviceFault) return;
  Alert a;
  a.alert_id = next_alert_id();
  a.kind = Alert::Kind::kDeviceFault;
  a.baseline_mg = baseline_mg_;
  a.trace.assign(trace_.begin(), trace_.end());
  a.at_unix_ms = clock_.now_unix_ms();
  a.detail = detail;
  spdlog::warn("alert {} DEVICE_FAULT: {}", a.alert_id, detail);
  events_.push_back(a);
  alerts_.emplace(a.alert_id, std::move(a));
}

void BaggingVerifier::tick() {
  if (!session_) return;
  const auto now = clock_.steady_now();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->mismatch_alert_id.empty() && now - it->since >= options_.bagging_timeout) {
      // An item no heavier than the tolerance of a weight accepted while it waited may be in that
      // weight: the scale cannot tell, so it says so (SKIPPED) rather than call the attendant.
      const bool hidden = it->expected_mg > 0 && it->expected_mg <= it->hiding_tolerance_mg;
      events_.push_back(Verdict{it->id, hidden ? Verdict::Kind::kSkipped : Verdict::Kind::kNotPlaced, it->expected_mg,
                                it->tolerance_mg, 0, clock_.now_unix_ms()});
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  while (!light_.empty() && now - light_.front().since >= options_.bagging_timeout) light_.pop_front();
}

Result<std::int64_t> BaggingVerifier::begin_session(const std::string& session_id) {
  if (session_id.empty()) return invalid_argument("session_id is empty");
  if (session_ && *session_ == session_id) return baseline_mg_;
  if (!last_weight_mg_) return unavailable("the scale has given no weight yet (offline?): no baseline to start from");
  if (session_) {
    close_all_alerts(fmt::format("session {} replaced by {}", *session_, session_id));
    pending_.clear();
  }
  session_ = session_id;
  baseline_mg_ = last_stable_mg_.value_or(*last_weight_mg_);
  scanned_ = false;
  bag_window_ = true;
  history_.clear();
  light_.clear();
  seen_.clear();
  closed_alerts_.clear();
  unexplained_.reset();
  plateaus_.clear();
  run_recorded_ = false;
  spdlog::info("session {} begins at baseline {} mg", session_id, baseline_mg_);
  return baseline_mg_;
}

Result<std::int64_t> BaggingVerifier::end_session(const std::string& session_id) {
  if (!session_) return baseline_mg_;  // ending twice is harmless
  if (!session_id.empty() && session_id != *session_)
    return failed_precondition(fmt::format("session '{}' is not open (the open one is '{}')", session_id, *session_));
  close_all_alerts("session ended");
  pending_.clear();
  light_.clear();
  seen_.clear();
  unexplained_.reset();
  session_.reset();
  return baseline_mg_;
}

Result<std::int64_t> BaggingVerifier::add_expectation(const std::string& id, std::int64_t signed_mg,
                                                      std::int64_t spread_mg, bool no_weigh,
                                                      const std::string& gtin14) {
  if (!session_) return failed_precondition("no scale session is open: call BeginSession first");
  if (id.empty()) return invalid_argument("expectation_id is empty");
  if (spread_mg < 0 || spread_mg > kMaxItemMg)
    return invalid_argument(fmt::format("spread_mg {} is out of range (0..{})", spread_mg, kMaxItemMg));
  if (auto it = seen_.find(id); it != seen_.end()) return it->second;  // a retry of the same scan
  scanned_ = true;
  const std::int64_t catalog_mg = std::llabs(signed_mg);
  std::int64_t mg = catalog_mg, spread = spread_mg;
  if (learner_ && !gtin14.empty() && !no_weigh && catalog_mg > 0) {
    const auto learned = learner_->estimate(gtin14, catalog_mg, spread_mg, tolerance_for(spread_mg));
    if (learned && learned->adopted) {
      mg = learned->mean_mg;
      spread = learned->spread_mg;
    }
  }
  const double s = static_cast<double>(spread), e = static_cast<double>(options_.scale_sd_mg);
  const double sigma = std::sqrt(s * s + e * e);
  const std::int64_t tol = tolerance_of(sigma);
  const std::int64_t expected = signed_mg < 0 ? -mg : mg;
  seen_[id] = tol;
  // Not to be weighed, or too light to tell from nothing: no verification by weight.
  const std::int64_t light_limit = std::max(tol, options_.no_weigh_below_e * options_.interval_mg);
  if (no_weigh || mg <= light_limit) {
    events_.push_back(Verdict{id, Verdict::Kind::kSkipped, expected, tol, 0, clock_.now_unix_ms()});
    // Its weight may still arrive (a light item; a store bag the catalog gives a weight): optional.
    if (expected > 0 && (!no_weigh || mg <= options_.bag_allowance_mg))
      light_.push_back(Light{expected, sigma, clock_.steady_now()});
    return tol;
  }
  pending_.push_back(
      Expectation{id, gtin14, catalog_mg, expected, sigma, tol, clock_.steady_now(), {}, 0, ++scan_seq_});
  if (last_stable_mg_) evaluate(*last_stable_mg_);  // it may already be in the bag
  return tol;
}

Result<std::int64_t> BaggingVerifier::expect_item(const std::string& expectation_id, std::int64_t expected_mg,
                                                  std::int64_t spread_mg, bool no_weigh, const std::string& gtin14) {
  if (expected_mg < 0 || expected_mg > kMaxItemMg)
    return invalid_argument(fmt::format("expected_mg {} is out of range (0..{})", expected_mg, kMaxItemMg));
  return add_expectation(expectation_id, expected_mg, spread_mg, no_weigh, gtin14);
}

Result<std::int64_t> BaggingVerifier::expect_removal(const std::string& expectation_id, std::int64_t expected_mg,
                                                     std::int64_t spread_mg, const std::string& gtin14) {
  if (expected_mg < 0 || expected_mg > kMaxItemMg)
    return invalid_argument(fmt::format("expected_mg {} is out of range (0..{})", expected_mg, kMaxItemMg));
  return add_expectation(expectation_id, -expected_mg, spread_mg, false, gtin14);
}

Status BaggingVerifier::resolve_alert(const std::string& alert_id, Decision decision, const std::string& attendant_id) {
  if (attendant_id.empty())
    return permission_denied(
        "an alert is cleared only by an attendant: attendant_id is empty (checkout verifies the "
        "attendant's PIN and passes the id)");
  auto it = alerts_.find(alert_id);
  if (it == alerts_.end()) {
    if (closed_alerts_.count(alert_id)) return Status::ok();  // already closed: nothing to do
    return not_found(fmt::format("no alert '{}'", alert_id));
  }
  Alert& a = it->second;
  const std::string who = "attendant " + attendant_id;
  if (a.kind == Alert::Kind::kDeviceFault) {
    close_alert(a, "acknowledged by " + who);
    return Status::ok();
  }
  switch (decision) {
    case Decision::kAcceptWeight:
    case Decision::kOverride: {
      const auto present = last_stable_mg_ ? last_stable_mg_ : last_weight_mg_;
      if (!present) return failed_precondition("the scale gives no weight (offline?): nothing to accept");
      // The scan the alert was about is settled by the attendant; ACCEPT_WEIGHT teaches its weight.
      const std::string scan = a.kind == Alert::Kind::kWeightMismatch ? a.expectation_id : std::string();
      for (const auto& e : pending_)
        if (e.mismatch_alert_id == alert_id && decision == Decision::kAcceptWeight && learner_ && last_stable_mg_ &&
            e.expected_mg > 0 && !e.gtin14.empty()) {
          if (auto s = learner_->observe(e.gtin14, e.catalog_mg,
                                         {*last_stable_mg_ - baseline_mg_, true, clock_.now_unix_ms()});
              !s)
            spdlog::warn("learning {}: {}", e.gtin14, s.message());
        }
      pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                    [&](const Expectation& e) { return e.mismatch_alert_id == alert_id; }),
                     pending_.end());
      baseline_mg_ = *present;
      history_.clear();
      unexplained_.reset();
      close_alert(a, fmt::format("{} by {}: new baseline {} mg{}",
                                 decision == Decision::kAcceptWeight ? "weight accepted" : "overridden", who,
                                 baseline_mg_, scan.empty() ? "" : ", scan " + scan + " settled"));
      {
        std::vector<std::string> ids;
        for (const auto& [id, other] : alerts_)
          if (other.kind != Alert::Kind::kDeviceFault) ids.push_back(id);
        for (const auto& id : ids) close_alert(alerts_.at(id), "weight accepted by " + who);
      }
      return Status::ok();
    }
    case Decision::kItemRemoved:
      // Closes once the weight is back at the baseline (possibly right now).
      a.detail = "waiting for the weight to return, per " + who;
      if (last_stable_mg_ && std::llabs(*last_stable_mg_ - baseline_mg_) <= options_.tolerance_min_mg)
        back_at_baseline();
      return Status::ok();
  }
  return invalid_argument("unknown decision");
}

}  // namespace kiosk::scale
