#include "barcode_render.h"

#include "common/gtin.h"

#include <zint.h>

#include <fmt/format.h>
#include <algorithm>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <string>

namespace kiosk::vision {
namespace {

struct ZintDeleter {
  void operator()(zint_symbol* s) const { ZBarcode_Delete(s); }
};

Result<int> zint_symbology(Symbology s) {
  switch (s) {
    case Symbology::kEan13:
    case Symbology::kEan8:
      return BARCODE_EANX_CHK;  // BARCODE_EANX would read 8 digits as an EAN-13 body
    case Symbology::kUpcA:
      return BARCODE_UPCA;
    case Symbology::kUpcE:
      return BARCODE_UPCE;
    case Symbology::kCode128:
      return BARCODE_CODE128;
    case Symbology::kDataBar:
      return BARCODE_DBAR_OMN;
    case Symbology::kDataBarExpanded:
      return BARCODE_DBAR_EXP;
    case Symbology::kItf:
      return BARCODE_C25INTER;
    case Symbology::kQrCode:
      return BARCODE_QRCODE;
    case Symbology::kDataMatrix:
      return BARCODE_DATAMATRIX;
    case Symbology::kUnknown:
      break;
  }
  return invalid_argument("render: no symbology given");
}

}  // namespace

Result<Symbology> retail_symbology_for(std::string_view digits) {
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return invalid_argument(fmt::format("code '{}': only digits can be printed as EAN/UPC", digits));
  }
  switch (digits.size()) {
    case 8:
      return Symbology::kEan8;
    case 12:
      return Symbology::kUpcA;
    case 13:
      return Symbology::kEan13;
    default:
      return invalid_argument(
          fmt::format("code '{}': {} digits; EAN-8 has 8, UPC-A 12, EAN-13 13", digits, digits.size()));
  }
}

Result<PrintForm> retail_print_form(std::string_view code) {
  std::string_view digits = code;
  if (code.size() == 14) {
    if (code.starts_with("000000")) {
      digits = code.substr(6);
    } else if (code.starts_with("00")) {
      digits = code.substr(2);
    } else if (code.starts_with("0")) {
      digits = code.substr(1);
    } else {
      return invalid_argument(
          fmt::format("code {}: a GTIN-14 with indicator digit {} is printed on cases (ITF-14), "
                      "not on retail packs",
                      code, code[0]));
    }
  }
  auto sym = retail_symbology_for(digits);
  if (!sym) return sym.error();
  if (auto g = normalize_gtin(digits); !g) return g.error();
  return PrintForm{*sym, std::string(digits)};
}

Result<cv::Mat> render_barcode(Symbology symbology, std::string_view data, int module_px) {
  auto zsym = zint_symbology(symbology);
  if (!zsym) return zsym.error();
  if (module_px < 1 || module_px > 20)
    return invalid_argument(fmt::format("render: module_px {} outside 1..20", module_px));
  std::string input(data);
  if ((symbology == Symbology::kEan13 || symbology == Symbology::kEan8) && (data.size() == 7 || data.size() == 12)) {
    input += gtin_check_digit(data);  // EAN given without its check digit
  }
  if (symbology == Symbology::kDataBar) {
    // libzint takes DataBar's GTIN without the check digit and adds it itself.
    if (data.size() == 14) {
      if (!is_valid_gtin14(data)) return invalid_argument(fmt::format("render databar '{}': wrong check digit", data));
      input = std::string(data.substr(0, 13));
    } else if (data.size() == 13) {
      return invalid_argument(fmt::format("render databar '{}': give the GTIN-14 (14 digits)", data));
    }
  }
  std::unique_ptr<zint_symbol, ZintDeleter> sym(ZBarcode_Create());
  if (!sym) return internal_error("render: libzint could not allocate a symbol");
  sym->symbology = *zsym;
  sym->scale = static_cast<float>(module_px) / 2.0f;  // raster scale 1 = 2 px per module
  sym->output_options |= BARCODE_QUIET_ZONES;
  if (symbology == Symbology::kItf) sym->option_2 = 0;                 // no added check digit: print exactly `data`
  if (symbology == Symbology::kDataMatrix) sym->option_3 = DM_SQUARE;  // as on retail packs
  // "[01]07310865004703[10]LOT": GS1 data in bracketed AIs, encoded with FNC1 first.
  if (data.starts_with('[') && symbology != Symbology::kDataBarExpanded) {
    sym->input_mode = GS1_MODE;
    if (symbology == Symbology::kCode128) sym->symbology = BARCODE_GS1_128;
  }
  const int rc = ZBarcode_Encode_and_Buffer(sym.get(), reinterpret_cast<const unsigned char*>(input.data()),
                                            static_cast<int>(input.size()), 0);
  if (rc >= ZINT_ERROR) {
    return invalid_argument(fmt::format("render {} '{}': {}", symbology_name(symbology), data, sym->errtxt));
  }
  // The bitmap is RGB, 3 bytes per pixel, row-major.
  cv::Mat rgb(sym->bitmap_height, sym->bitmap_width, CV_8UC3, sym->bitmap);
  cv::Mat gray;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);  // copies out of zint's buffer
  if (symbology == Symbology::kQrCode || symbology == Symbology::kDataMatrix || symbology == Symbology::kDataBar ||
      symbology == Symbology::kDataBarExpanded) {
    // Some symbologies get no horizontal quiet zone from libzint's flag; add 10 modules of white.
    cv::copyMakeBorder(gray, gray, 4 * module_px, 4 * module_px, 10 * module_px, 10 * module_px, cv::BORDER_CONSTANT,
                       cv::Scalar(255));
  }
  return gray;
}

}  // namespace kiosk::vision
