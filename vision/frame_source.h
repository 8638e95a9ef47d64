#pragma once
// Where frames come from: a camera, a video file, an image folder or a GStreamer pipeline, behind one
// small interface so the capture loop and tests do not care which.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <opencv2/core/mat.hpp>

#include "common/result.h"

namespace kiosk::vision {

struct Frame {
  cv::Mat image;                           // BGR or gray, 8 bit
  std::uint64_t index = 0;                 // 0-based, keeps counting across reconnects and loops
  std::int64_t unix_ms = 0;                // wall time when the frame was captured
  std::chrono::milliseconds stream_ms{0};  // monotonic time of the frame within the stream (debouncing)
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // Opens (or reopens after a failure) the source.
  virtual Status open() = 0;
  // The next frame; std::nullopt once a finite source (file, folder) has ended; an Error when the
  // device failed and must be reopened.
  virtual Result<std::optional<Frame>> read() = 0;
  // A live source (camera, pipeline) is reconnected on failure; a finite one ends.
  virtual bool is_live() const = 0;
  virtual std::string describe() const = 0;
};

}  // namespace kiosk::vision
