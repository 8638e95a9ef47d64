#pragma once
// What the terminal is asking of the shopper, for the kiosk screen to mirror (Payment.WatchPrompts).
// Subscribers poll with a timeout so a stream can notice cancellation and shutdown promptly.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace kiosk::payment {

struct Prompt {
  enum class Kind { kPresentCard, kProcessing, kApproved, kDeclined, kText };
  std::uint64_t seq = 0;  // 1, 2, 3 … in publication order
  Kind kind = Kind::kText;
  std::string text;
  std::string key;  // idempotency key of the payment it belongs to
};

class PromptFeed {
 public:
  void publish(Prompt::Kind kind, std::string text, std::string key);
  // Prompts with seq > after_seq (oldest first), waiting up to timeout for one; empty on timeout
  // or after stop(). Start with after_seq = latest_seq() - 1 to get the prompt showing now.
  std::vector<Prompt> wait_after(std::uint64_t after_seq, std::chrono::milliseconds timeout);
  std::uint64_t latest_seq() const;
  void stop();
  bool stopped() const;

 private:
  static constexpr std::size_t kKeep = 32;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Prompt> recent_;
  std::uint64_t seq_ = 0;
  bool stopped_ = false;
};

}  // namespace kiosk::payment
