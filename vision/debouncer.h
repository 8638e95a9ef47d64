#pragma once
// Debouncing: a code held under the camera counts once; it counts again only after it has been out
// of view for at least the debounce gap. Different codes in one frame count separately. Pure: the
// caller passes each frame's time (stream time, ms), so tests drive it with an injected clock.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "decoder.h"

namespace kiosk::vision {

class Debouncer {
 public:
  explicit Debouncer(std::chrono::milliseconds gap) : gap_(gap) {}

  // Feeds the codes seen in one frame at `now`; returns those that count as new scans, in frame
  // order. Frames must come in time order. A code missing from a few frames (blur, glare) shorter
  // than the gap is still the same hold.
  std::vector<Detection> update(const std::vector<Detection>& seen, std::chrono::milliseconds now);

  std::size_t tracked() const { return last_seen_.size(); }

 private:
  using Key = std::pair<Symbology, std::string>;
  std::chrono::milliseconds gap_;
  std::map<Key, std::chrono::milliseconds> last_seen_;  // code → stream time it was last in view
};

}  // namespace kiosk::vision
