#pragma once
// Barcodes drawn with libzint, for the simulated camera and for test images.
#include <string>
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

struct PrintForm {
  Symbology symbology = Symbology::kUnknown;
  std::string data;  // what goes under the bars
};

// How a retail code is printed on a pack: EAN-8, UPC-A and EAN-13 as themselves, and a GTIN-14 with
// leading zeros (a catalog key) as the EAN-8, UPC-A or EAN-13 it came from. The check digit must be
// right.
Result<PrintForm> retail_print_form(std::string_view code);

}  // namespace kiosk::vision
