// Our GS1 DataBar Limited reader (vision/databar_limited.h) on symbols libzint renders: several GTINs,
// upside down, blurred, small; a damaged symbol or a wrong check character reads nothing.
#include <zint.h>

#include <catch2/catch.hpp>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>

#include "common/gtin.h"
#include "turned_image.h"
#include "vision/databar_limited.h"
#include "vision/decoder.h"

using kiosk::vision::Symbology;

using vision_test::turned;

namespace {

struct ZintDeleter {
  void operator()(zint_symbol* s) const { ZBarcode_Delete(s); }
};

// The GTIN-14 `gtin14` (indicator 0 or 1) as DataBar Limited, `module_px` px a module (a multiple of
// 0.5), dark on white with a wide margin.
cv::Mat render_limited(const std::string& gtin14, float module_px = 3.0f) {
  std::unique_ptr<zint_symbol, ZintDeleter> sym(ZBarcode_Create());
  REQUIRE(sym);
  sym->symbology = BARCODE_DBAR_LTD;
  sym->scale = module_px / 2.0f;
  REQUIRE(kiosk::is_valid_gtin14(gtin14));
  // libzint takes the GTIN without its check digit.
  const std::string input = gtin14.substr(0, 13);
  const int rc = ZBarcode_Encode_and_Buffer(sym.get(), reinterpret_cast<const unsigned char*>(input.data()),
                                            static_cast<int>(input.size()), 0);
  INFO(gtin14 << ": " << sym->errtxt);
  REQUIRE(rc < ZINT_ERROR);
  cv::Mat rgb(sym->bitmap_height, sym->bitmap_width, CV_8UC3, sym->bitmap);
  cv::Mat gray;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  const int margin = static_cast<int>(12 * module_px);
  cv::copyMakeBorder(gray, gray, margin / 2, margin / 2, margin, margin, cv::BORDER_CONSTANT, cv::Scalar(255));
  return gray;
}

std::vector<std::string> read(const cv::Mat& img) {
  std::vector<std::string> out;
  for (const auto& d : kiosk::vision::read_databar_limited_lines(img, true, std::max(1, img.rows / 32))) {
    CHECK(d.symbology == Symbology::kDataBar);
    CHECK(d.text == "01" + d.gtin14);
    out.push_back(d.gtin14);
  }
  return out;
}

std::vector<std::string> one(const std::string& gtin14) {
  return {gtin14};
}

std::vector<std::string> gtins(const std::vector<kiosk::vision::Detection>& found) {
  std::vector<std::string> out;
  for (const auto& d : found) {
    CHECK(d.symbology == Symbology::kDataBar);
    out.push_back(d.gtin14);
  }
  return out;
}

// A random GTIN-14 with indicator 0 or 1, its check digit right.
std::string random_gtin(std::mt19937& rng) {
  std::uniform_int_distribution<int> digit(0, 9);
  std::string s(1, static_cast<char>('0' + (rng() & 1)));
  for (int i = 0; i < 12; ++i) s += static_cast<char>('0' + digit(rng));
  return s + kiosk::gtin_check_digit(s);
}

}  // namespace

TEST_CASE("DataBar Limited reader: rendered GTINs read back", "[vision][databar]") {
  const std::vector<std::string> gtins{"00000000000000", "01234567890128", "10012345678902", "07310865004703",
                                       "19999999999991", "00000000000017", "15012345678907"};
  for (const auto& gtin : gtins) {
    INFO(gtin);
    CHECK(read(render_limited(gtin)) == one(gtin));
  }
}

TEST_CASE("DataBar Limited reader: random GTINs cover the check characters and character groups", "[vision][databar]") {
  std::mt19937 rng(4);
  for (int i = 0; i < 300; ++i) {
    const std::string gtin = random_gtin(rng);
    INFO(gtin);
    REQUIRE(read(render_limited(gtin, 2.0f)) == one(gtin));
  }
}

