// Decoding the labelled photos in tests/data/barcodes (zxing-cpp samples): per set, the decoder must read
// at least as many as it does now, nothing on the images without a code, and no misread except the
// images listed below with the reason.
#include <catch2/catch.hpp>
#include <map>
#include <opencv2/imgproc.hpp>
#include <set>

#include "vision/decoder.h"
#include "vision/manifest.h"

using kiosk::vision::Outcome;

namespace {

const std::string kDir = std::string(KIOSK_TEST_DATA_DIR) + "/barcodes";

// Images read correctly per set by the shipped decoder, measured on these photos. Raise a floor when
// decoding gets better; a test failure here means decoding got worse.
const std::map<std::string, int> kFloor{
    {"code128", 10},    {"databar", 10}, {"databar_expanded", 106}, {"ean13", 23},
    {"ean13_addon", 3}, {"ean8", 5},     {"falsepositives", 22},    {"itf", 10},
    {"qrcode", 59},     {"upca", 31},    {"upca_addon", 3},         {"upce", 14},
};

// zxing-cpp 1.4's rate on the full sample sets (issue 4): ours must be at least this on every set.
const std::map<std::string, double> kZxingRate{
    {"ean13", 0.65},
    {"ean8", 0.89},
    {"upca", 0.61},
    {"upce", 0.66},
    {"code128", 0.91},
    {"databar", 0.68},
    {"databar_expanded", 0.97},
    {"itf", 0.95},
    {"qrcode", 0.80},
};

// Sets still below zxing-cpp's rate, with why; their floor above is what guards them meanwhile.
const std::map<std::string, std::string> kBelowZxing{
    {"code128", "10/11: the 11th label is no valid GS1 (kInvalidGs1), so it is never reported"},
    {"databar_expanded",
     "106/113: the 7 others are no valid GS1 (kInvalidGs1), so they are never reported; 106/113 is all "
     "the valid ones (zxing-cpp's 97 % counts reads of invalid data)"},
};

// Images whose label is no valid GS1 data, so that the decoder must not report them at all (a code
// failing AI syntax is never reported): each is missed, never misread.
const std::map<std::string, std::string> kInvalidGs1{
    {"code128/code128-1_1.png", "GS1-128 diagram: FNC1 first, but (16) needs 6 digits, not '8901'"},
    {"databar_expanded/rssexpanded-3_42.png", "space in (10): not in GS1 character set 82"},
    {"databar_expanded/rssexpanded-3_100.png",
     "space in (10), as 3_42: our DataBar Expanded reader and zxing-cpp decode a space, ZBar a '<', which "
     "our reader's second opinion drops"},
    {"databar_expanded/rssexpanded-3_68.png", "(3932) currency 040 then 'EUR': the amount must be digits"},
    {"databar_expanded/rssexpandedstacked-1_15.png", "(3932) currency 040 then 'EUR': the amount must be digits"},
    {"databar_expanded/rssexpanded-3_70.png", "(3932) with letters 'USD' in its amount"},
    {"databar_expanded/rssexpanded-3_66.png", "(3922) with 54 digits: at most 15"},
    {"databar_expanded/rssexpanded-3_13.png", "(3922) with 54 digits: at most 15"},
};

// Images whose read differs from their label because the label is doubtful, each with the reason.
// Nothing else may be misread: ZBar's own misreads (upca-4_1/4_2/4_6/4_14, upca-2_38, upca-5_32),
// Shift_JIS QR text (qrcode-2_21/2_24/2_29) and a missed add-on (ean13-extension-1_38) were fixed.
const std::map<std::string, std::string> kDoubtfulLabels{
    {"ean13/ean13-2_23.png", "the printed digits are 9784872348880, as read (ean13-2_25 is labelled so)"},
    {"ean13/ean13-1_25.png", "the label omits the 5-digit add-on 92902 printed beside the code, which is read"},
};

}  // namespace

