#include "bagging_verifier.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>

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

BaggingVerifier::BaggingVerifier(const Clock& clock, VerifierOptions options) : clock_(clock), options_(options) {}

std::int64_t BaggingVerifier::tolerance_for(std::int64_t spread_mg) const {
  return std::max(options_.tolerance_min_mg, options_.tolerance_k * spread_mg);
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
  if (!session_) return;
  if (!stable_mg) {
    unexplained_.reset();  // still moving: the resettle window starts again once it is stable
    return;
  }
  evaluate(*stable_mg);
}

void BaggingVerifier::evaluate(std::int64_t stable_mg) {
  const std::int64_t delta = stable_mg - baseline_mg_;
  if (std::llabs(delta) <= options_.tolerance_min_mg) {
    back_at_baseline();
    return;
  }
  if (try_match(delta, stable_mg)) return;
  const auto now = clock_.steady_now();
  if (!unexplained_ || std::llabs(stable_mg - unexplained_->level_mg) > options_.tolerance_min_mg)
    unexplained_ = Unexplained{stable_mg, now, weight_alert_open()};
  if (!unexplained_->alerted && now - unexplained_->since >= options_.resettle) {
    raise_unexplained(delta);
    unexplained_->alerted = true;
  }
}

bool BaggingVerifier::try_match(std::int64_t delta, std::int64_t stable_mg) {
  std::vector<std::size_t> cand;
  for (std::size_t i = 0; i < pending_.size(); ++i)
    if (sign(pending_[i].expected_mg) == sign(delta)) cand.push_back(i);
  if (cand.empty()) return false;
  // One scan: the oldest that fits (the shopper may bag a later scan first).
  for (std::size_t i : cand) {
    const auto& e = pending_[i];
    if (std::llabs(delta - e.expected_mg) <= e.tolerance_mg) {
      accept({i}, delta, stable_mg);
      return true;
    }
  }
  // Several scans bagged together: the oldest n, with independent errors adding in quadrature.
  std::int64_t sum = 0;
  double var = 0;
  for (std::size_t n = 0; n < cand.size(); ++n) {
    const auto& e = pending_[cand[n]];
    sum += e.expected_mg;
    var += static_cast<double>(e.tolerance_mg) * static_cast<double>(e.tolerance_mg);
    const auto tol = std::max<std::int64_t>(options_.tolerance_min_mg, std::llround(std::sqrt(var)));
    if (n >= 1 && std::llabs(delta - sum) <= tol) {
      accept(std::vector<std::size_t>(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(n + 1)), delta,
             stable_mg);
      return true;
    }
  }
  return false;
}

void BaggingVerifier::accept(std::vector<std::size_t> idx, std::int64_t delta, std::int64_t stable_mg) {
  const std::int64_t now_ms = clock_.now_unix_ms();
  std::int64_t rest = delta;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const auto& e = pending_[idx[k]];
    // Together-bagged scans share the delta: each its expected weight, the last the remainder.
    const std::int64_t measured = k + 1 == idx.size() ? rest : e.expected_mg;
    rest -= measured;
    events_.push_back(Verdict{e.id, Verdict::Kind::kAccepted, e.expected_mg, e.tolerance_mg, measured, now_ms});
    if (!e.mismatch_alert_id.empty()) {
      auto it = alerts_.find(e.mismatch_alert_id);
      if (it != alerts_.end()) close_alert(it->second, "the right weight arrived");
    }
  }
  std::sort(idx.rbegin(), idx.rend());
  for (std::size_t i : idx) pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
  baseline_mg_ = stable_mg;
  unexplained_.reset();
  // The weight is explained now: whatever alert was open about it is moot.
  std::vector<std::string> ids;
  for (const auto& [id, a] : alerts_)
    if (a.kind != Alert::Kind::kDeviceFault) ids.push_back(id);
  for (const auto& id : ids) close_alert(alerts_.at(id), "explained by a scan");
}

