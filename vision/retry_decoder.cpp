// A decoder in front of another: when the image as given yields nothing, it retries on transformed
// copies (scaled, contrast-stretched, rotated) until one reads or the time budget is spent.
#include <algorithm>
#include <chrono>
#include <opencv2/imgproc.hpp>

#include "cpu_time.h"
#include "decoder.h"
#include "ean_check.h"

namespace kiosk::vision {
namespace {

// The budget counts this thread's CPU time (cpu_time.h).
struct Clock {
  using duration = std::chrono::nanoseconds;
  static duration now() { return thread_cpu_now(); }
};

cv::Mat to_gray(const cv::Mat& image) {
  if (image.channels() == 1) return image;
  cv::Mat gray;
  cv::cvtColor(image, gray, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return gray;
}

cv::Mat scaled(const cv::Mat& g, double f) {
  cv::Mat out;
  cv::resize(g, out, cv::Size(), f, f, f < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
  return out;
}

// Rotates about the centre onto a canvas large enough to hold the whole image, white outside.
cv::Mat rotated(const cv::Mat& g, double degrees) {
  const cv::Point2f c(static_cast<float>(g.cols) / 2.0f, static_cast<float>(g.rows) / 2.0f);
  cv::Mat m = cv::getRotationMatrix2D(c, degrees, 1.0);
  const cv::Rect2f box = cv::RotatedRect(c, cv::Size2f(static_cast<float>(g.cols), static_cast<float>(g.rows)),
                                         static_cast<float>(degrees))
                             .boundingRect2f();
  m.at<double>(0, 2) += box.width / 2.0 - c.x;
  m.at<double>(1, 2) += box.height / 2.0 - c.y;
  cv::Mat out;
  cv::warpAffine(g, out, m, box.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

cv::Mat equalized(const cv::Mat& g) {
  cv::Mat out;
  auto clahe = cv::createCLAHE(2.0, cv::Size(8, 8));
  clahe->apply(g, out);
  return out;
}

cv::Mat sharpened(const cv::Mat& g) {
  cv::Mat blur;
  cv::Mat out;
  cv::GaussianBlur(g, blur, cv::Size(0, 0), 2.0);
  cv::addWeighted(g, 1.8, blur, -0.8, 0, out);
  return out;
}

bool weak_check(Symbology s) {
  return s == Symbology::kEan13 || s == Symbology::kEan8 || s == Symbology::kUpcA || s == Symbology::kUpcE ||
         s == Symbology::kItf;
}

// Whether our own bar reader (ean_check.h), on the untransformed image, reads an EAN/UPC other than
// `d` on some line: then `d`, which it could not confirm, is taken for ZBar's misread of that code.
// The transforms are what turn ZBar's misreads into agreeing ones (upca-4_1 in the photos).
bool contradicted(const cv::Mat& g, const Detection& d) {
  const int step_rows = std::max(1, g.rows / 128), step_cols = std::max(1, g.cols / 128);
  for (const bool rows : {true, false}) {
    for (const auto& o : read_ean_lines(g, rows, rows ? step_rows : step_cols, 1)) {
      if (o.gtin14 != d.gtin14) return true;
    }
  }
  return false;
}

class RetryDecoder final : public Decoder {
 public:
  RetryDecoder(std::unique_ptr<Decoder> inner, RetryOptions options) : inner_(std::move(inner)), options_(options) {}

  std::vector<Detection> decode(const cv::Mat& image) override {
    const auto start = Clock::now();
    auto found = inner_->decode(image);
    if (!found.empty() || image.empty() || image.depth() != CV_8U || image.cols < 16 || image.rows < 16) return found;
    const auto deadline = Clock::now() + options_.budget;
    // A step is only started when the last decode's duration still fits: the budget is kept to about one
    // step's jitter instead of overrun by a whole step.
    Clock::duration last = Clock::now() - start;
    const cv::Mat g = to_gray(image);
    // Cheapest and most often useful first. Each step is only tried while time is left.
    using Step = cv::Mat (*)(const cv::Mat&);
    const Step steps[] = {
        [](const cv::Mat& m) { return std::max(m.cols, m.rows) <= 1000 ? scaled(m, 2.0) : scaled(m, 0.5); },
        [](const cv::Mat& m) { return equalized(m); },
        [](const cv::Mat& m) { return sharpened(m); },
        [](const cv::Mat& m) { return rotated(m, 45); },
        [](const cv::Mat& m) { return rotated(m, -45); },
        [](const cv::Mat& m) { return std::max(m.cols, m.rows) <= 1000 ? scaled(m, 0.5) : scaled(m, 2.0); },
    };
    // EAN/UPC carry one check digit, and transformed photos of them misread now and then; a read from a
    // retry is only trusted when a second transform reads the same. QR, DataBar and Code 128 carry
    // stronger checks and are taken at once.
    std::vector<Detection> pending;
    for (const Step step : steps) {
      const auto t0 = Clock::now();
      if (t0 + last > deadline) break;
      std::vector<Detection> confirmed;
      const auto step_found = inner_->decode(step(g));
      last = Clock::now() - t0;
      for (auto d : step_found) {
        // An EAN/UPC read off a transformed copy whose bars our own reading could not confirm stays
        // doubtful, and is dropped when our reading of the original finds another code.
        if (weak_check(d.symbology) && d.doubtful && contradicted(g, d)) continue;
        if (!weak_check(d.symbology)) {
          confirmed.push_back(std::move(d));
          continue;
        }
        const bool again = std::any_of(pending.begin(), pending.end(), [&](const Detection& p) {
          return p.symbology == d.symbology && p.text == d.text && p.addon == d.addon;
        });
        if (again) {
          confirmed.push_back(std::move(d));
        } else {
          pending.push_back(std::move(d));
        }
      }
      if (!confirmed.empty()) return confirmed;
    }
    return {};
  }

 private:
  std::unique_ptr<Decoder> inner_;
  RetryOptions options_;
};

}  // namespace

std::unique_ptr<Decoder> make_retry_decoder(std::unique_ptr<Decoder> inner, RetryOptions options) {
  return std::make_unique<RetryDecoder>(std::move(inner), options);
}

}  // namespace kiosk::vision
