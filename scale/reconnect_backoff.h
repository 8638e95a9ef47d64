#pragma once
// When a vanished scale may be reopened: the first retry after `min`, each further failure doubling
// the delay up to `max`, back to no delay once the device answers. Paced by the injected clock.
#include <algorithm>
#include <chrono>

#include "common/clock.h"

namespace kiosk::scale {

class ReconnectBackoff {
 public:
  ReconnectBackoff(const Clock& clock, std::chrono::milliseconds min, std::chrono::milliseconds max)
      : clock_(clock), min_(min), max_(max) {}

  // How long until the next attempt may start (zero: now).
  std::chrono::milliseconds wait() const {
    const auto now = clock_.steady_now();
    if (now >= next_) return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(next_ - now);
  }
  void failed() {
    delay_ = delay_.count() == 0 ? min_ : std::min(delay_ * 2, max_);
    next_ = clock_.steady_now() + delay_;
  }
  void succeeded() { delay_ = std::chrono::milliseconds(0); }

 private:
  const Clock& clock_;
  std::chrono::milliseconds min_, max_;
  std::chrono::milliseconds delay_{0};
  std::chrono::steady_clock::time_point next_{};
};

}  // namespace kiosk::scale
