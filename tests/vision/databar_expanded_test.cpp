// Our GS1 DataBar Expanded reader (vision/databar_expanded.h) on codes libzint renders: every
// encodation method, the full 11 pairs ZBar cannot read, stacked rows, upside down, blurred, damaged.
#include <zint.h>

#include <catch2/catch.hpp>
#include <memory>
#include <opencv2/imgproc.hpp>

#include "turned_image.h"
#include "vision/databar_expanded.h"
#include "vision/decoder.h"
#include "vision/manifest.h"

using kiosk::vision::Symbology;

using vision_test::turned;

namespace {

// The photos' longest label (rssexpanded-1_10): 21 data characters, 11 pairs, the most a symbol holds.
const std::string kFullInput = "[01]98898765432106[15]991231[3103]001750[10]12A[422]123[21]123456[423]012345678901";
const std::string kFullText =
    "01988987654321061599123131030017501012A\x1d"
    "422123\x1d"
    "21123456\x1d"
    "423012345678901";

struct ZintDeleter {
  void operator()(zint_symbol* s) const { ZBarcode_Delete(s); }
};

// `input` (bracketed AIs) as DataBar Expanded, or Expanded Stacked with `columns` characters a row,
// 3 px a module, dark on white with a margin. libzint refuses data that breaks GS1 rules unless
// `check_gs1` is off.
cv::Mat render(const std::string& input, int columns = 0, int margin = 40, bool check_gs1 = true) {
  std::unique_ptr<zint_symbol, ZintDeleter> sym(ZBarcode_Create());
  REQUIRE(sym);
  if (!check_gs1) sym->input_mode = GS1_MODE | GS1NOCHECK_MODE;
  sym->symbology = columns > 0 ? BARCODE_DBAR_EXPSTK : BARCODE_DBAR_EXP;
  if (columns > 0) sym->option_2 = columns;
  sym->scale = 1.5f;
  const int rc = ZBarcode_Encode_and_Buffer(sym.get(), reinterpret_cast<const unsigned char*>(input.data()),
                                            static_cast<int>(input.size()), 0);
  INFO(input << ": " << sym->errtxt);
  REQUIRE(rc < ZINT_ERROR);
  cv::Mat rgb(sym->bitmap_height, sym->bitmap_width, CV_8UC3, sym->bitmap);
  cv::Mat gray;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  cv::copyMakeBorder(gray, gray, margin - 10, margin - 10, margin, margin, cv::BORDER_CONSTANT, cv::Scalar(255));
  return gray;
}

std::vector<std::string> texts(const std::vector<kiosk::vision::Detection>& found) {
  std::vector<std::string> out;
  for (const auto& d : found) {
    CHECK(d.symbology == Symbology::kDataBarExpanded);
    out.push_back(kiosk::vision::escape_text(d.text));
  }
  return out;
}

std::vector<std::string> one(const std::string& text) {
  return {kiosk::vision::escape_text(text)};
}

}  // namespace

TEST_CASE("DataBar Expanded reader: every encodation method reads back its element string", "[vision][databar]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      // method 1: (01) and other AIs
      {"[01]98898765432106[3202]012345[15]991231", "0198898765432106320201234515991231"},
      {kFullInput, kFullText},
      // 00: any AIs, numeric, alphanumeric and ISO/IEC 646 fields, FNC1 between variable-length ones
      {"[10]ABC-12.3/x[21]a1b2c3",
       "10ABC-12.3/x\x1d"
       "21a1b2c3"},
      {"[10]1098:1234", "101098:1234"},
      // 0100: (01) (3103); 0101: (01) (3202)/(3203)
      {"[01]90012345678908[3103]001750", "01900123456789083103001750"},
      {"[01]90012345678908[3203]010000", "01900123456789083203010000"},
      // 01100: (01) (392x); 01101: (01) (393x) with its currency
      {"[01]90012345678908[3922]795", "01900123456789083922795"},
      {"[01]90012345678908[3932]752795", "01900123456789083932752795"},
      // 0111xxx: (01) (310x/320x) and a date
      {"[01]90012345678908[3103]012233[15]991231", "0190012345678908310301223315991231"},
      {"[01]90012345678908[3202]000156[17]201231", "0190012345678908320200015617201231"},
  };
  for (const auto& [input, text] : cases) {
    INFO(input);
    const cv::Mat img = render(input);
    CHECK(texts(kiosk::vision::read_databar_expanded_lines(img, true, 4)) == one(text));
  }
}

TEST_CASE("DataBar Expanded: the full 11 pairs, which ZBar cannot read, read through the shipped decoders",
          "[vision][databar]") {
  const cv::Mat img = render(kFullInput);
  // ZBar alone reads nothing here: the reason this reader exists.
  CHECK(kiosk::vision::make_zbar_decoder()->decode(img).empty());
  CHECK(texts(kiosk::vision::make_located_decoder()->decode(img)) == one(kFullText));
  CHECK(texts(kiosk::vision::make_default_decoder()->decode(img)) == one(kFullText));
}

