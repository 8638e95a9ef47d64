// Decoding of libzint-rendered codes, validation, and robustness against odd images.
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/barcode_render.h"
#include "vision/decoder.h"
#include "vision/ean_check.h"

using kiosk::vision::Detection;
using kiosk::vision::Symbology;

namespace {

// A printed code on a white page: padding around it, as a camera crop would have.
cv::Mat on_page(const cv::Mat& code, int pad = 60) {
  cv::Mat page;
  cv::copyMakeBorder(code, page, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
  return page;
}

cv::Mat rotated(const cv::Mat& img, double degrees) {
  const cv::Point2f c(static_cast<float>(img.cols) / 2.0f, static_cast<float>(img.rows) / 2.0f);
  cv::Mat out;
  cv::warpAffine(img, out, cv::getRotationMatrix2D(c, degrees, 1.0), img.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(255));
  return out;
}

cv::Mat blurred(const cv::Mat& img, double sigma) {
  cv::Mat out;
  cv::GaussianBlur(img, out, cv::Size(0, 0), sigma);
  return out;
}

cv::Mat render(Symbology s, const std::string& data, int module_px = 3) {
  auto r = kiosk::vision::render_barcode(s, data, module_px);
  INFO(data << ": " << (r ? "" : r.message()));
  REQUIRE(r);
  return on_page(*r);
}

std::vector<std::string> gtins(const std::vector<Detection>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(d.gtin14);
  return out;
}

}  // namespace

TEST_CASE("retail codes rendered with libzint decode to their GTIN-14", "[vision][decoder]") {
  auto decoder = kiosk::vision::make_zbar_decoder();
  struct Case {
    Symbology symbology;
    std::string data;
    std::string gtin14;
  };
  const std::vector<Case> cases = {
      {Symbology::kEan13, "7310865004703", "07310865004703"}, {Symbology::kEan13, "7318690499534", "07318690499534"},
      {Symbology::kEan8, "96385074", "00000096385074"},       {Symbology::kUpcA, "036000291452", "00036000291452"},
      {Symbology::kUpcE, "04252614", "00042100005264"},  // UPC-E 0425261(4) = UPC-A 04210000526(4)
  };
  for (const auto& c : cases) {
    const cv::Mat img = render(c.symbology, c.data);
    for (const auto& [name, variant] :
         std::vector<std::pair<std::string, cv::Mat>>{{"straight", img},
                                                      {"rotated +8", rotated(img, 8)},
                                                      {"rotated -10", rotated(img, -10)},
                                                      {"blurred", blurred(img, 1.0)},
                                                      {"rotated and blurred", blurred(rotated(img, 5), 0.8)}}) {
      INFO(c.data << " " << name);
      const auto found = decoder->decode(variant);
      REQUIRE(found.size() == 1);
      CHECK(found[0].gtin14 == c.gtin14);
      CHECK(found[0].symbology == c.symbology);
    }
  }
}

TEST_CASE("BGR frames decode like gray ones", "[vision][decoder]") {
  auto decoder = kiosk::vision::make_zbar_decoder();
  cv::Mat bgr;
  cv::cvtColor(render(Symbology::kEan13, "7310865004703"), bgr, cv::COLOR_GRAY2BGR);
  CHECK(gtins(decoder->decode(bgr)) == std::vector<std::string>{"07310865004703"});
}

TEST_CASE("two codes in one image are both found", "[vision][decoder]") {
  auto decoder = kiosk::vision::make_zbar_decoder();
  const cv::Mat a = render(Symbology::kEan13, "7310865004703");
  const cv::Mat b = render(Symbology::kEan8, "96385074");
  cv::Mat both(a.rows + b.rows, std::max(a.cols, b.cols), CV_8U, cv::Scalar(255));
  a.copyTo(both(cv::Rect(0, 0, a.cols, a.rows)));
  b.copyTo(both(cv::Rect(0, a.rows, b.cols, b.rows)));
  auto found = gtins(decoder->decode(both));
  std::sort(found.begin(), found.end());
  CHECK(found == std::vector<std::string>{"00000096385074", "07310865004703"});
}

TEST_CASE("ITF-14 and DataBar carry a GTIN, and an ITF-14 with a wrong check digit is never reported",
          "[vision][decoder]") {
  auto decoder = kiosk::vision::make_zbar_decoder();
  SECTION("ITF-14 valid") {
    const auto found = decoder->decode(render(Symbology::kItf, "17310865004700", 3));
    REQUIRE(found.size() == 1);
    CHECK(found[0].symbology == Symbology::kItf);
    CHECK(found[0].gtin14 == "17310865004700");
  }
  SECTION("ITF-14 wrong check digit") {
    CHECK(decoder->decode(render(Symbology::kItf, "17310865004701", 3)).empty());
  }
  SECTION("DataBar") {
    const auto found = decoder->decode(render(Symbology::kDataBar, "07310865004703", 3));
    REQUIRE(found.size() == 1);
    CHECK(found[0].symbology == Symbology::kDataBar);
    CHECK(found[0].gtin14 == "07310865004703");
  }
}

TEST_CASE("a wrong check digit is never reported", "[vision][decoder]") {
  using kiosk::vision::validate_detection;
  CHECK_FALSE(validate_detection(Symbology::kEan13, "7310865004704"));
  CHECK_FALSE(validate_detection(Symbology::kEan8, "96385075"));
  CHECK_FALSE(validate_detection(Symbology::kUpcA, "036000291453"));
  CHECK_FALSE(validate_detection(Symbology::kUpcE, "04252615"));
  CHECK_FALSE(validate_detection(Symbology::kEan13, "731086500470"));   // too short
  CHECK_FALSE(validate_detection(Symbology::kEan13, "73108650047O3"));  // letter O
  CHECK_FALSE(validate_detection(Symbology::kDataBar, "0107310865004704"));
  CHECK_FALSE(validate_detection(Symbology::kItf, "17310865004701"));
  CHECK_FALSE(validate_detection(Symbology::kUnknown, "7310865004703"));
  auto ok = validate_detection(Symbology::kEan13, "7310865004703");
  REQUIRE(ok);
  CHECK(ok->gtin14 == "07310865004703");
  // libzint refuses to print a wrong check digit, so the decoder never sees one from our renderer.
  CHECK_FALSE(kiosk::vision::render_barcode(Symbology::kEan13, "7310865004704"));
}

TEST_CASE("empty, tiny, huge and odd images do not crash and find nothing", "[vision][decoder]") {
  auto decoder = kiosk::vision::make_zbar_decoder();
  CHECK(decoder->decode(cv::Mat()).empty());
  CHECK(decoder->decode(cv::Mat(1, 1, CV_8U, cv::Scalar(0))).empty());
  CHECK(decoder->decode(cv::Mat(1, 1, CV_8UC3, cv::Scalar(0, 0, 0))).empty());
  CHECK(decoder->decode(cv::Mat(3, 2000, CV_8U, cv::Scalar(255))).empty());
  CHECK(decoder->decode(cv::Mat(15, 15, CV_8U, cv::Scalar(255))).empty());
  CHECK(decoder->decode(cv::Mat(100, 100, CV_32F, cv::Scalar(0.5))).empty());
  CHECK(decoder->decode(cv::Mat(100, 100, CV_8UC2, cv::Scalar(0, 0))).empty());
  cv::Mat noise(480, 640, CV_8U);
  cv::randu(noise, 0, 256);
  CHECK(decoder->decode(noise).empty());
  // A huge frame (8000 × 6000) with a code in it: scaled down, not crashed; the code is big enough
  // to survive the scaling.
  cv::Mat huge(6000, 8000, CV_8U, cv::Scalar(255));
  cv::Mat code = render(Symbology::kEan13, "7310865004703", 8);
  code.copyTo(huge(cv::Rect(1000, 1000, code.cols, code.rows)));
  CHECK(gtins(decoder->decode(huge)) == std::vector<std::string>{"07310865004703"});
}

TEST_CASE("catalog GTIN-14 keys print as the retail code they came from", "[vision][render]") {
  using kiosk::vision::retail_print_form;
  auto ean13 = retail_print_form("07310865004703");
  REQUIRE(ean13);
  CHECK(ean13->symbology == Symbology::kEan13);
  CHECK(ean13->data == "7310865004703");
  auto upca = retail_print_form("00036000291452");
  REQUIRE(upca);
  CHECK(upca->symbology == Symbology::kUpcA);
  CHECK(upca->data == "036000291452");
  auto ean8 = retail_print_form("00000096385074");
  REQUIRE(ean8);
  CHECK(ean8->symbology == Symbology::kEan8);
  CHECK(ean8->data == "96385074");
  CHECK(retail_print_form("96385074")->symbology == Symbology::kEan8);
  CHECK_FALSE(retail_print_form("17310865004700"));  // case code
  CHECK_FALSE(retail_print_form("07310865004704"));  // wrong check digit
  CHECK_FALSE(retail_print_form("73108650047"));     // 11 digits
  CHECK_FALSE(retail_print_form("731086500470X"));
}

TEST_CASE("symbology names round-trip", "[vision][decoder]") {
  for (auto s : {Symbology::kEan13, Symbology::kEan8, Symbology::kUpcA, Symbology::kUpcE, Symbology::kCode128,
                 Symbology::kDataBar, Symbology::kDataBarExpanded, Symbology::kItf, Symbology::kQrCode}) {
    CHECK(kiosk::vision::symbology_from_name(kiosk::vision::symbology_name(s)) == s);
  }
  CHECK(kiosk::vision::symbology_name(Symbology::kDataBarExpanded) == "databar_expanded");
  CHECK_FALSE(kiosk::vision::symbology_from_name("ean14"));
}

TEST_CASE("our EAN/UPC bar reader takes fat and thin printing out and reads every digit", "[vision][decoder]") {
  using kiosk::vision::read_ean_line;
  struct Case {
    Symbology symbology;
    std::string data;
    std::string digits;  // as read_ean_line gives them
    Symbology read_as;
  };
  const Case cases[] = {
      {Symbology::kEan13, "7310865004703", "7310865004703", Symbology::kEan13},
      {Symbology::kUpcA, "036000291452", "0036000291452", Symbology::kEan13},
      {Symbology::kEan8, "96385074", "96385074", Symbology::kEan8},
      {Symbology::kUpcE, "01234565", "01234565", Symbology::kUpcE},
  };
  for (const auto& c : cases) {
    const cv::Mat code = render(c.symbology, c.data, 4);
    // Bars up to half a module fatter (a min filter) or thinner (a max filter): what makes ZBar read a
    // 1 as a 7 in one half and a 7 as a 1 in the other.
    for (int spread = -2; spread <= 2; ++spread) {
      cv::Mat printed = code.clone();
      const cv::Mat k = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(std::abs(spread) + 1, 1));
      if (spread > 0) cv::erode(code, printed, k);
      if (spread < 0) cv::dilate(code, printed, k);
      const cv::Mat seen = blurred(printed, 1.0);
      INFO(c.data << " spread " << spread << " px of a 4 px module");
      const auto reads = read_ean_line(seen, true, seen.rows / 2);
      REQUIRE(reads.size() == 1);
      CHECK(reads[0].symbology == c.read_as);
      CHECK(reads[0].digits == c.digits);
      CHECK(reads[0].addon.empty());
      // Upside down the same.
      cv::Mat flipped;
      cv::flip(seen, flipped, -1);
      const auto back = read_ean_line(flipped, true, flipped.rows / 2);
      REQUIRE(back.size() == 1);
      CHECK(back[0].digits == c.digits);
    }
  }
}

