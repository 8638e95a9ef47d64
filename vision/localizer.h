#pragma once
// Finds where barcodes are in a frame, cheaply, so that the decoder only reads small deskewed crops
// instead of scanning the whole frame. Works on a downscaled copy: the gradient structure tensor is
// pooled into cells; a 1D code is a patch of cells with strong gradients that all point one way
// (coherent), a 2D code a compact patch of strong gradients pointing two ways.
#include <vector>

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

namespace kiosk::vision {

enum class RegionShape {
  kLinear,  // bars: EAN/UPC, Code 128, DataBar, ITF
  kMatrix,  // modules in two directions: QR, DataMatrix
};

struct CodeRegion {
  RegionShape shape = RegionShape::kLinear;
  cv::Point2f center;  // px in the input image
  float angle = 0;     // radians: the direction across the bars (the gradient), in [-pi/2, pi/2)
  float length = 0;    // px across the bars, margins included
  float height = 0;    // px along the bars, margins included
  float score = 0;     // larger is likelier a code; regions come sorted by it
};

struct LocalizerOptions {
  int work_side = 640;            // px: the longer side of the analysed copy (never enlarged)
  int cell = 4;                   // px of the analysed copy per cell side
  float min_gradient = 14.0f;     // mean gradient magnitude per cell (Sobel, 8-bit scale) to count
  float linear_coherence = 0.6f;  // coherence above which a cell holds bars
  float matrix_coherence = 0.5f;  // coherence below which a strong cell may hold a 2D code
  int min_cells = 4;              // smaller patches are noise
  int max_regions = 8;            // best-scored regions returned, per shape
};

// Candidate code regions in `gray` (8-bit, one channel), best first. Empty for an empty or tiny image.
std::vector<CodeRegion> locate_codes(const cv::Mat& gray, const LocalizerOptions& options = {});

// The region cut out of `gray` and rotated so that a linear code's bars stand vertical, enlarged
// by `scale` (1 = as is). Pixels outside the image repeat the border.
cv::Mat extract_region(const cv::Mat& gray, const CodeRegion& region, double scale = 1.0);

}  // namespace kiosk::vision
