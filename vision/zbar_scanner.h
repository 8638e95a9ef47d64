#pragma once
// One ZBar image scanner with a chosen set of symbologies and scan directions, turning its symbols
// into validated Detections. The building block of the whole-image and the region decoders.
#include <memory>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "decoder.h"

namespace kiosk::vision {

class ZbarScanner {
 public:
  // `symbologies` empty: every retail symbology ZBar reads (EAN-13/8, UPC-A/E with add-ons, Code 128,
  // DataBar, DataBar Expanded, ITF, QR).
  // `check_bars`: EAN/UPC reads are checked against our own reading of their bars (ean_check.h):
  // dropped when it reads another code, or when it confirms nothing and ZBar saw the code on fewer
  // than 3 lines (or, for EAN-8 and UPC-E, without clear quiet zones); marked doubtful when it
  // confirms nothing.
  explicit ZbarScanner(const std::vector<Symbology>& symbologies = {}, bool check_bars = true);
  ~ZbarScanner();
  ZbarScanner(const ZbarScanner&) = delete;
  ZbarScanner& operator=(const ZbarScanner&) = delete;

  // Scans `gray` (8-bit, one channel) along every `row_step`-th row and every `column_step`-th column
  // (0 = not that direction). EAN/UPC/ITF symbols seen on fewer than `min_weak_lines` scan lines are
  // dropped (one check digit is weak evidence). Images under 16 px a side yield nothing.
  std::vector<Detection> scan(const cv::Mat& gray, int row_step, int column_step, int min_weak_lines = 1);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::vision
