// ZBar backend of Decoder (C API: the C++ wrapper throws, and errors here must stay values).
#include <iconv.h>
#include <zbar.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "common/gtin.h"
#include "databar_expanded.h"
#include "decoder.h"
#include "ean_check.h"
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

bool valid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;  // continuation bytes
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
    } else if (c >= 0x80) {
      return false;
    }
    if (i + n >= s.size() && n > 0) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

// `raw` converted from `charset` to UTF-8, or nothing when it is not valid in that charset.
std::optional<std::string> to_utf8(const std::string& raw, const char* charset) {
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(raw.size() * 4 + 4, '\0');
  char* in = const_cast<char*>(raw.data());
  std::size_t in_left = raw.size();
  char* o = out.data();
  std::size_t out_left = out.size();
  const std::size_t r = iconv(cd, &in, &in_left, &o, &out_left);
  iconv_close(cd);
  if (r == static_cast<std::size_t>(-1) || in_left != 0) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

// A QR code's bytes (ZBar in binary mode: its own charset guess turned Shift_JIS kana into Chinese
// and a Shift_JIS backslash into a yen sign) as UTF-8, by the ISO/IEC 18004 practice zxing follows:
// UTF-8 when the bytes are valid UTF-8, else Shift_JIS as Windows code page 932 (0x5C is '\\', as
// phones show it), else ISO-8859-1, the standard's default.
std::string qr_text(const std::string& raw) {
  if (valid_utf8(raw)) return raw;
  if (auto sjis = to_utf8(raw, "CP932")) return *sjis;
  if (auto latin = to_utf8(raw, "ISO-8859-1")) return *latin;
  return raw;
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
    if (sym == Symbology::kQrCode && !gs1) return validate_detection(sym, qr_text(symbol_data(s)), gs1);
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

bool is_ean_upc(Symbology s) {
  return s == Symbology::kEan13 || s == Symbology::kEan8 || s == Symbology::kUpcA || s == Symbology::kUpcE;
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

// Scan lines checked per EAN/UPC symbol: enough to see past a smudge, few enough to stay cheap.
constexpr std::size_t kCheckLines = 8;
// Scan lines ZBar must have read an EAN/UPC on when our own reading of the bars confirms nothing.
constexpr int kMinUnconfirmedLines = 3;

// What our own reading of the bars (ean_check.h) says of ZBar's EAN/UPC read `d`, on up to
// kCheckLines of the scan lines ZBar read it on: lines that read the same code, and lines that read
// another. ZBar's orientation says whether its lines were rows (bars upright) or columns.
struct BarVotes {
  int agree = 0;
  int disagree = 0;
  std::vector<std::pair<std::string, int>> addons;  // add-ons read beside the agreeing code, lines each
};

BarVotes bar_votes(const cv::Mat& gray, const zbar_symbol_t* s, const Detection& d) {
  BarVotes v;
  const unsigned n = zbar_symbol_get_loc_size(s);
  const int orient = zbar_symbol_get_orientation(s);
  std::vector<std::pair<bool, int>> lines;  // (along rows, line)
  for (unsigned i = 0; i < n; ++i) {
    const int x = zbar_symbol_get_loc_x(s, i), y = zbar_symbol_get_loc_y(s, i);
    if (orient != ZBAR_ORIENT_RIGHT && orient != ZBAR_ORIENT_LEFT) lines.emplace_back(true, y);
    if (orient != ZBAR_ORIENT_UP && orient != ZBAR_ORIENT_DOWN) lines.emplace_back(false, x);
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  // Spread the checked lines over the whole set.
  const std::size_t step = std::max<std::size_t>(1, lines.size() / kCheckLines);
  for (std::size_t i = 0; i < lines.size(); i += step) {
    bool same = false, other = false;
    for (const auto& r : read_ean_line(gray, lines[i].first, lines[i].second)) {
      auto g = normalize_gtin(r.digits, r.symbology == Symbology::kUpcE);
      if (!g) continue;
      (*g == d.gtin14 ? same : other) = true;
      if (*g == d.gtin14 && !r.addon.empty()) {
        auto it = std::find_if(v.addons.begin(), v.addons.end(), [&](const auto& a) { return a.first == r.addon; });
        if (it == v.addons.end()) {
          v.addons.emplace_back(r.addon, 1);
        } else {
          ++it->second;
        }
      }
    }
    v.agree += same ? 1 : 0;
    v.disagree += other && !same ? 1 : 0;
  }
  return v;
}

// For a short EAN-8 or UPC-E read: whether its quiet zones hold no bars on most of ZBar's lines.
// ZBar finds such codes inside the bars of a longer EAN/UPC it cannot read whole (upca-5_32,
// upca-2_38 in the photos); a real one has 7 modules of blank either side (or an add-on after 7).
bool quiet_zones_clear(const cv::Mat& gray, const zbar_symbol_t* s, int modules) {
  const unsigned n = zbar_symbol_get_loc_size(s);
  const int orient = zbar_symbol_get_orientation(s);
  const bool rows = orient != ZBAR_ORIENT_RIGHT && orient != ZBAR_ORIENT_LEFT;
  // The extent along each line: the smallest and largest position ZBar gave on it.
  std::vector<std::array<int, 3>> lines;  // line, first, last
  for (unsigned i = 0; i < n; ++i) {
    const int line = rows ? zbar_symbol_get_loc_y(s, i) : zbar_symbol_get_loc_x(s, i);
    const int at = rows ? zbar_symbol_get_loc_x(s, i) : zbar_symbol_get_loc_y(s, i);
    // ZBar places a symbol's start and end on neighbouring lines (y and y+1): grouped as one.
    auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return std::abs(l[0] - line) <= 2; });
    if (it == lines.end()) {
      lines.push_back({line, at, at});
    } else {
      (*it)[1] = std::min((*it)[1], at);
      (*it)[2] = std::max((*it)[2], at);
    }
  }
  const int length = rows ? gray.cols : gray.rows;
  int clear = 0, busy = 0;
  for (const auto& [line, first, last] : lines) {
    if (last - first < modules) continue;  // one point only: no extent
    const double module = static_cast<double>(last - first) / modules;
    const auto pixel = [&](int at) { return rows ? gray.at<std::uint8_t>(line, at) : gray.at<std::uint8_t>(at, line); };
    const auto range = [&](int from, int to) {
      from = std::clamp(from, 0, length - 1);
      to = std::clamp(to, 0, length - 1);
      int lo = 255, hi = 0;
      for (int i = from; i <= to; ++i) {
        lo = std::min<int>(lo, pixel(i));
        hi = std::max<int>(hi, pixel(i));
      }
      return std::max(0, hi - lo);
    };
    const int inside = range(first, last);
    // 3.5 modules: an add-on may follow after 7 (or, squeezed, 4.5); a longer code's next bars follow
    // within 1 to 3.
    // ZBar's end points sit 2 to 3 modules inside the code's edges (upce-3_09: 4 px of a 2.4 px
    // module before the start, 7 px before the end); the zone checked is the 2 modules after that.
    const auto zone = static_cast<int>(std::lround(6 * module));
    const auto margin = static_cast<int>(std::lround(4 * module));
    const bool ok = range(last + margin, last + zone) < inside / 2 && range(first - zone, first - margin) < inside / 2;
    (ok ? clear : busy) += 1;
  }
  return clear >= busy;
}

// Whether our own DataBar Expanded reader (databar_expanded.h), on the lines ZBar scanned, decodes
// symbols there and none of them as ZBar's `text`. ZBar misdecodes now and then (rssexpanded-3_100
// in the photos: '<' for a space, so data GS1 forbids passed for valid).
bool expanded_contradicted(const cv::Mat& gray, const zbar_symbol_t* s, const std::string& text) {
  const int orient = zbar_symbol_get_orientation(s);
  const bool rows = orient != ZBAR_ORIENT_RIGHT && orient != ZBAR_ORIENT_LEFT;
  const auto ours = decode_databar_expanded_lines(gray, rows, std::max(1, (rows ? gray.rows : gray.cols) / 32));
  return !ours.empty() && std::find(ours.begin(), ours.end(), text) == ours.end();
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
  bool check_bars = true;
  ~Impl() { zbar_image_scanner_destroy(scanner); }
};

ZbarScanner::ZbarScanner(const std::vector<Symbology>& symbologies, bool check_bars) : impl_(std::make_unique<Impl>()) {
  impl_->check_bars = check_bars;
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
  // QR bytes as they are: qr_text picks the charset.
  zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
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
      if (d->symbology == Symbology::kDataBarExpanded && expanded_contradicted(gray, s, d->text)) continue;
      if (weak_check(d->symbology) && zbar_symbol_get_quality(s) < min_weak_lines) continue;
      if (impl_->check_bars && is_ean_upc(d->symbology)) {
        // ZBar's 1/7 and 2/8 misreads on fat or thin bars: dropped when our reading of the same
        // lines, with the spread taken out, finds another code there more often than this one.
        const BarVotes v = bar_votes(gray, s, *d);
        if (v.disagree > 0 && v.disagree >= v.agree) continue;
        // An add-on ZBar missed (it needs a wider gap) that our reading found on two lines or more.
        if (d->addon.empty() && takes_addon(d->symbology) && v.addons.size() == 1 && v.addons.front().second >= 2) {
          d->addon = v.addons.front().first;
        }
        // Bars our reading could not resolve (blur, a cut quiet zone): ZBar alone vouches for them,
        // on several lines at least, and the read waits for a second frame.
        if (v.agree == 0) {
          if (zbar_symbol_get_quality(s) < kMinUnconfirmedLines) continue;
          if (d->symbology == Symbology::kUpcE && !quiet_zones_clear(gray, s, 51)) continue;
          if (d->symbology == Symbology::kEan8 && !quiet_zones_clear(gray, s, 67)) continue;
          d->doubtful = true;
        }
      }
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
  explicit ZbarDecoder(ZbarOptions options)
      : scanner_({}, options.check_bars), density_(std::clamp(options.scan_density, 1, 8)) {}
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