TEST_CASE(
    "the photos: per set at least the measured reads and plain ZBar's, none on images without a code, no new misread",
    "[vision][photos]") {
  auto entries = kiosk::vision::read_manifest(kDir + "/manifest.tsv");
  INFO((entries ? "" : entries.message()));
  REQUIRE(entries);
  REQUIRE(entries->size() == 327);
  // The shipped still-image decoder (localised crops, then the whole image with retries, then Data
  // Matrix) with budgets of CPU time 4-6× the shipped ones, so that a loaded machine reads the same.
  auto decoder = kiosk::vision::make_default_decoder({std::chrono::milliseconds(250), std::chrono::milliseconds(250)});
  auto score = kiosk::vision::score_manifest(*entries, kDir, *decoder);
  INFO((score ? "" : score.message()));
  REQUIRE(score);
  auto zbar = kiosk::vision::make_zbar_decoder({.scan_density = 2, .check_bars = false});
  auto plain = kiosk::vision::score_manifest(*entries, kDir, *zbar);
  REQUIRE(plain);
  REQUIRE(plain->sets.size() == score->sets.size());

  std::set<std::string> seen_sets;
  int reads = 0;
  for (const auto& s : score->sets) {
    seen_sets.insert(s.set);
    INFO(s.set << ": " << s.correct << "/" << s.images << " read, " << s.misread << " misread, " << s.missed
               << " missed");
    REQUIRE(kFloor.count(s.set) == 1);
    CHECK(s.correct >= kFloor.at(s.set));
    if (s.set != kiosk::vision::kNoCodeSet) reads += s.correct + s.misread;
    // At least plain ZBar's reads on every set.
    const auto& z = plain->sets[static_cast<std::size_t>(&s - score->sets.data())];
    INFO("plain ZBar: " << z.correct << "/" << z.images);
    CHECK(s.correct >= z.correct);
    if (s.set == kiosk::vision::kNoCodeSet) CHECK(s.misread == 0);
    if (kZxingRate.count(s.set) == 1 && kBelowZxing.count(s.set) == 0) {
      INFO("zxing-cpp 1.4: " << kZxingRate.at(s.set));
      CHECK(s.rate() >= kZxingRate.at(s.set));
    }
  }
  CHECK(seen_sets.size() == kFloor.size());

  int misreads = 0;
  for (const auto& img : score->images) {
    if (kInvalidGs1.count(img.entry->path) == 1) {
      INFO(img.entry->path << ": " << kInvalidGs1.at(img.entry->path));
      CHECK(img.outcome == Outcome::kMissed);
      continue;
    }
    if (img.outcome != Outcome::kMisread || img.entry->set == kiosk::vision::kNoCodeSet) continue;
    std::string read;
    for (const auto& r : img.read) read += kiosk::vision::escape_text(r) + " ";
    INFO(img.entry->path << ": expected " << kiosk::vision::escape_text(img.entry->expected) << ", read " << read);
    CHECK(kDoubtfulLabels.count(img.entry->path) == 1);
    misreads += kDoubtfulLabels.count(img.entry->path) == 1 ? 0 : 1;
  }
  // The limit, at most 1 misread per 500 reads: with about 300 reads here, none.
  INFO(misreads << " misreads in " << reads << " reads");
  CHECK(misreads * 500 <= std::max(reads, 1) - 1);
}

TEST_CASE("manifest text: escapes round-trip, bad escapes and short lines are errors that say where",
          "[vision][manifest]") {
  using kiosk::vision::escape_text;
  using kiosk::vision::unescape_text;
  const std::string raw =
      "10ab\x1d"
      "21x\\y\t\r\n\x7f";
  CHECK(escape_text(raw) == "10ab\\x1d21x\\\\y\\t\\r\\n\\x7f");
  auto back = unescape_text(escape_text(raw));
  REQUIRE(back);
  CHECK(*back == raw);
  CHECK_FALSE(unescape_text("abc\\"));
  CHECK_FALSE(unescape_text("\\x1"));
  CHECK_FALSE(unescape_text("\\q"));
  CHECK(kiosk::vision::read_manifest(kDir + "/no-such.tsv").message().find("cannot open") != std::string::npos);
}

TEST_CASE("manifest text of detections: EAN/UPC as GTIN-13 with the add-on, GS1 as decoded", "[vision][manifest]") {
  using kiosk::vision::manifest_text;
  using kiosk::vision::Symbology;
  auto upce = kiosk::vision::validate_detection(Symbology::kUpcE, "01234565");
  REQUIRE(upce);
  CHECK(manifest_text(*upce) == "0012345000065");
  auto upca = kiosk::vision::validate_detection(Symbology::kUpcA, "071831007995");
  REQUIRE(upca);
  upca->addon = "19868";
  CHECK(manifest_text(*upca) == "007183100799519868");
  auto ean8 = kiosk::vision::validate_detection(Symbology::kEan8, "12345670");
  REQUIRE(ean8);
  CHECK(manifest_text(*ean8) == "12345670");
  auto exp = kiosk::vision::validate_detection(Symbology::kDataBarExpanded,
                                               "10567\x1d"
                                               "1101010113010101");
  REQUIRE(exp);
  CHECK(exp->gtin14.empty());
  CHECK(manifest_text(*exp) ==
        "10567\x1d"
        "1101010113010101");
  CHECK_FALSE(kiosk::vision::validate_detection(Symbology::kDataBarExpanded, "0190012345678907"));
}

TEST_CASE("empty textured frames (a mottled counter with sensor noise) read nothing", "[vision][photos]") {
  // ZBar's DataBar decoder found GTINs with a valid check digit in about one such 1080p frame in three.
  cv::RNG rng(7);
  auto decoder = kiosk::vision::make_default_decoder();
  int reads = 0;
  for (int i = 0; i < 20; ++i) {
    cv::Mat small(28, 49, CV_8U);
    rng.fill(small, cv::RNG::UNIFORM, 90, 170);
    cv::Mat frame;
    cv::resize(small, frame, cv::Size(1920, 1080), 0, 0, cv::INTER_CUBIC);
    cv::Mat noise(frame.size(), CV_8S);
    rng.fill(noise, cv::RNG::NORMAL, 0, 6);
    cv::add(frame, noise, frame, cv::noArray(), CV_8U);
    for (const auto& d : decoder->decode(frame)) {
      INFO("frame " << i << ": " << kiosk::vision::symbology_name(d.symbology) << " " << d.text);
      CHECK(false);
      ++reads;
    }
  }
  CHECK(reads == 0);
}
