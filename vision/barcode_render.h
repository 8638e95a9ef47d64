#pragma once
// Barcodes drawn with libzint, for the simulated camera and for test images.
#include <string_view>

#include <opencv2/core/mat.hpp>

#include "common/result.h"
#include "symbology.h"

namespace kiosk::vision {

// Renders `data` as `symbology` into an 8-bit gray image: dark bars on white with quiet zones,
// `module_px` pixels per module (the narrowest bar). EAN/UPC data may include or omit the check
// digit; a wrong one is an error. UPC-E takes 7 or 8 digits (number system, 6 digits, check).
// DataBar takes the GTIN-14.
Result<cv::Mat> render_barcode(Symbology symbology, std::string_view data, int module_px = 3);

// The retail symbology a code of digits is printed as: 8 → EAN-8, 12 → UPC-A, 13 → EAN-13.
Result<Symbology> retail_symbology_for(std::string_view digits);

}  // namespace kiosk::vision
