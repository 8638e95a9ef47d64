#pragma once
// Time is injected so that state machines and verifiers are testable without sleeping.
#include <chrono>
#include <cstdint>

namespace kiosk {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall time, UTC, milliseconds since the Unix epoch (journal timestamps, receipts).
  virtual std::int64_t now_unix_ms() const = 0;
  // Monotonic time for timeouts and durations.
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_unix_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  std::chrono::steady_clock::time_point steady_now() const override { return std::chrono::steady_clock::now(); }
};

// A clock that moves only when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t unix_ms = 1'790'000'000'000) : unix_ms_(unix_ms) {}
  std::int64_t now_unix_ms() const override { return unix_ms_; }
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::time_point(std::chrono::milliseconds(unix_ms_));
  }
  void advance(std::chrono::milliseconds d) { unix_ms_ += d.count(); }

 private:
  std::int64_t unix_ms_;
};

}  // namespace kiosk
