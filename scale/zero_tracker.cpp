#include "zero_tracker.h"

#include <algorithm>
#include <cstdlib>

namespace kiosk::scale {

void ZeroTracker::update(std::optional<std::int64_t> stable_mg, std::int64_t now_ms) {
  const auto last = last_ms_;
  last_ms_ = now_ms;
  if (!options_.enabled || !stable_mg || !last) return;
  if (std::llabs(*stable_mg) > options_.band_mg || *stable_mg == 0) return;
  const double dt_s = static_cast<double>(std::max<std::int64_t>(0, now_ms - *last)) / 1000.0;
  carry_mg_ +=
      std::min(static_cast<double>(options_.rate_mg_per_s) * dt_s, static_cast<double>(std::llabs(*stable_mg)));
  const auto step = static_cast<std::int64_t>(carry_mg_);
  carry_mg_ -= static_cast<double>(step);
  const std::int64_t next = offset_mg_ + (*stable_mg > 0 ? step : -step);
  offset_mg_ = std::clamp(next, -options_.range_mg, options_.range_mg);
}

}  // namespace kiosk::scale
