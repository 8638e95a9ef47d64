#include "source_spec.h"

#include <fmt/format.h>

namespace kiosk::vision {

Result<SourceSpec> parse_source(std::string_view source, const Config* config) {
  SourceSpec spec;
  auto resolve = [&](std::string_view p) {
    return config ? config->resolve(std::filesystem::path(p)).string() : std::string(p);
  };
  if (source.empty())
    return invalid_argument("[vision] source: empty; expected /dev/videoN, a file, folder:DIR or gst:PIPELINE");
  if (source.starts_with("gst:")) {
    spec.kind = SourceKind::kGstreamer;
    spec.location = std::string(source.substr(4));
    if (spec.location.empty()) return invalid_argument("[vision] source: 'gst:' needs a pipeline after it");
  } else if (source.starts_with("folder:")) {
    spec.kind = SourceKind::kFolder;
    if (source.size() == 7) return invalid_argument("[vision] source: 'folder:' needs a folder path after it");
    spec.location = resolve(source.substr(7));
  } else if (source.starts_with("/dev/")) {
    spec.kind = SourceKind::kDevice;
    spec.location = std::string(source);
  } else {
    spec.kind = SourceKind::kFile;
    spec.location = resolve(source);
  }
  return spec;
}

Result<SourceSpec> source_spec_from_config(const Config& config) {
  auto source = config.get_string("vision", "source", "/dev/video0");
  if (!source) return source.error();
  auto spec = parse_source(*source, &config);
  if (!spec) return spec;
  auto width = config.get_int("vision", "width", 0);
  auto height = config.get_int("vision", "height", 0);
  auto fps = config.get_int("vision", "fps", 0);
  auto realtime = config.get_bool("vision", "realtime", true);
  auto loop = config.get_bool("vision", "loop", false);
  auto exposure = config.get_int("vision", "exposure_us", -1);
  for (const Status& s :
       {width.status(), height.status(), fps.status(), realtime.status(), loop.status(), exposure.status()}) {
    if (!s) return s.error();
  }
  if (*width < 0 || *width > 16384 || *height < 0 || *height > 16384) {
    return invalid_argument(fmt::format("[vision] width/height: {}x{} is outside 0..16384 px", *width, *height));
  }
  if (*fps < 0 || *fps > 1000) return invalid_argument(fmt::format("[vision] fps: {} is outside 0..1000", *fps));
  if (*exposure < -1 || *exposure > kMaxExposureUs) {
    return invalid_argument(
        fmt::format("[vision] exposure_us: {} is outside -1 (leave as is), 0 (auto) or 1..{} µs (manual)", *exposure,
                    kMaxExposureUs));
  }
  spec->width = static_cast<int>(*width);
  spec->height = static_cast<int>(*height);
  spec->fps = static_cast<double>(*fps);
  spec->realtime = *realtime;
  spec->loop = *loop;
  spec->exposure_us = static_cast<int>(*exposure);
  return spec;
}

}  // namespace kiosk::vision