TEST_CASE("our EAN/UPC bar reader finds nothing in other codes, noise or odd lines", "[vision][decoder]") {
  using kiosk::vision::read_ean_line;
  const cv::Mat c128 = render(Symbology::kCode128, "ABC-123456789");
  CHECK(read_ean_line(c128, true, c128.rows / 2).empty());
  const cv::Mat itf = render(Symbology::kItf, "15400141288763");
  CHECK(read_ean_line(itf, true, itf.rows / 2).empty());
  cv::Mat noise(200, 800, CV_8U);
  cv::randu(noise, cv::Scalar(0), cv::Scalar(255));
  for (int y = 0; y < noise.rows; y += 7) CHECK(read_ean_line(noise, true, y).empty());
  // Lines outside the image, tiny and empty images.
  CHECK(read_ean_line(noise, true, -1).empty());
  CHECK(read_ean_line(noise, false, 800).empty());
  CHECK(read_ean_line(cv::Mat(), true, 0).empty());
  CHECK(read_ean_line(cv::Mat(1, 1, CV_8U, cv::Scalar(0)), true, 0).empty());
  // Half a code (cut at the image edge) is no code.
  const cv::Mat ean = render(Symbology::kEan13, "7310865004703", 3);
  CHECK(read_ean_line(ean(cv::Rect(0, 0, ean.cols / 2, ean.rows)).clone(), true, ean.rows / 2).empty());
  // A wrong digit: the right half of one EAN-13 joined to the left half of another fails the check.
  const cv::Mat other = render(Symbology::kEan13, "5000213101025", 3);
  REQUIRE(other.size() == ean.size());
  cv::Mat mixed = ean.clone();
  other(cv::Rect(ean.cols / 2, 0, ean.cols - ean.cols / 2, ean.rows))
      .copyTo(mixed(cv::Rect(ean.cols / 2, 0, ean.cols - ean.cols / 2, ean.rows)));
  for (const auto& r : read_ean_line(mixed, true, mixed.rows / 2)) {
    INFO(r.digits);
    CHECK((r.digits == "7310865004703" || r.digits == "5000213101025"));
  }
}

TEST_CASE("EAN/UPC reads our bar reader confirms are not doubtful, ZBar's plain baseline checks nothing",
          "[vision][decoder]") {
  auto decoder = kiosk::vision::make_zbar_decoder();
  auto plain = kiosk::vision::make_zbar_decoder({.scan_density = 2, .check_bars = false});
  for (const auto& [s, data] : {std::pair{Symbology::kEan13, std::string("7310865004703")},
                                std::pair{Symbology::kUpcA, std::string("036000291452")},
                                std::pair{Symbology::kEan8, std::string("96385074")}}) {
    const cv::Mat code = render(s, data, 3);
    INFO(data);
    const auto found = decoder->decode(code);
    REQUIRE(found.size() == 1);
    CHECK_FALSE(found[0].doubtful);
    const auto base = plain->decode(code);
    REQUIRE(base.size() == 1);
    CHECK(base[0].gtin14 == found[0].gtin14);
  }
}
