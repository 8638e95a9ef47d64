// Our whole-symbol fit of EAN-13 bars (vision/ean_fit.h) on libzint-rendered codes shrunk to about a
// pixel per module and blurred, as small codes in the test photos are (ean13-4_08, ean13-1_36).
#include <catch2/catch.hpp>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <random>

#include "common/gtin.h"
#include "vision/barcode_render.h"
#include "vision/ean_check.h"
#include "vision/ean_fit.h"

using kiosk::vision::Symbology;

namespace {

constexpr int kRenderModule = 8;  // px, before shrinking

// `digits` (12, check digit added) rendered, a quiet margin added, shrunk to `module_px` a module,
// blurred by a Gaussian of `blur_modules` modules and given sensor noise.
cv::Mat small_code(const std::string& digits, double module_px, double blur_modules, std::mt19937& rng) {
  auto code = kiosk::vision::render_barcode(Symbology::kEan13, digits, kRenderModule);
  INFO(digits << ": " << (code ? "" : code.message()));
  REQUIRE(code);
  cv::Mat big;
  cv::copyMakeBorder(*code, big, 4 * kRenderModule, 4 * kRenderModule, 12 * kRenderModule, 12 * kRenderModule,
                     cv::BORDER_CONSTANT, cv::Scalar(255));
  cv::Mat out;
  const double f = module_px / kRenderModule;
  cv::resize(big, out, cv::Size(), f, f, cv::INTER_AREA);
  if (blur_modules > 0) cv::GaussianBlur(out, out, cv::Size(0, 0), blur_modules * module_px);
  // Print contrast of a photo: bars 60, paper 200, noise of 4 grey levels.
  out.convertTo(out, CV_32F, 140.0 / 255.0, 60.0);
  cv::Mat noise(out.size(), CV_32F);
  cv::randn(noise, 0.0, 4.0);
  cv::theRNG().state = rng();
  out += noise;
  out.convertTo(out, CV_8U);
  return out;
}

std::string random_digits(std::mt19937& rng, char first) {
  std::uniform_int_distribution<int> digit(0, 9);
  std::string s(1, first);
  while (s.size() < 12) s += static_cast<char>('0' + digit(rng));
  return s;
}

std::string with_check(const std::string& twelve) {
  int sum = 0;
  for (std::size_t i = 0; i < 12; ++i) sum += (twelve[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return twelve + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// `img` seen at an angle: x' = x + a·x·(w - x)/w stretches the modules on the left and squeezes those
// on the right, the ends staying put.
cv::Mat bent(const cv::Mat& img, double a) {
  cv::Mat map_x(img.size(), CV_32F), map_y(img.size(), CV_32F);
  const double w = img.cols;
  for (int y = 0; y < img.rows; ++y) {
    for (int x = 0; x < img.cols; ++x) {
      // The inverse of the mapping, by a few fixed-point steps: where each output pixel comes from.
      double src = x;
      for (int k = 0; k < 8; ++k) src = x - a * src * (w - src) / w;
      map_x.at<float>(y, x) = static_cast<float>(src);
      map_y.at<float>(y, x) = static_cast<float>(y);
    }
  }
  cv::Mat out;
  cv::remap(img, out, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

}  // namespace

TEST_CASE("EAN-13 at 1.1-1.4 px a module, blurred: the fit reads what the edge reader cannot", "[vision][ean_fit]") {
  std::mt19937 rng(7);
  int read = 0, edge_read = 0;
  constexpr int kCodes = 24;
  for (int i = 0; i < kCodes; ++i) {
    const std::string code = with_check(random_digits(rng, static_cast<char>('1' + i % 9)));
    const double module = 1.1 + 0.3 * (i % 4) / 3.0;
    const cv::Mat img = small_code(code, module, 0.6, rng);
    const auto found = kiosk::vision::read_ean_fit_lines(img, true, 12);
    INFO(code << " at " << module << " px a module");
    REQUIRE(found.size() <= 1);
    if (!found.empty()) {
      CHECK(found[0].text == code);  // never another code
      CHECK(found[0].symbology == Symbology::kEan13);
      CHECK(found[0].doubtful);
      read += found[0].text == code ? 1 : 0;
    }
    edge_read += kiosk::vision::read_ean_lines(img, true, 2).empty() ? 0 : 1;
  }
  INFO("fit read " << read << ", edge reader " << edge_read << " of " << kCodes);
  CHECK(read >= kCodes * 9 / 10);
  CHECK(edge_read <= kCodes / 2);
}

TEST_CASE("the fit reads a code upside down, and a UPC-A as 12 digits", "[vision][ean_fit]") {
  std::mt19937 rng(11);
  const std::string upca = with_check(random_digits(rng, '0'));
  cv::Mat img = small_code(upca, 1.3, 0.4, rng);
  cv::rotate(img, img, cv::ROTATE_180);
  const auto found = kiosk::vision::read_ean_fit_lines(img, true, 12);
  REQUIRE(found.size() == 1);
  CHECK(found[0].symbology == Symbology::kUpcA);
  CHECK(found[0].text == upca.substr(1));
}

TEST_CASE("blurred past reading, the fit reads nothing rather than another code", "[vision][ean_fit]") {
  std::mt19937 rng(3);
  int wrong = 0, read = 0;
  for (int i = 0; i < 30; ++i) {
    const std::string code = with_check(random_digits(rng, static_cast<char>('1' + i % 9)));
    const double blur = 0.5 + 0.05 * i;  // up to two modules
    for (const auto& d : kiosk::vision::read_ean_fit_lines(small_code(code, 1.2, blur, rng), true, 12)) {
      INFO(code << " blurred by " << blur << " modules read as " << d.text);
      CHECK(d.text == code);
      wrong += d.text == code ? 0 : 1;
      ++read;
    }
  }
  CHECK(wrong == 0);
  CHECK(read < 30);  // the sweep does go past what can be read
}

TEST_CASE("halves of two codes read only when they make a valid code, noise and stripes read nothing",
          "[vision][ean_fit]") {
  std::mt19937 rng(5);
  for (int i = 0; i < 10; ++i) {
    const std::string a = with_check(random_digits(rng, '4')), b = with_check(random_digits(rng, '7'));
    const cv::Mat left = small_code(a, 2.0, 0.3, rng), right = small_code(b, 2.0, 0.3, rng);
    cv::Mat spliced = left.clone();
    right.colRange(right.cols / 2, right.cols).copyTo(spliced.colRange(spliced.cols / 2, spliced.cols));
    const auto found = kiosk::vision::read_ean_fit_lines(spliced, true, 12);
    // The cut runs through the centre guard: the bars are a's first seven digits and b's last six.
    const std::string printed = a.substr(0, 7) + b.substr(7);
    INFO(a << " | " << b << " print " << printed);
    if (with_check(printed.substr(0, 12)) == printed) {
      REQUIRE(found.size() == 1);
      CHECK(found[0].text == printed);
    } else {
      CHECK(found.empty());
    }
  }
  cv::Mat noise(120, 300, CV_8U);
  cv::randu(noise, 0, 256);
  CHECK(kiosk::vision::read_ean_fit_lines(noise, true, 24).empty());
  cv::Mat stripes(120, 300, CV_8U, cv::Scalar(220));
  for (int x = 20; x < 280; x += 3) stripes.col(x).setTo(40);
  CHECK(kiosk::vision::read_ean_fit_lines(stripes, true, 24).empty());
  CHECK(kiosk::vision::read_ean_fit_lines(cv::Mat(), true, 12).empty());
  CHECK(kiosk::vision::fit_ean13_line(std::vector<float>(40, 128.0f)) == std::nullopt);
}

TEST_CASE("the fit reads a code whose modules narrow from one end to the other (perspective)", "[vision][ean_fit]") {
  std::mt19937 rng(13);
  int read = 0;
  constexpr int kCodes = 8;
  for (int i = 0; i < kCodes; ++i) {
    const std::string code = with_check(random_digits(rng, static_cast<char>('1' + i)));
    // Modules 1.2 to 0.85 of the mean at the symbol's ends; its middle 2 modules off a straight scale.
    cv::Mat img = bent(small_code(code, 3.0, 0.3, rng), 0.1);
    cv::resize(img, img, cv::Size(), 0.45, 0.45, cv::INTER_AREA);  // about 1.1-1.6 px a module
    for (const auto& d : kiosk::vision::read_ean_fit_lines(img, true, 12)) {
      INFO(code << " read as " << d.text);
      CHECK(d.text == code);
      read += d.text == code ? 1 : 0;
    }
  }
  CHECK(read >= kCodes - 1);
}

TEST_CASE("a sweep of small codes under blur, glare, perspective and noise: many read, never a wrong one",
          "[vision][ean_fit]") {
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> unit(0, 1);
  constexpr int kCodes = 80;
  int read = 0;
  for (int i = 0; i < kCodes; ++i) {
    const std::string code = with_check(random_digits(rng, static_cast<char>('1' + i % 9)));
    const double module = 1.0 + unit(rng), blur = 0.3 + 0.9 * unit(rng);
    const double a = 0.15 * unit(rng);
    cv::Mat img = bent(small_code(code, module, blur, rng), a);
    // Glare on half of them: a bright round patch somewhere on the label.
    if (unit(rng) < 0.5) {
      const double cx = unit(rng) * img.cols, cy = unit(rng) * img.rows, r = 10 + 30 * unit(rng);
      for (int y = 0; y < img.rows; ++y) {
        for (int x = 0; x < img.cols; ++x) {
          const double glare = 120 * std::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * r * r));
          img.at<std::uint8_t>(y, x) = cv::saturate_cast<std::uint8_t>(img.at<std::uint8_t>(y, x) + glare);
        }
      }
    }
    for (const auto& d : kiosk::vision::read_ean_fit_lines(img, true, 24)) {
      INFO(code << " at " << module << " px a module, blur " << blur << ", bend " << a << ": read " << d.text);
      CHECK(d.text == code);
      read += d.text == code ? 1 : 0;
    }
  }
  INFO(read << " of " << kCodes << " read");
  CHECK(read >= kCodes / 3);
}
