#pragma once
// The [vision] source setting, parsed: which kind of source, where, and how to read it.
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/result.h"

namespace kiosk::vision {

enum class SourceKind {
  kDevice,     // "/dev/videoN" (V4L2)
  kFile,       // a video file path
  kFolder,     // "folder:/path": the images in the folder, sorted by name
  kGstreamer,  // "gst:<pipeline ending in appsink>"
};

struct SourceSpec {
  SourceKind kind = SourceKind::kDevice;
  std::string location;  // device path, file path, folder path or pipeline
  int width = 0;         // px, devices only; 0 = the device's default
  int height = 0;        // px, devices only
  double fps = 0;        // frames/s: requested from a device; pace of a folder; fallback for files
  bool realtime = true;  // pace files and folders at their frame rate, as a camera would deliver
  bool loop = false;     // restart files and folders at their end instead of ending
  // µs, devices only: -1 leaves the camera's exposure as it is, 0 asks for auto exposure, > 0 sets a
  // manual exposure (V4L2 exposure_time_absolute, in steps of 100 µs).
  int exposure_us = -1;
};

// Longest manual exposure accepted (µs): a frame at 1 frame/s.
inline constexpr int kMaxExposureUs = 1'000'000;

// Parses a source string; relative file and folder paths are resolved by `resolve`.
Result<SourceSpec> parse_source(std::string_view source, const Config* config = nullptr);

// Reads [vision] source, width, height, fps, realtime, loop, exposure_us.
Result<SourceSpec> source_spec_from_config(const Config& config);

}  // namespace kiosk::vision
