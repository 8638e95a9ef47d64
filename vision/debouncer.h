#pragma once
// From per-frame reads to counted scans, in two pure steps that take each frame's time (stream time,
// ms), so tests drive them with an injected clock:
//  - Confirmer: a doubtful read is let through only once enough frames agree on it;
//  - Debouncer: a code held under the camera counts once; it counts again only after it has been out
//    of view for at least the debounce gap. Different codes in one frame count separately.
// The capture loop feeds the Confirmer's output to the Debouncer, so a held code counts once whether it
// needed confirming or not.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "decoder.h"

namespace kiosk::vision {

struct ConfirmOptions {
  int frames = 2;                         // agreeing frames a doubtful read needs ([vision] confirm_frames)
  std::chrono::milliseconds window{500};  // ... counted over this much stream time ([vision] confirm_window_ms)
};

// True for symbologies whose own check is too weak to trust a single read: EAN-8 and UPC-E (few
// digits, one mod-10 check digit; ZBar finds them in parts of larger codes and in noise), ITF (one
// mod-10 check digit and no fixed length, so a partial scan of a longer code can still pass).
// DataBar Limited would belong here, but no decoder reads it. EAN-13, UPC-A, Code 128 (mod 103),
// DataBar (mod 79/211) and the 2D codes (Reed–Solomon) are trusted on one frame.
bool weak_check(Symbology s);

class Confirmer {
 public:
  explicit Confirmer(ConfirmOptions options = {}) : options_(options) {}

  // Feeds the codes read in one frame at `now`; returns those that may count, in frame order. A read
  // is doubtful when the decoder says so, its symbology has a weak check, or another code of its
  // family (EAN/UPC, DataBar, ...) was read in the window in frames without it. Detections carry no
  // position, so "at the same place" is inferred: two labels in view are read side by side in some
  // frame, one label read two ways never is. A confident read passes at once; a doubtful one once it
  // was read in `frames` frames of the window more than any rival was read since it first appeared, so
  // of two reads contesting one place neither passes until one clearly wins, while a product presented
  // just after another only waits for its own confirmation. Frames must come in time order.
  std::vector<Detection> update(const std::vector<Detection>& seen, std::chrono::milliseconds now);

 private:
  struct Code {
    int family = 0;
    std::string id;  // GTIN-14 when the code names a trade item (UPC-A and its EAN-13 form agree), else the text
    auto operator<=>(const Code&) const = default;
  };
  struct FrameReads {
    std::chrono::milliseconds at;
    std::vector<Code> codes;  // distinct
  };
  static Code code_of(const Detection& d);

  ConfirmOptions options_;
  std::deque<FrameReads> history_;  // frames within the window that read something, oldest first
};

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
