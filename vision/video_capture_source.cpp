#include "video_capture_source.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <thread>

namespace kiosk::vision {
namespace {

// Used when neither the file nor the config says how fast frames come (frames/s).
constexpr double kDefaultFps = 15.0;

bool is_image_file(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".ppm", ".tif", ".tiff", ".webp"}) {
    if (ext == e) return true;
  }
  return false;
}

}  // namespace

Result<std::vector<std::filesystem::path>> list_image_files(const std::filesystem::path& folder) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  std::filesystem::directory_iterator it(folder, ec);
  if (ec) return unavailable(fmt::format("image folder {}: {}", folder, ec.message()));
  for (const auto& entry : it) {
    if (entry.is_regular_file(ec) && is_image_file(entry.path())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) return unavailable(fmt::format("image folder {}: no image files", folder));
  return files;
}

std::vector<CaptureRequest> capture_requests(const SourceSpec& spec) {
  // OpenCV's V4L2 backend passes these through to the driver (V4L2_CID_EXPOSURE_AUTO takes
  // V4L2_EXPOSURE_MANUAL = 1 and V4L2_EXPOSURE_APERTURE_PRIORITY = 3; exposure_time_absolute is in 100 µs).
  constexpr double kV4l2ExposureManual = 1;
  constexpr double kV4l2ExposureAuto = 3;
  std::vector<CaptureRequest> out;
  if (spec.width > 0) out.push_back({cv::CAP_PROP_FRAME_WIDTH, static_cast<double>(spec.width), "width"});
  if (spec.height > 0) out.push_back({cv::CAP_PROP_FRAME_HEIGHT, static_cast<double>(spec.height), "height"});
  if (spec.fps > 0) out.push_back({cv::CAP_PROP_FPS, spec.fps, "fps"});
  if (spec.exposure_us == 0) {
    out.push_back({cv::CAP_PROP_AUTO_EXPOSURE, kV4l2ExposureAuto, "auto_exposure"});
  } else if (spec.exposure_us > 0) {
    out.push_back({cv::CAP_PROP_AUTO_EXPOSURE, kV4l2ExposureManual, "auto_exposure"});
    out.push_back({cv::CAP_PROP_EXPOSURE, std::max(1.0, std::round(spec.exposure_us / 100.0)), "exposure"});
  }
  return out;
}

VideoCaptureSource::VideoCaptureSource(SourceSpec spec, const Clock& clock)
    : spec_(std::move(spec)), clock_(clock), origin_(clock.steady_now()) {}

bool VideoCaptureSource::is_live() const {
  return spec_.kind == SourceKind::kDevice || spec_.kind == SourceKind::kGstreamer;
}

std::string VideoCaptureSource::describe() const {
  switch (spec_.kind) {
    case SourceKind::kDevice:
    case SourceKind::kFile:
      return spec_.location;
    case SourceKind::kFolder:
      return "folder:" + spec_.location;
    case SourceKind::kGstreamer:
      return "gst:" + spec_.location;
  }
  return spec_.location;
}

