#pragma once
// What the DataBar readers (databar_expanded.h, databar_omni.h) share: a scan line cut into bar and
// space widths, and a character's widths turned into module counts and values (ISO/IEC 24724).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace kiosk::vision::databar {

// Widths (px) of the light and dark runs of one line (8-bit, one row), edges placed between pixels
// where the line crosses the midpoint of its local darkest and lightest values; `first_dark` tells
// the first run's colour.
std::vector<float> run_widths(const cv::Mat& line, bool& first_dark);

// Module counts of a character's 8 widths (element farthest from its finder first), summing to
// `modules`, the odd elements' sum odd when `odd_sum_odd` (else even), the even elements' sum of the
// parity that leaves: the plain rounding, mended by rounding the elements that were nearest the
// other way; nothing when one change per half cannot mend it.
std::optional<std::array<int, 8>> char_modules(const std::array<float, 8>& widths, int modules, bool odd_sum_odd);

// The value of one half (odd or even elements) of a character: its index among the width
// combinations of that many modules with no element wider than `max_width` (and, when `no_narrow`,
// not all of them wider than one module): the encoders' widths function run backwards. 4 elements a half
// in DataBar Omni and Expanded, 7 in Limited.
std::int64_t rss_value(std::span<const int> widths, int max_width, bool no_narrow);

}  // namespace kiosk::vision::databar