void BaggingVerifier::raise_unexplained(std::int64_t delta) {
  if (weight_alert_open()) return;  // one weight alert at a time: the attendant is already called
  Alert a;
  a.alert_id = next_alert_id();
  a.measured_delta_mg = delta;
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
  closed.at_unix_ms = clock_.now_unix_ms();
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
  if (!session_) return;
  for (const auto& [id, a] : alerts_)
    if (a.kind == Alert::Kind::kDeviceFault) return;
  Alert a;
  a.alert_id = next_alert_id();
  a.kind = Alert::Kind::kDeviceFault;
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
      events_.push_back(
          Verdict{it->id, Verdict::Kind::kNotPlaced, it->expected_mg, it->tolerance_mg, 0, clock_.now_unix_ms()});
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
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
  seen_.clear();
  closed_alerts_.clear();
  unexplained_.reset();
  spdlog::info("session {} begins at baseline {} mg", session_id, baseline_mg_);
  return baseline_mg_;
}

Result<std::int64_t> BaggingVerifier::end_session(const std::string& session_id) {
  if (!session_) return baseline_mg_;  // ending twice is harmless
  if (!session_id.empty() && session_id != *session_)
    return failed_precondition(fmt::format("session '{}' is not open (the open one is '{}')", session_id, *session_));
  close_all_alerts("session ended");
  pending_.clear();
  seen_.clear();
  unexplained_.reset();
  session_.reset();
  return baseline_mg_;
}

Result<std::int64_t> BaggingVerifier::add_expectation(const std::string& id, std::int64_t signed_mg,
                                                      std::int64_t spread_mg, bool no_weigh) {
  if (!session_) return failed_precondition("no scale session is open: call BeginSession first");
  if (id.empty()) return invalid_argument("expectation_id is empty");
  if (spread_mg < 0 || spread_mg > kMaxItemMg)
    return invalid_argument(fmt::format("spread_mg {} is out of range (0..{})", spread_mg, kMaxItemMg));
  if (auto it = seen_.find(id); it != seen_.end()) return it->second;  // a retry of the same scan
  const std::int64_t tol = tolerance_for(spread_mg);
  seen_[id] = tol;
  // Too light to tell from nothing, or not to be weighed: no verification by weight.
  if (no_weigh || std::llabs(signed_mg) <= tol) {
    events_.push_back(Verdict{id, Verdict::Kind::kSkipped, signed_mg, tol, 0, clock_.now_unix_ms()});
    return tol;
  }
  pending_.push_back(Expectation{id, signed_mg, tol, clock_.steady_now(), {}});
  if (last_stable_mg_) evaluate(*last_stable_mg_);  // it may already be in the bag
  return tol;
}

Result<std::int64_t> BaggingVerifier::expect_item(const std::string& expectation_id, std::int64_t expected_mg,
                                                  std::int64_t spread_mg, bool no_weigh) {
  if (expected_mg < 0 || expected_mg > kMaxItemMg)
    return invalid_argument(fmt::format("expected_mg {} is out of range (0..{})", expected_mg, kMaxItemMg));
  return add_expectation(expectation_id, expected_mg, spread_mg, no_weigh);
}

Result<std::int64_t> BaggingVerifier::expect_removal(const std::string& expectation_id, std::int64_t expected_mg,
                                                     std::int64_t spread_mg) {
  if (expected_mg < 0 || expected_mg > kMaxItemMg)
    return invalid_argument(fmt::format("expected_mg {} is out of range (0..{})", expected_mg, kMaxItemMg));
  return add_expectation(expectation_id, -expected_mg, spread_mg, false);
}

Status BaggingVerifier::resolve_alert(const std::string& alert_id, Decision decision, const std::string& attendant_id) {
  auto it = alerts_.find(alert_id);
  if (it == alerts_.end()) {
    if (closed_alerts_.count(alert_id)) return Status::ok();  // already closed: nothing to do
    return not_found(fmt::format("no alert '{}'", alert_id));
  }
  Alert& a = it->second;
  const std::string who = attendant_id.empty() ? "an attendant" : "attendant " + attendant_id;
  if (a.kind == Alert::Kind::kDeviceFault) {
    close_alert(a, "acknowledged by " + who);
    return Status::ok();
  }
  switch (decision) {
    case Decision::kAcceptWeight:
    case Decision::kOverride: {
      const auto present = last_stable_mg_ ? last_stable_mg_ : last_weight_mg_;
      if (!present) return failed_precondition("the scale gives no weight (offline?): nothing to accept");
      // The scan the alert was about is settled by the attendant.
      const std::string scan = a.kind == Alert::Kind::kWeightMismatch ? a.expectation_id : std::string();
      pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                    [&](const Expectation& e) { return e.mismatch_alert_id == alert_id; }),
                     pending_.end());
      baseline_mg_ = *present;
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
