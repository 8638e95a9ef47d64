#pragma once
// A second reading of EAN/UPC bars, independent of ZBar's, to catch ZBar's misreads. ZBar tells the
// digit pairs 1/7 and 2/8 apart by the width of the bars alone, so printing with fat or thin bars (ink
// spread, over-exposure) turns a 7 into a 1 in one half and a 1 into a 7 in the other, and the check
// digit, blind to such a pair, accepts it (upca-4_14 in the test photos). Here the spread is measured
// on the guard bars and taken out before each digit is matched against its bar pattern.
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "decoder.h"
#include "symbology.h"

namespace kiosk::vision {

// The EAN-13 (UPC-A as EAN-13 with a leading 0), EAN-8 and UPC-E codes whose every digit, check digit
// and parity pattern read cleanly on the scan line `line` of `gray` (8-bit): a row when `along_rows`,
// else a column. Digits as ZBar gives them: EAN-13 13, EAN-8 8, UPC-E 8 (number system, 6, check).
// The line is binarised up to three ways, each only when the ones before read nothing: at the
// mid-range of each pixel's neighbourhood; at the peaks of its slope (thin bars printed grey); at one
// threshold between the line's two darkest grey levels (a faint label on a brighter surround).
// Needs a quiet zone of 5 modules on each side: a light run that wide, or a stretch of the profile
// that flat and light; EAN-13/EAN-8 may also end at the image's edge, or 2.5 modules before a dark
// background that runs to it. A line through anything else yields nothing.
// One scan line of `gray` (8-bit): row or column `line`, each pixel the mean of the three adjacent
// lines' (against sensor noise), as floats. Empty when `line` is outside the image.
std::vector<float> scan_line_profile(const cv::Mat& gray, bool along_rows, int line);

struct BarRead {
  Symbology symbology;  // kEan13, kEan8 or kUpcE
  std::string digits;
  std::string addon;  // an EAN-13's 2- or 5-digit add-on on the same line, parity-checked; else empty
};
std::vector<BarRead> read_ean_line(const cv::Mat& gray, bool along_rows, int line);

// read_ean_line on every `step`-th line of `gray`, rows or columns: the codes read on at least
// `min_lines` of them, as validated Detections. A reader of its own for bars ZBar misreads or misses
// (fat bars, thin bars), held to more lines than ZBar because it looks at single lines.
std::vector<Detection> read_ean_lines(const cv::Mat& gray, bool along_rows, int step, int min_lines = 2);

}  // namespace kiosk::vision
