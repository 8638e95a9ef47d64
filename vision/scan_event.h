#pragma once
// What the vision event stream carries: counted scans and the camera's status.
#include <chrono>
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

enum class CameraState {
  kStarting,      // not opened yet
  kRunning,       // frames flow
  kDisconnected,  // frames stopped (last_error says why); a reopen follows at once
  kReconnecting,  // reopening failed; the next attempt comes after `backoff`
  kEnded,         // a finite source (file, folder) was read to its end
};

struct CameraStatus {
  CameraState state = CameraState::kStarting;
  std::string source;
  std::uint64_t frames_read = 0;
  double frames_per_s = 0;  // measured over the last second or so while running, else 0
  std::string last_error;
  std::uint32_t reconnect_attempt = 0;   // failed opens since frames last flowed
  std::chrono::milliseconds backoff{0};  // kReconnecting: wait before the next open attempt
  std::int64_t unix_ms = 0;              // when this status was published
  std::uint64_t version = 0;             // 1, 2, 3... per published status (ScanLog)
};

const char* camera_state_name(CameraState s);

}  // namespace kiosk::vision
