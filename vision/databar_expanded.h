#pragma once
// Our own reader of GS1 DataBar Expanded and Expanded Stacked (ISO/IEC 24724), behind ZBar: ZBar 0.23
// reads no symbol of the full 11 pairs (21 data characters: its pair arrays hold one too few), so a
// crop ZBar reads nothing in comes here. Each scan line is cut into bars and spaces; every finder
// pattern with its two characters is a pair, named by its finder (A..F, mirrored or not), which tells
// its place in the symbol. The pairs of all lines are pooled, so the rows of a stacked symbol join,
// and a symbol is reported only when its check character agrees and its GS1 data is valid.
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "decoder.h"

namespace kiosk::vision {

// DataBar Expanded symbols read on every `step`-th line of `gray` (8-bit, one channel): rows when
// `rows` (bars upright), else columns. Each line is read both ways, so a symbol upside down reads too.
// `lines_with_pairs`, if given, gets the number of lines a DataBar pair was seen on: a crop with pairs
// but no symbol may hold part of a stacked one.
std::vector<Detection> read_databar_expanded_lines(const cv::Mat& gray, bool rows, int step,
                                                   int* lines_with_pairs = nullptr);

// The element strings of the symbols found so, as their bits decode, before GS1 validation: a second
// opinion on another decoder's read (a read this one decodes differently is doubtful).
std::vector<std::string> decode_databar_expanded_lines(const cv::Mat& gray, bool rows, int step,
                                                       int* lines_with_pairs = nullptr);

}  // namespace kiosk::vision
