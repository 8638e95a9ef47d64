#pragma once
#include <cstdint>
#include <string>

#include "decoder.h"

namespace kiosk::vision {

// One counted scan, as published to subscribers.
struct ScanEvent {
  std::uint64_t seq = 0;  // 1, 2, 3... for the life of the process
  Detection code;
  std::int64_t frame_unix_ms = 0;  // capture time of the frame holding the code
  std::int64_t event_unix_ms = 0;  // publish time
  std::uint64_t frame_index = 0;
  std::string source;
};

}  // namespace kiosk::vision
