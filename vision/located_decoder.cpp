// The region decoder: OpenCV finds where codes are (localizer.h), and ZBar reads only the deskewed,
// enlarged crops, each with the symbologies its shape can hold, within a time budget per image.
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "cpu_time.h"
#include "databar_expanded.h"
#include "databar_limited.h"
#include "decoder.h"
#include "dmtx_reader.h"
#include "ean_check.h"
#include "ean_fit.h"
#include "localizer.h"
#include "zbar_scanner.h"

namespace kiosk::vision {
namespace {

// Crops are scaled so that a code across them spans at least this many px (≈ 5 px per EAN module),
// since small codes read far better enlarged; never more than kMaxUpscale.
constexpr double kLinearTargetPx = 480;
constexpr double kMatrixTargetPx = 360;
constexpr double kMaxUpscale = 3.0;
// Crops larger than this (a code filling a 12 MP photo) are scaled down: ZBar needs no more.
constexpr double kMaxCropPx = 1600;
// Scan lines per linear crop: a few dozen rows read a code with a damaged patch.
constexpr int kLinearRows = 32;
// EAN/UPC/ITF read from a crop must show on two scan lines: a single line can misread.
constexpr int kMinWeakLines = 2;
// libdmtx's search on one crop is cut off after this long, or a quarter of a larger budget (its
// timeout is wall time, which a loaded machine stretches), or the rest of the budget if less.
constexpr std::chrono::milliseconds kMaxDataMatrixTime{25};
// A linear crop with DataBar pairs on this many lines but no symbol is read again this many times as
// tall (at most square), for the rows of a stacked DataBar Expanded outside it.
constexpr int kMinPairLines = 3;
constexpr float kStackedHeight = 3.0f;
// Lines our EAN/UPC reader scans for an add-on beside a code read in a region.
constexpr int kAddonLines = 6;
// EAN-13 bars fitted whole (ean_fit.h): a crop of the region a third longer (the quiet zones), small
// regions enlarged toward 2.5 px a module (a region may hold more than the code: not shrunk to it)...
constexpr double kFitTargetPx = 240;
// ... and large ones shrunk to this length at most: a line's fit cannot be cut short, and its time
// grows with the line's length (about 2.5 px a module still when the code fills the region).
constexpr double kFitMaxPx = 400;
constexpr float kFitWiden = 1.3f;
// Lines across the crop, and lines that must agree.
constexpr int kFitLines = 24;
constexpr int kFitMinLines = 3;
constexpr int kFitShare = 3;  // the fit run last (BarFit::kLast) gets a frame's budget over this, at most
// Lines per direction our EAN/UPC reader scans on a whole still.
constexpr int kWholeImageLines = 128;

cv::Mat gray_of(const cv::Mat& image) {
  if (image.channels() == 1) return image;
  cv::Mat g;
  if (image.channels() == 3) cv::cvtColor(image, g, cv::COLOR_BGR2GRAY);
  if (image.channels() == 4) cv::cvtColor(image, g, cv::COLOR_BGRA2GRAY);
  return g;
}

double crop_scale(double side, double target) {
  if (side <= 0) return 1.0;
  if (side > kMaxCropPx) return kMaxCropPx / side;
  return std::clamp(target / side, 1.0, kMaxUpscale);
}

// Local-mean threshold over windows of about two modules of a small 2D code.
cv::Mat binarized(const cv::Mat& crop) {
  const int block = std::max(3, (std::min(crop.cols, crop.rows) / 12) | 1);
  cv::Mat out;
  cv::adaptiveThreshold(crop, out, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY, block, 2);
  return out;
}

// The axis-aligned box around a 2D region, with a quarter more margin: libdmtx finds the symbol's L
// edges at any angle itself and needs its whole quiet zone, which a tight rotated crop may clip.
cv::Mat upright_box(const cv::Mat& gray, const CodeRegion& r) {
  const cv::RotatedRect rr(r.center, cv::Size2f(r.length * 1.25f, r.height * 1.25f), r.angle * 57.29578f);
  const cv::Rect box = rr.boundingRect() & cv::Rect(0, 0, gray.cols, gray.rows);
  if (box.empty()) return {};
  cv::Mat out = gray(box);
  const double side = std::max(box.width, box.height);
  if (side < kMatrixTargetPx / 2) cv::resize(out, out, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
  return out;
}

cv::Mat inverted(const cv::Mat& crop) {
  cv::Mat out;
  cv::bitwise_not(crop, out);
  return out;
}

void add_unique(std::vector<Detection>& out, std::vector<Detection> found) {
  for (auto& d : found) {
    const bool dup = std::any_of(out.begin(), out.end(), [&](const Detection& o) {
      return o.symbology == d.symbology && o.text == d.text && o.addon == d.addon;
    });
    if (!dup) out.push_back(std::move(d));
  }
}

// True when the centre of `r` lies in one of `regions` (their boxes as oriented, margins included).
bool inside_any(const CodeRegion& r, const std::vector<CodeRegion>& regions) {
  return std::any_of(regions.begin(), regions.end(), [&](const CodeRegion& k) {
    const cv::Point2f d = r.center - k.center;
    const float u = std::abs(d.x * std::cos(k.angle) + d.y * std::sin(k.angle));
    const float v = std::abs(-d.x * std::sin(k.angle) + d.y * std::cos(k.angle));
    return u < k.length / 2 && v < k.height / 2;
  });
}

// An add-on sits up to 12 modules beyond its EAN-13/UPC-A, often outside the bars' region: for each
// such read without one, the region widened (both ways: which end is the right one is not known
// here) is read again by our line reader, and an add-on it finds beside the same code is attached.
void find_addons(const cv::Mat& gray, const CodeRegion& r, std::vector<Detection>& found) {
  for (auto& d : found) {
    if (!d.addon.empty() || (d.symbology != Symbology::kEan13 && d.symbology != Symbology::kUpcA)) continue;
    // Along the bars only the middle part: add-ons are shorter than their code, and the band keeps
    // this to about a millisecond per frame with a code.
    CodeRegion wide = r;
    wide.length *= 1.8f;
    wide.height *= 0.4f;
    const cv::Mat crop = extract_region(gray, wide, crop_scale(r.length, kLinearTargetPx));
    // A few lines suffice: the add-on needs two that agree, and this runs on every frame with a code.
    for (const auto& w : read_ean_lines(crop, true, std::max(1, crop.rows / kAddonLines))) {
      if (w.gtin14 == d.gtin14 && !w.addon.empty()) d.addon = w.addon;
    }
  }
}

// Our DataBar Expanded reader on a linear crop. The rows of a stacked symbol are separate bar
// patches, and the region found may hold only some of them: when DataBar pairs show on several
// lines but no whole symbol, the region is read again kStackedHeight times as tall.
std::vector<Detection> read_databar_expanded(const cv::Mat& gray, const CodeRegion& r, const cv::Mat& crop) {
  int lines_with_pairs = 0;
  auto found = read_databar_expanded_lines(crop, true, std::max(1, crop.rows / kLinearRows), &lines_with_pairs);
  if (!found.empty() || lines_with_pairs < kMinPairLines) return found;
  CodeRegion tall = r;
  tall.height = std::min(r.height * kStackedHeight, r.length);
  if (tall.height <= r.height) return found;
  const cv::Mat taller = extract_region(gray, tall, crop_scale(r.length, kLinearTargetPx));
  return read_databar_expanded_lines(taller, true, std::max(1, taller.rows / kLinearRows));
}

// Our whole-symbol fit of EAN-13 bars (ean_fit.h) on the linear regions, best first, until one reads
// or the deadline: bars of about a pixel per module, or blurred, melt into grey runs no edge reader
// splits.
std::vector<Detection> fit_bars(const cv::Mat& gray, const std::vector<CodeRegion>& regions,
                                std::chrono::nanoseconds deadline) {
  for (const CodeRegion& r : regions) {
    if (r.shape != RegionShape::kLinear) continue;
    if (thread_cpu_now() >= deadline) break;
    CodeRegion wide = r;
    wide.length *= kFitWiden;
    const double scale = std::min(crop_scale(r.length, kFitTargetPx), kFitMaxPx / std::max(1.0f, wide.length));
    auto found = read_ean_fit_lines(extract_region(gray, wide, scale), true, kFitLines, kFitMinLines, deadline);
    if (!found.empty()) return found;
  }
  return {};
}

class LocatedDecoder final : public Decoder {
 public:
  explicit LocatedDecoder(LocatedOptions options)
      : options_(options),
        linear_({Symbology::kEan13, Symbology::kEan8, Symbology::kUpcA, Symbology::kUpcE, Symbology::kCode128,
                 Symbology::kDataBar, Symbology::kDataBarExpanded, Symbology::kItf}),
        matrix_({Symbology::kQrCode}),
        dmtx_cap_(
            std::max(kMaxDataMatrixTime, std::chrono::duration_cast<std::chrono::milliseconds>(options.budget / 4))) {}

  std::vector<Detection> decode(const cv::Mat& image) override {
    std::vector<Detection> out;
    if (image.empty() || image.depth() != CV_8U || image.cols < 16 || image.rows < 16) return out;
    const auto deadline = thread_cpu_now() + options_.budget;
    const cv::Mat gray = gray_of(image);
    if (gray.empty()) return out;
    bool first = true;
    auto regions = locate_codes(gray, options_.localizer);
    // Bars first: retail codes are mostly linear, and a linear crop reads in well under a millisecond,
    // while a 2D region may take its retries; a frame's 1D code is never starved by 2D work.
    std::stable_partition(regions.begin(), regions.end(),
                          [](const CodeRegion& r) { return r.shape == RegionShape::kLinear; });
    std::vector<CodeRegion> read_linear;
    if (options_.bar_fit == BarFit::kOnly) return fit_bars(gray, regions, deadline);
    for (const CodeRegion& r : regions) {
      // The best region is always read, however long localisation took.
      if (!first && thread_cpu_now() >= deadline) break;
      first = false;
      if (r.shape == RegionShape::kLinear) {
        const cv::Mat crop = extract_region(gray, r, crop_scale(r.length, kLinearTargetPx));
        auto found = linear_.scan(crop, std::max(1, crop.rows / kLinearRows), 0, kMinWeakLines);
        // ZBar misreads fat or thin EAN/UPC bars, and then drops them (ean_check.h); our own reader
        // takes the spread out and often reads them.
        if (found.empty()) found = read_ean_lines(crop, true, std::max(1, crop.rows / kLinearRows));
        // ZBar reads no DataBar Expanded of 11 pairs, and joins stacked rows poorly (databar_expanded.h).
        if (found.empty()) found = read_databar_expanded(gray, r, crop);
        // ZBar reads no DataBar Limited at all (databar_limited.h).
        if (found.empty()) found = read_databar_limited_lines(crop, true, std::max(1, crop.rows / kLinearRows));
        find_addons(gray, r, found);
        if (!found.empty()) read_linear.push_back(r);
        add_unique(out, std::move(found));
      } else if (inside_any(r, read_linear)) {
        // The printed digits of a label whose bars were just read look like a small 2D code (dense,
        // strokes both ways); reading them as one cost 10 ms per frame and can find nothing.
        continue;
      } else {
        const cv::Mat crop = extract_region(gray, r, crop_scale(std::max(r.length, r.height), kMatrixTargetPx));
        auto found = matrix_.scan(crop, 1, 1);
        // The retries below are for regions shaped like a 2D code; a line of printed digits is not.
        const bool square = std::max(r.length, r.height) <= 2.0f * std::min(r.length, r.height);
        // Blurred or unevenly lit 2D codes: ZBar's own threshold loses modules that a local one keeps;
        // light-on-dark codes (ZBar reads dark on light only) read inverted.
        if (square && found.empty() && thread_cpu_now() < deadline) found = matrix_.scan(binarized(crop), 1, 1);
        if (square && found.empty() && thread_cpu_now() < deadline) found = matrix_.scan(inverted(crop), 1, 1);
        if (square && found.empty() && thread_cpu_now() < deadline) {
          const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - thread_cpu_now());
          found = read_datamatrix(upright_box(gray, r), std::clamp(left, std::chrono::milliseconds(1), dmtx_cap_));
        }
        add_unique(out, std::move(found));
      }
    }
    // Last, and only on an image nothing else read in: the fit is the costliest reading and the
    // weakest evidence. On a frame it gets a third of the budget at most, so that a stripy scene
    // without a code (clothing, shelf edges) costs the camera loop little.
    if (out.empty() && options_.bar_fit == BarFit::kLast) {
      return fit_bars(gray, regions,
                      std::min<std::chrono::nanoseconds>(deadline, thread_cpu_now() + options_.budget / kFitShare));
    }
    return out;
  }

 private:
  LocatedOptions options_;
  ZbarScanner linear_;
  ZbarScanner matrix_;
  std::chrono::milliseconds dmtx_cap_;
};

// libdmtx on a whole still (scaled to at most 640 px), for a Data Matrix the localiser missed.
class WholeImageDataMatrix final : public Decoder {
 public:
  std::vector<Detection> decode(const cv::Mat& image) override {
    if (image.empty() || image.depth() != CV_8U) return {};
    const cv::Mat gray = gray_of(image);
    if (gray.empty()) return {};
    return read_datamatrix(gray, std::chrono::milliseconds(100));
  }
};

// Our EAN/UPC, DataBar Expanded and Limited line readers (ean_check.h, databar_expanded.h,
// databar_limited.h) over rows and columns of a whole still.
class WholeImageEanLines final : public Decoder {
 public:
  std::vector<Detection> decode(const cv::Mat& image) override {
    if (image.empty() || image.depth() != CV_8U) return {};
    const cv::Mat gray = gray_of(image);
    if (gray.empty()) return {};
    using LineReader = std::vector<Detection> (*)(const cv::Mat&, bool, int);
    const LineReader readers[] = {
        [](const cv::Mat& g, bool rows, int step) { return read_ean_lines(g, rows, step); },
        [](const cv::Mat& g, bool rows, int step) { return read_databar_expanded_lines(g, rows, step); },
        read_databar_limited_lines};
    // Each reader along rows, then along columns; the first that reads anything answers.
    for (const LineReader read : readers) {
      for (const bool rows : {true, false}) {
        auto found = read(gray, rows, std::max(1, (rows ? gray.rows : gray.cols) / kWholeImageLines));
        if (!found.empty()) return found;
      }
    }
    return {};
  }
};

class FallbackDecoder final : public Decoder {
 public:
  FallbackDecoder(std::unique_ptr<Decoder> first, std::unique_ptr<Decoder> second)
      : first_(std::move(first)), second_(std::move(second)) {}
  std::vector<Detection> decode(const cv::Mat& image) override {
    auto found = first_->decode(image);
    if (!found.empty()) return found;
    return second_->decode(image);
  }

 private:
  std::unique_ptr<Decoder> first_;
  std::unique_ptr<Decoder> second_;
};

}  // namespace

std::unique_ptr<Decoder> make_located_decoder(LocatedOptions options) {
  return std::make_unique<LocatedDecoder>(options);
}

std::unique_ptr<Decoder> make_fallback_decoder(std::unique_ptr<Decoder> first, std::unique_ptr<Decoder> second) {
  return std::make_unique<FallbackDecoder>(std::move(first), std::move(second));
}

std::unique_ptr<Decoder> make_default_decoder(StillOptions options) {
  return make_fallback_decoder(
      make_located_decoder({.budget = options.located_budget, .localizer = {}, .bar_fit = BarFit::kOff}),
      make_fallback_decoder(
          make_retry_decoder(make_fallback_decoder(make_zbar_decoder(), std::make_unique<WholeImageEanLines>()),
                             {options.retry_budget}),
          make_fallback_decoder(
              std::make_unique<WholeImageDataMatrix>(),
              make_located_decoder({.budget = options.located_budget, .localizer = {}, .bar_fit = BarFit::kOnly}))));
}

}  // namespace kiosk::vision
