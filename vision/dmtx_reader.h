#pragma once
// Data Matrix through libdmtx: finds and decodes the symbols in a (small, cropped) gray image within
// a time limit. A GS1 DataMatrix (FNC1 first) comes out as its element string and is checked.
#include <chrono>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "decoder.h"

namespace kiosk::vision {

// libdmtx misbehaves on images a few pixels across and takes seconds on large ones: smaller than
// kMinSide px a side reads nothing, larger than kMaxSide is scaled down first.
std::vector<Detection> read_datamatrix(const cv::Mat& gray, std::chrono::milliseconds timeout, int max_codes = 2);

}  // namespace kiosk::vision