Status VideoCaptureSource::open() {
  opened_ = false;
  cap_.release();
  switch (spec_.kind) {
    case SourceKind::kFolder: {
      auto files = list_image_files(spec_.location);
      if (!files) return files.error();
      folder_files_ = std::move(*files);
      folder_pos_ = 0;
      fps_ = spec_.fps > 0 ? spec_.fps : kDefaultFps;
      break;
    }
    case SourceKind::kDevice: {
      if (!cap_.open(spec_.location, cv::CAP_V4L2)) {
        return unavailable(
            fmt::format("camera {}: cannot open (missing, busy or not a V4L2 capture device)", spec_.location));
      }
      // Requests; the driver picks the nearest mode it supports, so what it chose is logged beside them.
      for (const CaptureRequest& r : capture_requests(spec_)) {
        if (!cap_.set(r.property, r.value)) {
          spdlog::warn("camera {}: {} = {} refused by the driver", spec_.location, r.name, r.value);
        }
      }
      std::string applied;
      for (const CaptureRequest& r : capture_requests(spec_)) {
        applied += fmt::format(" {}={} (asked {})", r.name, cap_.get(r.property), r.value);
      }
      spdlog::info("camera {}: {}x{} px at {} frames/s, auto_exposure={} exposure={};{}", spec_.location,
                   cap_.get(cv::CAP_PROP_FRAME_WIDTH), cap_.get(cv::CAP_PROP_FRAME_HEIGHT), cap_.get(cv::CAP_PROP_FPS),
                   cap_.get(cv::CAP_PROP_AUTO_EXPOSURE), cap_.get(cv::CAP_PROP_EXPOSURE),
                   applied.empty() ? " nothing asked" : applied);
      fps_ = cap_.get(cv::CAP_PROP_FPS);
      break;
    }
    case SourceKind::kGstreamer: {
      if (!cap_.open(spec_.location, cv::CAP_GSTREAMER)) {
        return unavailable(
            fmt::format("GStreamer pipeline '{}': cannot open (is OpenCV built with GStreamer, "
                        "and does the pipeline end in appsink?)",
                        spec_.location));
      }
      fps_ = cap_.get(cv::CAP_PROP_FPS);
      break;
    }
    case SourceKind::kFile: {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(spec_.location, ec)) {
        return unavailable(fmt::format("video file {}: not found", spec_.location));
      }
      if (!cap_.open(spec_.location, cv::CAP_ANY)) {
        return unavailable(fmt::format("video file {}: cannot open (unknown container or codec)", spec_.location));
      }
      fps_ = cap_.get(cv::CAP_PROP_FPS);
      break;
    }
  }
  if (!(fps_ > 0 && fps_ < 1000)) fps_ = spec_.fps > 0 ? spec_.fps : kDefaultFps;
  opened_ = true;
  next_due_ = {};
  spdlog::log(quiet_open_ ? spdlog::level::debug : spdlog::level::info, "opened {} at {:.1f} frames/s", describe(),
              fps_);
  return {};
}

Status VideoCaptureSource::rewind() {
  // Reopened (a folder listed again) so that a recording removed or replaced meanwhile is noticed:
  // a looping source whose file went away fails here and the capture loop reconnects it.
  quiet_open_ = true;
  const auto due = next_due_;  // the pace goes on across the loop
  Status s = open();
  quiet_open_ = false;
  next_due_ = due;
  return s;
}

Result<std::optional<cv::Mat>> VideoCaptureSource::grab() {
  if (spec_.kind == SourceKind::kFolder) {
    while (folder_pos_ < folder_files_.size()) {
      const auto& path = folder_files_[folder_pos_++];
      cv::Mat img = cv::imread(path.string(), cv::IMREAD_COLOR);
      if (!img.empty()) return std::optional<cv::Mat>(std::move(img));
      spdlog::warn("image {}: cannot be read, skipped", path);
    }
    return std::optional<cv::Mat>();
  }
  cv::Mat img;
  if (cap_.read(img) && !img.empty()) return std::optional<cv::Mat>(std::move(img));
  if (is_live()) {
    opened_ = false;
    return unavailable(fmt::format("{}: no frame (device unplugged or stream stopped)", describe()));
  }
  return std::optional<cv::Mat>();
}

void VideoCaptureSource::pace() {
  if (is_live() || !spec_.realtime) return;
  const auto period =
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(1.0 / fps_));
  const auto now = clock_.steady_now();
  if (next_due_ == std::chrono::steady_clock::time_point{} || next_due_ < now - period * 4) {
    next_due_ = now;  // first frame, or we fell far behind: restart the schedule instead of bursting
  } else {
    std::this_thread::sleep_until(next_due_);
  }
  next_due_ += period;
}

Result<std::optional<Frame>> VideoCaptureSource::read() {
  if (!opened_) return failed_precondition(fmt::format("{}: read before open", describe()));
  auto img = grab();
  if (!img) return img.error();
  if (!*img && spec_.loop) {
    if (auto s = rewind(); !s) return s.error();
    img = grab();
    if (!img) return img.error();
  }
  if (!*img) return std::optional<Frame>();
  pace();
  Frame f;
  f.image = std::move(**img);
  f.index = next_index_++;
  f.unix_ms = clock_.now_unix_ms();
  if (is_live() || spec_.realtime) {
    f.stream_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.steady_now() - origin_);
  } else {
    // Read as fast as possible: the stream's own time is what the camera would have seen.
    f.stream_ms = std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(f.index) * 1000.0 / fps_));
  }
  return std::optional<Frame>(std::move(f));
}

}  // namespace kiosk::vision
