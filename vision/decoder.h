#pragma once
// Barcode decoding: an image in, validated codes out. The interface takes an image view so that
// localisation (issue 4) can sit in front of a decoder without the camera loop changing.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "localizer.h"
#include "symbology.h"

namespace kiosk::vision {

struct Detection {
  Symbology symbology = Symbology::kUnknown;
  std::string text;    // as decoded (EAN/UPC: the digits with check digit)
  std::string gtin14;  // set when the code names a trade item, check digit verified
  std::string addon;   // EAN/UPC 2- or 5-digit add-on beside the main symbol, empty if none
  // The GS1 element string the code carries (AIs with ASCII 29 after variable-length fields), checked
  // against the AI table: DataBar, DataBar Expanded, GS1-128, GS1 QR/DataMatrix, and the GS1 Digital
  // Link URL of a QR code. Empty for codes without GS1 data.
  std::string element_string;
  // A read that needs confirmation by a second frame before it is reported: the decoder accepted it
  // but is not sure of it (e.g. read only after heavy enhancement, or by a weak fallback).
  bool doubtful = false;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Decodes every code found in `image` (8-bit gray or BGR; any size, empty allowed). Codes that fail
  // validation (wrong check digit, malformed GS1 data) are never returned. Not thread-safe: one
  // decoder per thread.
  virtual std::vector<Detection> decode(const cv::Mat& image) = 0;
};

struct ZbarOptions {
  // Scan every n-th pixel row and column. Retail codes are tens of rows tall, so 2 finds the same
  // codes as 1 in half the time (about 9 ms instead of 18 ms per 1280×720 frame, one core).
  int scan_density = 2;
  // Check EAN/UPC reads against our own reading of their bars (ean_check.h) and drop ZBar's misreads.
  // Off only for the plain-ZBar baseline of the benchmarks and tests.
  bool check_bars = true;
};

// ZBar on a grayscale view, with EAN-13, EAN-8, UPC-A, UPC-E, Code 128, DataBar, DataBar Expanded,
// ITF and QR enabled.
std::unique_ptr<Decoder> make_zbar_decoder(ZbarOptions options = {});

struct RetryOptions {
  // Time allowed for the retries on one image after the plain decode read nothing (the plain decode
  // itself always runs in full).
  std::chrono::milliseconds budget{40};
};

// Wraps `inner`: when an image reads nothing, retries it scaled (×2 for small images, ½ for large),
// contrast-equalised (CLAHE), sharpened and rotated ±45° (ZBar scans rows and columns only), stopping
// at the first read or when the budget is spent.
std::unique_ptr<Decoder> make_retry_decoder(std::unique_ptr<Decoder> inner, RetryOptions options = {});

// Our whole-symbol fit of EAN-13 bars (ean_fit.h) on the linear regions nothing read: after the rest
// and only when the rest read nothing in the image (kLast), never (kOff), or alone (kOnly: the still
// decoder's last resort, after its whole-image readers).
enum class BarFit { kOff, kLast, kOnly };

struct LocatedOptions {
  // Time for one image, localisation included: regions left when it is spent are not read.
  std::chrono::microseconds budget{std::chrono::milliseconds(15)};
  LocalizerOptions localizer;
  BarFit bar_fit = BarFit::kLast;
};

// Finds code regions with OpenCV (locate_codes), deskews and enlarges each, and reads it with ZBar
// restricted to the symbologies of its shape (bars: EAN/UPC, Code 128, DataBar, ITF; square: QR).
// Bars first; a linear crop ZBar reads nothing in goes to our own EAN/UPC reader (ean_check.h), and an
// EAN-13/UPC-A read gets its add-on looked for beside it; bars nothing reads are fitted (BarFit). 2D retries
// (binarised, inverted, Data Matrix) only on square regions not inside a label already read. Cheap on frames without a
// code. visiond's per-frame decoder.
std::unique_ptr<Decoder> make_located_decoder(LocatedOptions options = {});

// `first`, and `second` only when `first` reads nothing.
std::unique_ptr<Decoder> make_fallback_decoder(std::unique_ptr<Decoder> first, std::unique_ptr<Decoder> second);

struct StillOptions {
  std::chrono::microseconds located_budget{std::chrono::milliseconds(60)};
  std::chrono::milliseconds retry_budget{40};
};

// The decoder for still images (vision-decode): the located decoder first, then, when it reads
// nothing, ZBar and our EAN/UPC reader on the whole image behind the retries, then Data Matrix, then
// the fit of bars nothing else read (BarFit::kOnly).
// Budgets count this thread's CPU time.
std::unique_ptr<Decoder> make_default_decoder(StillOptions options = {});

// Turns one raw decode into a Detection, or nothing when it fails validation: EAN/UPC are normalised
// to GTIN-14 (UPC-E expanded); DataBar's (01) and a 14-digit ITF must carry a valid GTIN-14;
// DataBar Expanded, and Code 128 / QR / DataMatrix that began with FNC1 (`gs1`), must be a valid GS1
// element string; a QR code holding a GS1 Digital Link URL must carry valid GS1 data.
// Pure, shared by every decoder backend.
std::optional<Detection> validate_detection(Symbology symbology, std::string text, bool gs1 = false);

}  // namespace kiosk::vision
