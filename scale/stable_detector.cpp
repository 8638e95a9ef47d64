#include "stable_detector.h"

#include <cstdlib>

namespace kiosk::scale {

std::optional<std::int64_t> StableDetector::update(std::int64_t weight_mg, bool device_stable,
                                                   std::chrono::steady_clock::time_point now) {
  if (!device_stable) {
    run_.clear();
    return std::nullopt;
  }
  if (run_.empty() || std::llabs(weight_mg - anchor_mg_) > options_.interval_mg) {
    run_.clear();
    anchor_mg_ = weight_mg;
    run_start_ = now;
  }
  run_.push_back({now, weight_mg});
  while (run_.size() > 1 && now - run_.front().at > 2 * options_.stable) run_.pop_front();
  if (now - run_start_ < options_.stable) return std::nullopt;
  std::int64_t sum = 0;
  for (const auto& s : run_) sum += s.weight_mg;
  const auto n = static_cast<std::int64_t>(run_.size());
  // Mean rounded half away from zero, in mg.
  return sum >= 0 ? (sum + n / 2) / n : -((-sum + n / 2) / n);
}

}  // namespace kiosk::scale
