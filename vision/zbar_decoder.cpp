// ZBar backend of Decoder (C API: the C++ wrapper throws, and errors here must stay values).
#include <zbar.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "decoder.h"
#include "zbar_scanner.h"

namespace kiosk::vision {
namespace {

// zbar.h declares its C API inside namespace zbar when compiled as C++.
using namespace ::zbar;  // NOLINT(google-build-using-namespace)

// ZBar needs a few pixels to see a single bar; anything smaller cannot hold a code.
constexpr int kMinSide = 16;
// Thinner strips than this hold no readable code (and are not padded up).
constexpr int kMinStrip = 4;
// Frames larger than this (a 4K still, a corrupt header) are scaled down so one call stays bounded.
constexpr int kMaxSide = 4096;
// Scan lines a DataBar (omni) read must be seen on to be believed (see to_detection).
constexpr int kMinDataBarQuality = 2;

Symbology map_symbology(zbar_symbol_type_t t) {
  switch (t) {
    case ZBAR_EAN13:
      return Symbology::kEan13;
    case ZBAR_EAN8:
      return Symbology::kEan8;
    case ZBAR_UPCA:
      return Symbology::kUpcA;
    case ZBAR_UPCE:
      return Symbology::kUpcE;
    case ZBAR_CODE128:
      return Symbology::kCode128;
    case ZBAR_DATABAR:
      return Symbology::kDataBar;
    case ZBAR_DATABAR_EXP:
      return Symbology::kDataBarExpanded;
    case ZBAR_I25:
      return Symbology::kItf;
    case ZBAR_QRCODE:
      return Symbology::kQrCode;
    default:
      return Symbology::kUnknown;
  }
}

std::string symbol_data(const zbar_symbol_t* s) {
  return {zbar_symbol_get_data(s), zbar_symbol_get_data_length(s)};
}

// Add-ons are printed beside EAN-13 and UPC-A (periodicals, books). Not accepted beside UPC-E/EAN-8:
// ZBar finds phantom EAN-2s next to UPC-E codes in the test photos (upce-2_10: "01").
bool takes_addon(Symbology s) {
  return s == Symbology::kEan13 || s == Symbology::kUpcA;
}

bool is_addon(const std::string& a) {
  return (a.size() == 2 || a.size() == 5) &&
         std::all_of(a.begin(), a.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// ZBar (0.23, cache off) reports an add-on as its own EAN2/EAN5 symbol rather than a composite. With
// exactly one EAN/UPC and one add-on in the image they belong together (ZBar's own pairing rule); with
// more, which add-on sits beside which code is unknown, so none is attached. A lone add-on is dropped.
void attach_addon(std::vector<Detection>& found, const std::vector<std::string>& addons) {
  if (addons.size() != 1) return;
  Detection* main = nullptr;
  for (auto& d : found) {
    if (!takes_addon(d.symbology)) {
      if (d.symbology == Symbology::kEan8 || d.symbology == Symbology::kUpcE) return;
      continue;
    }
    if (main) return;
    main = &d;
  }
  if (main && main->addon.empty()) main->addon = addons.front();
}

// One ZBar symbol as a validated Detection. A ZBAR_COMPOSITE holds the EAN/UPC symbol and its EAN2/EAN5
// add-on as components; a lone add-on (the main symbol unread) names no product and is dropped.
std::optional<Detection> to_detection(const zbar_symbol_t* s) {
  if (zbar_symbol_get_type(s) != ZBAR_COMPOSITE) {
    const Symbology sym = map_symbology(zbar_symbol_get_type(s));
    if (sym == Symbology::kUnknown) return std::nullopt;
    // ZBar's DataBar decoder finds GTINs in plain noise (textured counters, 1 in 3 empty 1080p frames
    // in bench_vision), always on a single scan line (quality 1); real DataBar reads span several.
    if (sym == Symbology::kDataBar && zbar_symbol_get_quality(s) < kMinDataBarQuality) return std::nullopt;
    // GS1-128 and GS1 QR begin with FNC1; ZBar drops it and sets the GS1 modifier.
    const bool gs1 = (zbar_symbol_get_modifiers(s) & (1u << ZBAR_MOD_GS1)) != 0;
    return validate_detection(sym, symbol_data(s), gs1);
  }
  const zbar_symbol_set_t* parts = zbar_symbol_get_components(s);
  std::optional<Detection> main;
  std::string addon;
  for (const zbar_symbol_t* c = parts ? zbar_symbol_set_first_symbol(parts) : nullptr; c; c = zbar_symbol_next(c)) {
    const auto t = zbar_symbol_get_type(c);
    if (t == ZBAR_EAN2 || t == ZBAR_EAN5) {
      addon = symbol_data(c);
    } else if (const Symbology sym = map_symbology(t); sym != Symbology::kUnknown) {
      main = validate_detection(sym, symbol_data(c));
    }
  }
  if (!main) return std::nullopt;
  if (is_addon(addon) && takes_addon(main->symbology)) main->addon = std::move(addon);
  return main;
}

bool weak_check(Symbology s) {
  return s == Symbology::kEan13 || s == Symbology::kEan8 || s == Symbology::kUpcA || s == Symbology::kUpcE ||
         s == Symbology::kItf;
}

zbar_symbol_type_t zbar_type(Symbology s) {
  switch (s) {
    case Symbology::kEan13:
      return ZBAR_EAN13;
    case Symbology::kEan8:
      return ZBAR_EAN8;
    case Symbology::kUpcA:
      return ZBAR_UPCA;
    case Symbology::kUpcE:
      return ZBAR_UPCE;
    case Symbology::kCode128:
      return ZBAR_CODE128;
    case Symbology::kDataBar:
      return ZBAR_DATABAR;
    case Symbology::kDataBarExpanded:
      return ZBAR_DATABAR_EXP;
    case Symbology::kItf:
      return ZBAR_I25;
    case Symbology::kQrCode:
      return ZBAR_QRCODE;
    default:
      return ZBAR_NONE;
  }
}

cv::Mat to_gray(const cv::Mat& image) {
  cv::Mat gray;
  if (image.channels() == 1) {
    gray = image;
  } else if (image.channels() == 3) {
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  } else if (image.channels() == 4) {
    cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  }
  return gray;
}

}  // namespace

struct ZbarScanner::Impl {
  zbar_image_scanner_t* scanner = zbar_image_scanner_create();
  ~Impl() { zbar_image_scanner_destroy(scanner); }
};

ZbarScanner::ZbarScanner(const std::vector<Symbology>& symbologies) : impl_(std::make_unique<Impl>()) {
  zbar_image_scanner_t* sc = impl_->scanner;
  // Everything off, then exactly the wanted symbologies on (ISBN, Code 39, PDF417... stay off).
  zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  std::vector<zbar_symbol_type_t> types;
  if (symbologies.empty()) {
    types = {ZBAR_EAN13,   ZBAR_EAN8,        ZBAR_UPCA, ZBAR_UPCE,  ZBAR_CODE128,
             ZBAR_DATABAR, ZBAR_DATABAR_EXP, ZBAR_I25,  ZBAR_QRCODE};
  } else {
    for (Symbology s : symbologies) {
      if (zbar_type(s) != ZBAR_NONE) types.push_back(zbar_type(s));
    }
  }
  // EAN2/EAN5 make ZBar report a main symbol with its add-on as one ZBAR_COMPOSITE symbol.
  const bool ean = std::any_of(types.begin(), types.end(), [](auto t) { return t == ZBAR_EAN13 || t == ZBAR_UPCA; });
  if (ean) {
    types.push_back(ZBAR_EAN2);
    types.push_back(ZBAR_EAN5);
  }
  for (auto t : types) zbar_image_scanner_set_config(sc, t, ZBAR_CFG_ENABLE, 1);
  // Single images, no video consistency: one frame is decoded on its own.
  zbar_image_scanner_enable_cache(sc, 0);
}

ZbarScanner::~ZbarScanner() = default;

std::vector<Detection> ZbarScanner::scan(const cv::Mat& image, int row_step, int column_step, int min_weak_lines) {
  std::vector<Detection> out;
  if (image.empty() || image.depth() != CV_8U) return out;
  // A strip (a one-line scan, a tightly cropped label) is padded to kMinSide by repeating its edge
  // rows: ZBar is then given nothing it cannot handle, and the bars still cross the scan lines.
  if (std::max(image.cols, image.rows) < kMinSide || std::min(image.cols, image.rows) < kMinStrip) return out;
  cv::Mat gray = to_gray(image);
  if (gray.empty()) return out;
  if (gray.rows < kMinSide || gray.cols < kMinSide) {
    const int pad_y = std::max(0, kMinSide - gray.rows), pad_x = std::max(0, kMinSide - gray.cols);
    cv::copyMakeBorder(gray, gray, pad_y / 2, pad_y - pad_y / 2, pad_x / 2, pad_x - pad_x / 2, cv::BORDER_REPLICATE);
  }
  if (std::max(gray.cols, gray.rows) > kMaxSide) {
    const double f = static_cast<double>(kMaxSide) / std::max(gray.cols, gray.rows);
    cv::resize(gray, gray, cv::Size(), f, f, cv::INTER_AREA);
  }
  if (!gray.isContinuous()) gray = gray.clone();
  zbar_image_scanner_t* sc = impl_->scanner;
  // ZBar's Y density is the step between scanned rows, X density between scanned columns.
  zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, std::clamp(row_step, 0, 64));
  zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_X_DENSITY, std::clamp(column_step, 0, 64));

