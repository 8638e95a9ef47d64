#pragma once
// Fan-out of journaled Sessions to Watch streams: keeps the recent revisions so every watcher sees
// each one in order (a watcher that falls more than kKeep behind skips to the oldest kept).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "kiosk/v1/checkout.pb.h"

namespace kiosk::checkout {

class SessionHub {
 public:
  static constexpr std::size_t kKeep = 256;

  void publish(const v1::Session& s) {
    {
      std::lock_guard lock(mu_);
      recent_.push_back(s);
      if (recent_.size() > kKeep) recent_.pop_front();
    }
    cv_.notify_all();
  }
  v1::Session latest() const {
    std::lock_guard lock(mu_);
    return recent_.empty() ? v1::Session() : recent_.back();
  }
  // Sessions with a revision above `after`, oldest first; empty after `timeout` or once stopped.
  std::vector<v1::Session> wait_after(std::uint64_t after, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return stopped_ || (!recent_.empty() && recent_.back().revision() > after); });
    std::vector<v1::Session> out;
    if (stopped_) return out;
    for (const auto& s : recent_) {
      if (s.revision() > after) out.push_back(s);
    }
    return out;
  }
  void stop() {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
  }
  bool stopped() const {
    std::lock_guard lock(mu_);
    return stopped_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<v1::Session> recent_;
  bool stopped_ = false;
};

}  // namespace kiosk::checkout