TEST_CASE("DataBar Expanded Stacked: the rows' pairs join into one symbol", "[vision][databar]") {
  for (const int columns : {1, 2, 3, 4}) {
    INFO(columns << " characters a row");
    const cv::Mat img = render(kFullInput, columns);
    CHECK(texts(kiosk::vision::read_databar_expanded_lines(img, true, 2)) == one(kFullText));
    CHECK(texts(kiosk::vision::make_default_decoder()->decode(img)) == one(kFullText));
  }
}

TEST_CASE("DataBar Expanded through the region decoder at every angle, one row and stacked", "[vision][databar]") {
  // Stacked, the region found around a tilted symbol may hold only some of its rows (225°: two of
  // three); the region decoder then reads a taller crop.
  for (const int columns : {0, 4}) {
    const cv::Mat img = render(kFullInput, columns, 60);
    auto decoder = kiosk::vision::make_located_decoder();
    for (int degrees = 0; degrees < 360; degrees += 15) {
      INFO((columns == 0 ? "one row" : "stacked, 4 characters a row") << ", turned " << degrees << " degrees");
      CHECK(texts(decoder->decode(turned(img, degrees))) == one(kFullText));
    }
  }
}

TEST_CASE("DataBar Expanded reader: upside down, on columns, blurred", "[vision][databar]") {
  const cv::Mat img = render(kFullInput);
  cv::Mat flipped, upright;
  cv::rotate(img, flipped, cv::ROTATE_180);
  cv::rotate(img, upright, cv::ROTATE_90_CLOCKWISE);
  CHECK(texts(kiosk::vision::read_databar_expanded_lines(flipped, true, 4)) == one(kFullText));
  CHECK(texts(kiosk::vision::read_databar_expanded_lines(upright, false, 4)) == one(kFullText));
  CHECK(kiosk::vision::read_databar_expanded_lines(upright, true, 4).empty());
  for (const double sigma : {0.6, 1.0, 1.4}) {
    INFO("blur sigma " << sigma << " px, 3 px a module");
    cv::Mat blurred;
    cv::GaussianBlur(img, blurred, cv::Size(0, 0), sigma);
    CHECK(texts(kiosk::vision::read_databar_expanded_lines(blurred, true, 4)) == one(kFullText));
  }
}

TEST_CASE("DataBar Expanded reader: a damaged symbol, noise or nothing read nothing", "[vision][databar]") {
  cv::Mat img = render(kFullInput);
  // A white band across the middle of the bars: a character is lost on every line.
  cv::rectangle(img, cv::Rect(img.cols / 2 - 20, 0, 40, img.rows), cv::Scalar(255), cv::FILLED);
  CHECK(kiosk::vision::read_databar_expanded_lines(img, true, 1).empty());
  cv::Mat noise(200, 600, CV_8U);
  cv::RNG rng(3);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
  CHECK(kiosk::vision::read_databar_expanded_lines(noise, true, 1).empty());
  CHECK(kiosk::vision::read_databar_expanded_lines(cv::Mat(), true, 1).empty());
  CHECK(kiosk::vision::read_databar_expanded_lines(cv::Mat(1, 1, CV_8U, cv::Scalar(0)), true, 1).empty());
  CHECK(kiosk::vision::read_databar_expanded_lines(cv::Mat(10, 10, CV_8UC3), true, 1).empty());
}

TEST_CASE("DataBar Expanded holding data GS1 forbids: decoded as printed, never reported", "[vision][databar]") {
  // As rssexpanded-3_42/3_100 in the photos: a space in (10), outside GS1's character set 82. ZBar
  // decodes 3_100's space as '<' (valid), which the second opinion of our reader drops.
  const cv::Mat img = render("[10]1098 1234", 0, 40, false);
  CHECK(kiosk::vision::decode_databar_expanded_lines(img, true, 4) == std::vector<std::string>{"101098 1234"});
  CHECK(kiosk::vision::read_databar_expanded_lines(img, true, 4).empty());
  CHECK(kiosk::vision::make_default_decoder()->decode(img).empty());
  // (392x) with more than the 15 digits its amount may have.
  const cv::Mat long_amount = render("[01]90012345678908[3922]7958888888888888888", 0, 40, false);
  CHECK(kiosk::vision::decode_databar_expanded_lines(long_amount, true, 4) ==
        std::vector<std::string>{"01900123456789083922"
                                 "7958888888888888888"});
  CHECK(kiosk::vision::make_default_decoder()->decode(long_amount).empty());
}
