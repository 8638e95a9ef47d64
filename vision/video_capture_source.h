#pragma once
// FrameSource over OpenCV: V4L2 devices, video files and GStreamer pipelines through cv::VideoCapture,
// image folders through cv::imread (sorted by file name).
#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/videoio.hpp>

#include "common/clock.h"
#include "frame_source.h"
#include "source_spec.h"

namespace kiosk::vision {

class VideoCaptureSource final : public FrameSource {
 public:
  // `clock` stamps frames and paces realtime files; it must outlive the source.
  VideoCaptureSource(SourceSpec spec, const Clock& clock);

  Status open() override;
  Result<std::optional<Frame>> read() override;
  bool is_live() const override;
  std::string describe() const override;

  // Frames per second the source delivers (a file's own rate, else the configured one).
  double fps() const { return fps_; }

 private:
  Result<std::optional<cv::Mat>> grab();  // one image, nullopt at the end of a finite source
  Status rewind();                        // back to the start, for loop = true
  void pace();                            // realtime: wait until the next frame is due

  SourceSpec spec_;
  const Clock& clock_;
  cv::VideoCapture cap_;
  std::vector<std::filesystem::path> folder_files_;
  std::size_t folder_pos_ = 0;
  double fps_ = 0;
  std::uint64_t next_index_ = 0;
  std::chrono::steady_clock::time_point origin_;  // stream time 0 (live and realtime sources)
  std::chrono::steady_clock::time_point next_due_{};
  bool opened_ = false;
  bool quiet_open_ = false;  // rewinding a looping source: reopen without announcing it
};

// One VideoCapture property a device is asked for.
struct CaptureRequest {
  int property = 0;  // cv::CAP_PROP_*
  double value = 0;
  const char* name = "";
};

// What a V4L2 device is asked for, in order, from the spec: width and height (px), frame rate
// (frames/s), then exposure: CAP_PROP_AUTO_EXPOSURE 3 (V4L2 aperture priority, i.e. auto) for 0, or 1
// (manual) and CAP_PROP_EXPOSURE in V4L2's 100 µs units for exposure_us > 0. Unset values ask nothing.
std::vector<CaptureRequest> capture_requests(const SourceSpec& spec);

// The image files in a folder (png, jpg, jpeg, bmp, pgm, ppm, tif, tiff, webp), sorted by name.
Result<std::vector<std::filesystem::path>> list_image_files(const std::filesystem::path& folder);

}  // namespace kiosk::vision
