#include "debouncer.h"

namespace kiosk::vision {

std::vector<Detection> Debouncer::update(const std::vector<Detection>& seen, std::chrono::milliseconds now) {
  std::vector<Detection> fresh;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const Detection& d = seen[i];
    // The same code twice in one frame (two labels on one pack) is one scan.
    bool repeat = false;
    for (std::size_t j = 0; j < i; ++j) repeat = repeat || (seen[j].symbology == d.symbology && seen[j].text == d.text);
    if (repeat) continue;
    Key key{d.symbology, d.text};
    auto it = last_seen_.find(key);
    if (it == last_seen_.end()) {
      last_seen_.emplace(std::move(key), now);
      fresh.push_back(d);
    } else {
      // Seen in an earlier frame within the gap: still the same hold.
      if (now - it->second >= gap_) fresh.push_back(d);
      it->second = now;
    }
  }
  // Forget codes out of view for longer than the gap so the map stays small.
  std::erase_if(last_seen_, [&](const auto& kv) { return now - kv.second >= gap_; });
  return fresh;
}

}  // namespace kiosk::vision