  zbar_image_t* zimg = zbar_image_create();
  zbar_image_set_format(zimg, zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(zimg, static_cast<unsigned>(gray.cols), static_cast<unsigned>(gray.rows));
  // ZBar only reads the data; no cleanup handler because the Mat owns it.
  zbar_image_set_data(zimg, gray.data, gray.total(), nullptr);
  const int n = zbar_scan_image(sc, zimg);
  if (n > 0) {
    std::vector<std::string> addons;
    for (const zbar_symbol_t* s = zbar_image_first_symbol(zimg); s; s = zbar_symbol_next(s)) {
      const auto t = zbar_symbol_get_type(s);
      if (t == ZBAR_EAN2 || t == ZBAR_EAN5) {
        if (auto a = symbol_data(s); is_addon(a)) addons.push_back(std::move(a));
        continue;
      }
      auto d = to_detection(s);
      if (!d) continue;
      if (weak_check(d->symbology) && zbar_symbol_get_quality(s) < min_weak_lines) continue;
      const bool dup = std::any_of(out.begin(), out.end(), [&](const Detection& o) {
        return o.symbology == d->symbology && o.text == d->text && o.addon == d->addon;
      });
      if (!dup) out.push_back(std::move(*d));
    }
    attach_addon(out, addons);
  }
  zbar_image_destroy(zimg);
  return out;
}

namespace {

class ZbarDecoder final : public Decoder {
 public:
  explicit ZbarDecoder(ZbarOptions options) : density_(std::clamp(options.scan_density, 1, 8)) {}
  std::vector<Detection> decode(const cv::Mat& image) override { return scanner_.scan(image, density_, density_); }

 private:
  ZbarScanner scanner_;
  int density_;
};

}  // namespace

std::unique_ptr<Decoder> make_zbar_decoder(ZbarOptions options) {
  return std::make_unique<ZbarDecoder>(options);
}

}  // namespace kiosk::vision
