#pragma once
// The simulated camera's picture: products carrying printed barcodes pass under the camera one after
// another (each in view for a moment, then an empty counter), with motion, slight rotation, blur and
// sensor noise. Seeded, so the same options give the same frames.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "common/result.h"

namespace kiosk::vision {

struct SceneOptions {
  int width = 1280;    // px
  int height = 720;    // px
  double fps = 15;     // frames/s
  int show_ms = 1000;  // each code in view this long
  int gap_ms = 3000;   // empty scene after each code
  int lead_ms = 500;   // empty scene before the first code
  std::uint64_t seed = 1;
};

// Checks the options and the codes (EAN-8, UPC-A, EAN-13, or a GTIN-14 of one of them; valid check
// digit).
Status validate_scene(const std::vector<std::string>& codes, const SceneOptions& options);

// Renders every frame in order and hands it to `sink` (BGR, width × height); stops at the first
// error from `sink`.
Status render_scene(const std::vector<std::string>& codes, const SceneOptions& options,
                    const std::function<Status(const cv::Mat&)>& sink);

}  // namespace kiosk::vision
