#pragma once
// The EAN/UPC symbol tables (GS1 General Specifications 5.2.2.4), shared by our bar readers.

namespace kiosk::vision {

// Element widths in modules of the digits 0-9: EAN L and R codes (L starts with a space, R with a
// bar); a G code is an R code read backwards.
inline constexpr int kEanWidths[10][4] = {{3, 2, 1, 1}, {2, 2, 2, 1}, {2, 1, 2, 2}, {1, 4, 1, 1}, {1, 1, 3, 2},
                                          {1, 2, 3, 1}, {1, 1, 1, 4}, {1, 3, 1, 2}, {1, 2, 1, 3}, {3, 1, 1, 2}};
// EAN-13's first digit: the parity of its six left digits, bit 5 the first (1 = G / even).
inline constexpr int kEan13Parity[10] = {0b000000, 0b001011, 0b001101, 0b001110, 0b010011,
                                         0b011001, 0b011100, 0b010101, 0b010110, 0b011010};

}  // namespace kiosk::vision
