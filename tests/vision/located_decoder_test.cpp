// The region decoder (OpenCV localisation in front of ZBar) on rendered codes placed in camera-like
// frames: where the localiser puts a code and its bar direction, rotation 0–360°, scale and blur
// sweeps, several codes in one frame, frames without a code, and odd images.
#include <catch2/catch.hpp>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "vision/barcode_render.h"
#include "vision/decoder.h"
#include "vision/localizer.h"

using kiosk::vision::Symbology;

namespace {

// A budget no frame reaches, so that results do not depend on the machine.
kiosk::vision::LocatedOptions unbounded() {
  return {.budget = std::chrono::seconds(10), .localizer = {}};
}

// A mottled grey counter with sensor noise, as bench_vision's frames.
cv::Mat counter(int width, int height, unsigned seed) {
  cv::RNG rng(seed);
  cv::Mat small(height / 40 + 1, width / 40 + 1, CV_8U);
  rng.fill(small, cv::RNG::UNIFORM, 90, 170);
  cv::Mat frame;
  cv::resize(small, frame, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  cv::Mat noise(frame.size(), CV_8S);
  rng.fill(noise, cv::RNG::NORMAL, 0, 6);
  cv::add(frame, noise, frame, cv::noArray(), CV_8U);
  return frame;
}

cv::Mat label(Symbology s, const std::string& data, int module_px) {
  auto code = kiosk::vision::render_barcode(s, data, module_px);
  INFO(data << ": " << (code ? "" : code.message()));
  REQUIRE(code);
  cv::Mat out;
  cv::copyMakeBorder(*code, out, 12, 12, 12, 12, cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

// Pastes `img` rotated by `degrees` (counter-clockwise as shown) with its centre at `at`; only the
// label's own pixels are copied, so the counter shows around it.
void paste_rotated(cv::Mat& frame, const cv::Mat& img, double degrees, cv::Point2f at) {
  const cv::Point2f c(static_cast<float>(img.cols) / 2.0f, static_cast<float>(img.rows) / 2.0f);
  cv::Mat m = cv::getRotationMatrix2D(c, degrees, 1.0);
  m.at<double>(0, 2) += at.x - c.x;
  m.at<double>(1, 2) += at.y - c.y;
  cv::Mat warped, mask;
  cv::warpAffine(img, warped, m, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::warpAffine(cv::Mat(img.size(), CV_8U, cv::Scalar(255)), mask, m, frame.size(), cv::INTER_NEAREST,
                 cv::BORDER_CONSTANT, cv::Scalar(0));
  warped.copyTo(frame, mask);
}

std::vector<std::string> texts(const std::vector<kiosk::vision::Detection>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(d.text);
  std::sort(out.begin(), out.end());
  return out;
}

// Difference of two undirected angles in degrees, in [0, 90].
double angle_gap(double a, double b) {
  double d = std::fmod(std::abs(a - b), 180.0);
  return std::min(d, 180.0 - d);
}

}  // namespace

TEST_CASE("the localiser finds a code in a frame with the direction across its bars", "[vision][located]") {
  const cv::Mat code = label(Symbology::kEan13, "7310865004703", 3);
  for (int degrees = 0; degrees < 180; degrees += 20) {
    INFO("rotated " << degrees << "°");
    cv::Mat frame = counter(1280, 720, 3);
    const cv::Point2f at(600, 380);
    paste_rotated(frame, code, degrees, at);
    const auto regions = kiosk::vision::locate_codes(frame);
    REQUIRE_FALSE(regions.empty());
    const auto& best = regions.front();
    CHECK(best.shape == kiosk::vision::RegionShape::kLinear);
    CHECK(cv::norm(best.center - at) < 40);
    // Bars drawn vertical have a horizontal gradient; rotating by +a (counter-clockwise as shown,
    // y down) turns it to -a.
    CHECK(angle_gap(best.angle * 180.0 / CV_PI, -degrees) < 5);
    // The crop puts the bars upright: plain ZBar reads it.
    auto zbar = kiosk::vision::make_zbar_decoder();
    CHECK(texts(zbar->decode(kiosk::vision::extract_region(frame, best, 1.5))) ==
          std::vector<std::string>{"7310865004703"});
  }
}

TEST_CASE("rotation sweep 0–360°: every retail symbology and QR read at every angle", "[vision][located]") {
  auto decoder = kiosk::vision::make_located_decoder(unbounded());
  struct Case {
    Symbology symbology;
    std::string data;
    std::string text;  // as decoded
  };
  const std::vector<Case> cases = {
      {Symbology::kEan13, "7310865004703", "7310865004703"},
      {Symbology::kEan8, "96385074", "96385074"},
      {Symbology::kUpcA, "036000291452", "036000291452"},
      {Symbology::kCode128, "KIOSK-4711", "KIOSK-4711"},
      {Symbology::kItf, "17310865004700", "17310865004700"},
      {Symbology::kDataBar, "07310865004703", "0107310865004703"},
      {Symbology::kQrCode, "https://id.gs1.org/01/07310865004703", "https://id.gs1.org/01/07310865004703"},
  };
  for (const auto& c : cases) {
    const cv::Mat code = label(c.symbology, c.data, c.symbology == Symbology::kQrCode ? 4 : 3);
    for (int degrees = 0; degrees < 360; degrees += 15) {
      INFO(kiosk::vision::symbology_name(c.symbology) << " rotated " << degrees << "°");
      cv::Mat frame = counter(1280, 720, static_cast<unsigned>(degrees));
      paste_rotated(frame, code, degrees, {640, 360});
      CHECK(texts(decoder->decode(frame)) == std::vector<std::string>{c.text});
    }
  }
}

TEST_CASE("scale and blur sweeps: small and soft codes still read", "[vision][located]") {
  auto decoder = kiosk::vision::make_located_decoder(unbounded());
  for (int module = 2; module <= 7; ++module) {
    INFO("EAN-13 at " << module << " px per module");
    cv::Mat frame = counter(1280, 720, 11);
    paste_rotated(frame, label(Symbology::kEan13, "7318690499534", module), 7, {500, 300});
    CHECK(texts(decoder->decode(frame)) == std::vector<std::string>{"7318690499534"});
  }
  for (const double sigma : {0.0, 0.6, 1.0, 1.4}) {
    INFO("EAN-13 at 3 px per module, Gaussian blur sigma " << sigma);
    cv::Mat frame = counter(1280, 720, 12);
    paste_rotated(frame, label(Symbology::kEan13, "7318690499534", 3), -12, {700, 400});
    if (sigma > 0) cv::GaussianBlur(frame, frame, cv::Size(0, 0), sigma);
    CHECK(texts(decoder->decode(frame)) == std::vector<std::string>{"7318690499534"});
  }
}

TEST_CASE("several codes in one frame, each its own way up, are all read", "[vision][located]") {
  auto decoder = kiosk::vision::make_located_decoder(unbounded());
  cv::Mat frame = counter(1280, 720, 5);
  paste_rotated(frame, label(Symbology::kEan13, "7310865004703", 3), 10, {320, 200});
  paste_rotated(frame, label(Symbology::kEan8, "96385074", 3), 100, {950, 220});
  paste_rotated(frame, label(Symbology::kQrCode, "kiosk", 5), 30, {640, 520});
  CHECK(texts(decoder->decode(frame)) == std::vector<std::string>{"7310865004703", "96385074", "kiosk"});
}

TEST_CASE("frames without a code read nothing", "[vision][located]") {
  auto decoder = kiosk::vision::make_located_decoder(unbounded());
  for (unsigned seed = 0; seed < 20; ++seed) {
    INFO("seed " << seed);
    CHECK(decoder->decode(counter(1280, 720, seed)).empty());
    CHECK(decoder->decode(counter(1920, 1080, seed + 100)).empty());
  }
  cv::Mat noise(720, 1280, CV_8U);
  cv::randu(noise, 0, 256);
  CHECK(decoder->decode(noise).empty());
  CHECK(decoder->decode(cv::Mat(720, 1280, CV_8U, cv::Scalar(255))).empty());
}

TEST_CASE("the region decoder survives empty, tiny, huge and odd images", "[vision][located]") {
  auto decoder = kiosk::vision::make_located_decoder(unbounded());
  CHECK(decoder->decode(cv::Mat()).empty());
  CHECK(decoder->decode(cv::Mat(1, 1, CV_8U, cv::Scalar(0))).empty());
  CHECK(decoder->decode(cv::Mat(1, 1, CV_8UC3, cv::Scalar(0, 0, 0))).empty());
  CHECK(decoder->decode(cv::Mat(3, 2000, CV_8U, cv::Scalar(255))).empty());
  CHECK(decoder->decode(cv::Mat(2000, 3, CV_8U, cv::Scalar(0))).empty());
  CHECK(decoder->decode(cv::Mat(40, 40, CV_8U, cv::Scalar(255))).empty());
  CHECK(decoder->decode(cv::Mat(100, 100, CV_32F, cv::Scalar(0.5))).empty());
  CHECK(decoder->decode(cv::Mat(100, 100, CV_8UC2, cv::Scalar(0, 0))).empty());
  CHECK(kiosk::vision::locate_codes(cv::Mat(1, 1, CV_8U, cv::Scalar(0))).empty());
  // 8000 × 6000 with a large code: found on the downscaled copy, read from the full-resolution crop.
  cv::Mat huge(6000, 8000, CV_8U, cv::Scalar(200));
  paste_rotated(huge, label(Symbology::kEan13, "7310865004703", 8), 20, {3000, 2500});
  CHECK(texts(decoder->decode(huge)) == std::vector<std::string>{"7310865004703"});
}

TEST_CASE("GS1 DataMatrix rendered with libzint reads as its element string, at any angle", "[vision][located]") {
  auto decoder = kiosk::vision::make_located_decoder(unbounded());
  const cv::Mat code = label(Symbology::kDataMatrix, "[01]07310865004703[17]261231[10]ABC123", 5);
  for (int degrees = 0; degrees < 360; degrees += 30) {
    INFO("rotated " << degrees << "°");
    cv::Mat frame = counter(1280, 720, static_cast<unsigned>(degrees) + 50);
    paste_rotated(frame, code, degrees, {600, 360});
    const auto found = decoder->decode(frame);
    REQUIRE(found.size() == 1);
    CHECK(found[0].symbology == Symbology::kDataMatrix);
    CHECK(found[0].gtin14 == "07310865004703");
    CHECK(found[0].element_string ==
          "0107310865004703"
          "17261231"
          "10ABC123");
  }
  // A plain (non-GS1) Data Matrix is any text.
  cv::Mat frame = counter(1280, 720, 9);
  paste_rotated(frame, label(Symbology::kDataMatrix, "kiosk lane 4", 5), 10, {400, 300});
  CHECK(texts(decoder->decode(frame)) == std::vector<std::string>{"kiosk lane 4"});
}

TEST_CASE("libdmtx is guarded against tiny and odd images", "[vision][located]") {
  auto decoder = kiosk::vision::make_default_decoder();
  for (const auto& img : {cv::Mat(1, 1, CV_8U, cv::Scalar(0)), cv::Mat(23, 23, CV_8U, cv::Scalar(0)),
                          cv::Mat(2, 500, CV_8U, cv::Scalar(0)), cv::Mat(24, 24, CV_8U, cv::Scalar(255))}) {
    CHECK(decoder->decode(img).empty());
  }
  // A Data Matrix drawn at 1 px per module in a 40 px image: read or not, never a crash.
  auto small = kiosk::vision::render_barcode(Symbology::kDataMatrix, "1", 1);
  REQUIRE(small);
  CHECK(decoder->decode(*small).size() <= 1);
}

TEST_CASE("a code too small and blurred for ZBar is read by the bar fit last, as doubtful, and not without it",
          "[vision][located]") {
  // Rendered at 5 px a module, shrunk to 1.25 and blurred: no edge reader splits its bars.
  cv::Mat small;
  cv::resize(label(Symbology::kEan13, "7310865004703", 5), small, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  cv::GaussianBlur(small, small, cv::Size(0, 0), 0.8);
  cv::Mat frame = counter(640, 480, 21);
  small.copyTo(frame(cv::Rect(250, 200, small.cols, small.rows)));
  auto fitted = kiosk::vision::make_located_decoder(unbounded())->decode(frame);
  REQUIRE(texts(fitted) == std::vector<std::string>{"7310865004703"});
  CHECK(fitted[0].doubtful);  // a camera's fit read waits for a second frame
  auto options = unbounded();
  options.bar_fit = kiosk::vision::BarFit::kOff;
  CHECK(kiosk::vision::make_located_decoder(options)->decode(frame).empty());
}
