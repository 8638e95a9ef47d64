#pragma once
// A reader for EAN-13 / UPC-A bars too small or too blurred to split into bars and spaces: about one
// pixel per module, defocus, glare. Readers that find edges first (ZBar, ean_check.h) lose such codes
// because neighbouring thin bars and spaces melt into one grey run. Here the whole symbol is fitted
// instead: the outer edges of the guard bars fix where every module lies, each digit is the pattern
// whose blurred image best matches the pixels over its seven modules (its neighbours' edge modules are
// known: every left digit starts with a space and ends with a bar, every right digit the reverse),
// and the check digit and the first digit's parity pattern choose among the close calls.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "decoder.h"

namespace kiosk::vision {

// The EAN-13 (13 digits; a UPC-A has a leading 0) on scan line `profile` (grey levels, dark bars on
// a light ground), left to right or right to left, or nothing. A line answers only when its fit is
// clear: every guard matches, the digits match well on average, and the best code that passes the
// check digit beats every other valid code by a margin.
std::optional<std::string> fit_ean13_line(const std::vector<float>& profile);

// fit_ean13_line on `lines` rows (or columns) spread over `gray` (8-bit), the middle one first, until
// the deadline (this thread's CPU time, cpu_time.h): the codes read on at least `min_lines` lines and
// on at least twice as many as any other code, as validated Detections marked doubtful, so that a
// camera's read waits for a second frame. Stops early once one code alone has `min_lines`.
std::vector<Detection> read_ean_fit_lines(const cv::Mat& gray, bool along_rows, int lines, int min_lines = 3,
                                          std::chrono::nanoseconds deadline = std::chrono::nanoseconds::max());

}  // namespace kiosk::vision
