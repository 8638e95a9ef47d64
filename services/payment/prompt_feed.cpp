#include "payment/prompt_feed.h"

namespace kiosk::payment {

void PromptFeed::publish(Prompt::Kind kind, std::string text, std::string key) {
  {
    std::lock_guard lock(mu_);
    recent_.push_back(Prompt{++seq_, kind, std::move(text), std::move(key)});
    if (recent_.size() > kKeep) recent_.pop_front();
  }
  cv_.notify_all();
}

std::vector<Prompt> PromptFeed::wait_after(std::uint64_t after_seq, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return stopped_ || seq_ > after_seq; });
  std::vector<Prompt> out;
  if (stopped_) return out;
  for (const auto& p : recent_)
    if (p.seq > after_seq) out.push_back(p);
  return out;
}

std::uint64_t PromptFeed::latest_seq() const {
  std::lock_guard lock(mu_);
  return seq_;
}

void PromptFeed::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

bool PromptFeed::stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

}  // namespace kiosk::payment
