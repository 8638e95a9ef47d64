#include "dmtx_reader.h"

#include <dmtx.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "gs1.h"

namespace kiosk::vision {
namespace {

constexpr int kMinSide = 24;
constexpr int kMaxSide = 640;
// FNC1 is given back as this byte: first in the message it marks GS1 data, later a field end.
constexpr int kFnc1 = kGroupSeparator;

}  // namespace

std::vector<Detection> read_datamatrix(const cv::Mat& image, std::chrono::milliseconds timeout, int max_codes) {
  std::vector<Detection> out;
  if (image.empty() || image.type() != CV_8UC1 || image.cols < kMinSide || image.rows < kMinSide) return out;
  cv::Mat gray = image;
  if (std::max(gray.cols, gray.rows) > kMaxSide) {
    const double f = static_cast<double>(kMaxSide) / std::max(gray.cols, gray.rows);
    cv::resize(gray, gray, cv::Size(), f, f, cv::INTER_AREA);
  }
  if (!gray.isContinuous()) gray = gray.clone();
  DmtxImage* img = dmtxImageCreate(gray.data, gray.cols, gray.rows, DmtxPack8bppK);
  if (!img) return out;
  DmtxDecode* dec = dmtxDecodeCreate(img, 1);
  if (!dec) {
    dmtxImageDestroy(&img);
    return out;
  }
  dmtxDecodeSetProp(dec, DmtxPropFnc1, kFnc1);
  // A symbol spans at least a tenth of the crop it was localised in.
  dmtxDecodeSetProp(dec, DmtxPropEdgeMin, std::max(10, std::min(gray.cols, gray.rows) / 10));
  DmtxTime deadline = dmtxTimeAdd(dmtxTimeNow(), static_cast<long>(std::max<long long>(1, timeout.count())));
  for (int i = 0; i < max_codes; ++i) {
    DmtxRegion* reg = dmtxRegionFindNext(dec, &deadline);
    if (!reg) break;
    if (DmtxMessage* msg = dmtxDecodeMatrixRegion(dec, reg, DmtxUndefined)) {
      std::string text(reinterpret_cast<const char*>(msg->output), msg->outputIdx);
      const bool gs1 = !text.empty() && text.front() == static_cast<char>(kFnc1);
      if (gs1) text.erase(0, 1);
      if (auto d = validate_detection(Symbology::kDataMatrix, std::move(text), gs1)) {
        const bool dup = std::any_of(out.begin(), out.end(), [&](const Detection& o) { return o.text == d->text; });
        if (!dup) out.push_back(std::move(*d));
      }
      dmtxMessageDestroy(&msg);
    }
    dmtxRegionDestroy(&reg);
  }
  dmtxDecodeDestroy(&dec);
  dmtxImageDestroy(&img);
  return out;
}

}  // namespace kiosk::vision
