#pragma once
// Our own reader of GS1 DataBar Limited (ISO/IEC 24724), behind ZBar: ZBar 0.23 reads no Limited
// symbol at all. A Limited symbol is one row of 45 elements after its left guard space: a 1X guard
// bar, a left data character (14 elements, 26 modules), a check character (14 elements, 18 modules),
// a right data character (26 modules) and a 1X space and bar; the two characters (0..2,013,570 each)
// carry the GTIN without its check digit, and the check character is their weighted sum mod 89.
#include <vector>

#include <opencv2/core/mat.hpp>

#include "decoder.h"

namespace kiosk::vision {

// DataBar Limited symbols read on every `step`-th line of `gray` (8-bit, one channel): rows when
// `rows` (bars upright), else columns, each line both ways (a symbol upside down reads too). Four
// probe lines are read first, and nothing more when none of them reads a whole symbol, so a crop
// without one costs four lines. A symbol is reported (as Symbology::kDataBar, text "01" + GTIN-14)
// only when its check character agrees and it read the same on at least two lines.
std::vector<Detection> read_databar_limited_lines(const cv::Mat& gray, bool rows, int step);

}  // namespace kiosk::vision
