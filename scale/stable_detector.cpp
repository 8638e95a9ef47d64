#include "stable_detector.h"

#include <algorithm>

namespace kiosk::scale {

std::optional<std::int64_t> StableDetector::update(std::int64_t weight_mg, bool device_stable,
                                                   std::chrono::steady_clock::time_point now) {
  stable_.reset();
  if (run_.empty()) run_start_ = now;
  run_.push_back({now, weight_mg});
  // Band: every reading of the run within 2 e of every other (±1 e around the middle). Readings that
  // disagree with the newest one leave from the front, and the run then starts at the oldest kept one.
  const std::int64_t band = 2 * options_.interval_mg;
  bool dropped = false;
  while (run_.size() > 1) {
    const auto [lo, hi] = std::minmax_element(
        run_.begin(), run_.end(), [](const Sample& a, const Sample& b) { return a.weight_mg < b.weight_mg; });
    if (hi->weight_mg - lo->weight_mg <= band) break;
    run_.pop_front();
    dropped = true;
  }
  if (dropped) run_start_ = run_.front().at;
  while (run_.size() > 1 && now - run_.front().at > 2 * options_.stable) run_.pop_front();
  // The device's own motion flag holds the verdict back while it says "moving", but does not restart
  // the window: its detector lags (it waits for a sway to fall below e/2, its own settle time) while
  // the readings may already lie within ±1 e, and the rule is about the readings.
  if (!device_stable || now - run_start_ < options_.stable) return std::nullopt;
  std::int64_t sum = 0;
  for (const auto& s : run_) sum += s.weight_mg;
  const auto n = static_cast<std::int64_t>(run_.size());
  // Mean rounded half away from zero, in mg.
  stable_ = sum >= 0 ? (sum + n / 2) / n : -((-sum + n / 2) / n);
  return stable_;
}

}  // namespace kiosk::scale