TEST_CASE("DataBar Limited reader: upside down, blurred, small", "[vision][databar]") {
  const std::string gtin = "01234567890128";
  const cv::Mat img = render_limited(gtin);
  cv::Mat flipped;
  cv::rotate(img, flipped, cv::ROTATE_180);
  CHECK(read(flipped) == one(gtin));
  cv::Mat blurred;
  cv::GaussianBlur(img, blurred, cv::Size(0, 0), 1.2);
  CHECK(read(blurred) == one(gtin));
  // Columns: the symbol turned a quarter.
  cv::Mat turned;
  cv::rotate(img, turned, cv::ROTATE_90_CLOCKWISE);
  std::vector<std::string> got;
  for (const auto& d : kiosk::vision::read_databar_limited_lines(turned, false, std::max(1, turned.cols / 32))) {
    got.push_back(d.gtin14);
  }
  CHECK(got == one(gtin));
  // 2 px a module, scaled to 1.5 px with area averaging (a small label far from the camera).
  cv::Mat small;
  cv::resize(render_limited(gtin, 2.0f), small, cv::Size(), 0.75, 0.75, cv::INTER_AREA);
  CHECK(read(small) == one(gtin));
}

TEST_CASE("DataBar Limited reader: damaged symbols and wrong check characters read nothing", "[vision][databar]") {
  const std::string gtin = "01234567890128";
  const cv::Mat img = render_limited(gtin);
  REQUIRE(read(img) == one(gtin));
  // Module columns where the symbol's 73 modules from the guard bar begin: find the first dark column.
  int x0 = 0;
  while (x0 < img.cols && img.at<std::uint8_t>(img.rows / 2, x0) > 128) ++x0;
  REQUIRE(x0 < img.cols);
  const int module = 3;
  SECTION("a check character element one module wider: the check no longer agrees") {
    // Widen the check character's first space (module 27 from the guard bar) into the bar after it.
    cv::Mat bad = img.clone();
    const int check_start = x0 + 27 * module;
    int x = check_start;
    while (x < bad.cols && bad.at<std::uint8_t>(bad.rows / 2, x) > 128) ++x;  // the space
    bad.colRange(x, x + module).setTo(255);
    CHECK(read(bad).empty());
  }
  SECTION("a bar of the right character blotted out") {
    cv::Mat bad = img.clone();
    const int right_start = x0 + 45 * module;
    bad.colRange(right_start + 3 * module, right_start + 9 * module).setTo(0);
    CHECK(read(bad).empty());
  }
  SECTION("the left half cut off") {
    CHECK(read(img.colRange(x0 + 30 * module, img.cols).clone()).empty());
  }
}

TEST_CASE("DataBar Limited reader: nothing on noise and on other codes' bars", "[vision][databar]") {
  std::mt19937 rng(7);
  cv::Mat noise(240, 640, CV_8UC1);
  cv::randu(noise, 0, 255);
  CHECK(read(noise).empty());
  cv::Mat stripes(120, 640, CV_8UC1, cv::Scalar(255));
  std::uniform_int_distribution<int> width(1, 12);
  for (int x = 20; x < 620;) {
    const int w = width(rng);
    stripes.colRange(x, std::min(620, x + w)).setTo(0);
    x += w + width(rng);
  }
  CHECK(read(stripes).empty());
}

TEST_CASE("DataBar Limited reader: the labelled photo (databarltd-1_00, 2 px a module) reads", "[vision][databar]") {
  const cv::Mat photo =
      cv::imread(std::string(KIOSK_TEST_DATA_DIR) + "/barcodes/databar/databarltd-1_00.png", cv::IMREAD_GRAYSCALE);
  REQUIRE_FALSE(photo.empty());
  CHECK(read(photo) == one("00000000000000"));
  cv::Mat flipped;
  cv::rotate(photo, flipped, cv::ROTATE_180);
  CHECK(read(flipped) == one("00000000000000"));
}

TEST_CASE("DataBar Limited through the region decoder and the still decoder at every angle", "[vision][databar]") {
  const std::string gtin = "07310865004703";
  cv::Mat img = render_limited(gtin);
  // On a frame with room round it, as under the camera.
  cv::copyMakeBorder(img, img, 120, 120, 160, 160, cv::BORDER_CONSTANT, cv::Scalar(255));
  auto decoder = kiosk::vision::make_located_decoder();
  for (int degrees = 0; degrees < 360; degrees += 15) {
    INFO("turned " << degrees << " degrees");
    CHECK(gtins(decoder->decode(turned(img, degrees))) == one(gtin));
  }
  const cv::Mat photo =
      cv::imread(std::string(KIOSK_TEST_DATA_DIR) + "/barcodes/databar/databarltd-1_00.png", cv::IMREAD_GRAYSCALE);
  REQUIRE_FALSE(photo.empty());
  CHECK(gtins(kiosk::vision::make_default_decoder()->decode(photo)) == one("00000000000000"));
}
