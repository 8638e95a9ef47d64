// Decoding the labelled photos in tests/data/barcodes (zxing-cpp samples): per set, the decoder must read
// at least as many as it does now, nothing on the images without a code, and no misread except the
// images listed below with the reason.
#include <catch2/catch.hpp>
#include <map>
#include <opencv2/imgproc.hpp>
#include <set>
#include <sstream>

#include "vision/decoder.h"
#include "vision/manifest.h"

using kiosk::vision::Outcome;

namespace {

const std::string kDir = std::string(KIOSK_TEST_DATA_DIR) + "/barcodes";

// Images read correctly per set by the shipped decoder, measured on these photos. Raise a floor when
// decoding gets better; a test failure here means decoding got worse.
const std::map<std::string, int> kFloor{
    {"code128", 10},    {"databar", 10}, {"databar_expanded", 106}, {"ean13", 26},
    {"ean13_addon", 3}, {"ean8", 5},     {"falsepositives", 22},    {"itf", 10},
    {"qrcode", 59},     {"upca", 34},    {"upca_addon", 3},         {"upce", 14},
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
    {"code128", "10/11: the 11th label is no valid GS1 (label_notes.tsv), so it is never reported"},
    {"databar_expanded",
     "106/113: the 7 others are no valid GS1 (label_notes.tsv), so they are never reported; 106/113 is all "
     "the valid ones (zxing-cpp's 97 % counts reads of invalid data)"},
};

// The notes on doubtful labels (label_notes.tsv, with the reason for each): images whose label is no
// valid GS1 data, which the decoder must not report at all (a code failing AI syntax is never
// reported), and images whose photo shows something else than their label. Nothing else may be
// misread: ZBar's own misreads (upca-4_1/4_2/4_6/4_14, upca-2_38, upca-5_32), Shift_JIS QR text
// (qrcode-2_21/2_24/2_29) and a missed add-on (ean13-extension-1_38) were fixed.
const std::string kNotes = kDir + "/label_notes.tsv";

}  // namespace

TEST_CASE(
    "the photos: per set at least the measured reads and plain ZBar's, none on images without a code, no new misread",
    "[vision][photos]") {
  auto entries = kiosk::vision::read_manifest(kDir + "/manifest.tsv");
  INFO((entries ? "" : entries.message()));
  REQUIRE(entries);
  REQUIRE(entries->size() == 327);
  const auto notes = kiosk::vision::read_label_notes(kNotes, &*entries);
  INFO((notes ? "" : notes.message()));
  REQUIRE(notes);
  // The shipped still-image decoder (localised crops, then the whole image with retries, then Data
  // Matrix) with budgets of CPU time 4-6× the shipped ones, so that a loaded machine reads the same.
  auto decoder = kiosk::vision::make_default_decoder({std::chrono::milliseconds(250), std::chrono::milliseconds(250)});
  auto score = kiosk::vision::score_manifest(*entries, kDir, *decoder, &*notes);
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
    if (img.invalid_label()) {
      INFO(img.entry->path << ": " << img.note->reason);
      CHECK(img.outcome == Outcome::kMissed);
      continue;
    }
    if (img.outcome != Outcome::kMisread || img.entry->set == kiosk::vision::kNoCodeSet) continue;
    std::string read;
    for (const auto& r : img.read) read += kiosk::vision::escape_text(r) + " ";
    INFO(img.entry->path << ": expected " << kiosk::vision::escape_text(img.entry->expected) << ", read " << read);
    // A misread only where the label is wrong (a label_error note), and then the read is what the photo shows.
    CHECK(img.label_dispute());
    misreads += img.label_dispute() ? 0 : 1;
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

TEST_CASE("label notes: kinds, printed texts, and errors that name the line and why", "[vision][manifest]") {
  using kiosk::vision::NoteKind;
  const std::vector<kiosk::vision::ManifestEntry> manifest{
      {"ean13/a.png", "ean13", "9780804816632"},
      {"databar_expanded/b.png", "databar_expanded", "101098 1234"},
  };
  auto parse = [&](const std::string& text, bool with_manifest = true) {
    std::istringstream in(text);
    return kiosk::vision::parse_label_notes(in, "notes.tsv", with_manifest ? &manifest : nullptr);
  };
  const std::string header = "path\tkind\treason\tprinted\n";

  auto good = parse(header +
                    "ean13/a.png\tlabel_error\tthe photo shows another code\t9784872348880\n"
                    "\n"
                    "databar_expanded/b.png\tinvalid_gs1\tspace in (10)\n");
  INFO((good ? "" : good.message()));
  REQUIRE(good);
  REQUIRE(good->size() == 2);
  CHECK(good->at("ean13/a.png").kind == NoteKind::kLabelError);
  CHECK(good->at("ean13/a.png").printed == "9784872348880");
  CHECK(good->at("databar_expanded/b.png").kind == NoteKind::kInvalidGs1);
  CHECK(good->at("databar_expanded/b.png").reason == "space in (10)");
  CHECK(good->at("databar_expanded/b.png").printed.empty());
  auto escaped = parse(header + "ean13/a.png\tlabel_error\tGS1\t10ab\\x1d21x\n");
  REQUIRE(escaped);
  CHECK(escaped->at("ean13/a.png").printed ==
        "10ab\x1d"
        "21x");

  // Each error names the file and line, and why.
  auto error = [&](const std::string& text, bool with_manifest = true) {
    auto notes = parse(text, with_manifest);
    CHECK_FALSE(notes);
    return notes ? std::string() : notes.message();
  };
  auto bad_kind = error(header + "databar_expanded/b.png\tinvalid_gs1\tok\nean13/a.png\twrong_label\twhy\t1\n");
  CHECK(bad_kind.find("notes.tsv:3") != std::string::npos);
  CHECK(bad_kind.find("unknown kind 'wrong_label'") != std::string::npos);
  auto short_line = error(header + "ean13/a.png\tlabel_error\n");
  CHECK(short_line.find("notes.tsv:2") != std::string::npos);
  CHECK(short_line.find("found 2 column(s)") != std::string::npos);
  CHECK(error(header + "ean13/a.png\tlabel_error\twhy\t1\textra\n").find("notes.tsv:2: expected") != std::string::npos);
  CHECK(error(header + "ean13/a.png\tlabel_error\t\t1\n").find("notes.tsv:2: empty path or reason") !=
        std::string::npos);
  CHECK(error(header + "ean13/a.png\tlabel_error\twhy\n").find("notes.tsv:2: a label_error needs the printed") !=
        std::string::npos);
  CHECK(error(header + "databar_expanded/b.png\tinvalid_gs1\twhy\t1012\n").find("notes.tsv:2: an invalid_gs1") !=
        std::string::npos);
  CHECK(error(header + "ean13/a.png\tlabel_error\twhy\t12\\q\n").find("notes.tsv:2: printed text: bad escape") !=
        std::string::npos);
  CHECK(error(header + "ean13/a.png\tlabel_error\twhy\t1\nean13/a.png\tlabel_error\tagain\t2\n")
            .find("notes.tsv:3: a second note for ean13/a.png") != std::string::npos);
  // Against the manifest: the path must be one of its images, and a label error must differ from its label.
  CHECK(error(header + "ean13/zz.png\tlabel_error\twhy\t1\n").find("notes.tsv:2: ean13/zz.png is not an image") !=
        std::string::npos);
  CHECK(parse(header + "ean13/zz.png\tlabel_error\twhy\t1\n", false));
  CHECK(error(header + "ean13/a.png\tlabel_error\twhy\t9780804816632\n").find("notes.tsv:2: the printed text") !=
        std::string::npos);
  CHECK(kiosk::vision::read_label_notes(kDir + "/no-such.tsv").message().find("cannot open") != std::string::npos);
}

namespace {

// Reports the scripted texts, one list per decode call in order, whatever the image.
class ScriptedDecoder final : public kiosk::vision::Decoder {
 public:
  explicit ScriptedDecoder(std::vector<std::vector<std::string>> reads) : reads_(std::move(reads)) {}
  std::vector<kiosk::vision::Detection> decode(const cv::Mat&) override {
    std::vector<kiosk::vision::Detection> found;
    if (next_ < reads_.size()) {
      for (const auto& text : reads_[next_]) {
        kiosk::vision::Detection d;
        d.symbology = kiosk::vision::Symbology::kQrCode;
        d.text = text;
        found.push_back(std::move(d));
      }
    }
    ++next_;
    return found;
  }

 private:
  std::vector<std::vector<std::string>> reads_;
  std::size_t next_ = 0;
};

}  // namespace

TEST_CASE("scoring with label notes: disputes, reads of a wrong label, invalid labels and the rate on valid labels",
          "[vision][manifest]") {
  using kiosk::vision::NoteKind;
  using kiosk::vision::Outcome;
  const std::vector<kiosk::vision::ManifestEntry> entries{
      {"ean13/ean13-2_23.png", "ean13", "9780804816632"},                            // label error, read as printed
      {"ean13/ean13-1_25.png", "ean13", "9780140013993"},                            // label error, read as the label
      {"ean13/ean13-2_25.png", "ean13", "9784872348880"},                            // missed
      {"ean13/ean13-3_30.png", "ean13", "9780201310054"},                            // misread, no note
      {"databar_expanded/rssexpanded-3_42.png", "databar_expanded", "101098 1234"},  // invalid, missed
  };
  const kiosk::vision::LabelNotes notes{
      {"ean13/ean13-2_23.png", {NoteKind::kLabelError, "another code", "9784872348880"}},
      {"ean13/ean13-1_25.png", {NoteKind::kLabelError, "add-on", "978014001399392902"}},
      {"databar_expanded/rssexpanded-3_42.png", {NoteKind::kInvalidGs1, "space in (10)", ""}},
  };
  const std::vector<std::vector<std::string>> reads{{"9784872348880"}, {"9780140013993"}, {}, {"9780201310055"}, {}};

  ScriptedDecoder decoder(reads);
  auto score = kiosk::vision::score_manifest(entries, kDir, decoder, &notes);
  INFO((score ? "" : score.message()));
  REQUIRE(score);
  REQUIRE(score->images.size() == 5);
  const auto& img = score->images;
  CHECK(img[0].outcome == Outcome::kMisread);
  CHECK(img[0].photo_outcome == Outcome::kCorrect);
  CHECK(img[0].label_dispute());
  CHECK(img[1].outcome == Outcome::kCorrect);
  CHECK(img[1].photo_outcome == Outcome::kMisread);
  CHECK_FALSE(img[1].label_dispute());
  CHECK(img[3].photo_outcome == Outcome::kMisread);
  CHECK_FALSE(img[3].label_dispute());
  CHECK(img[3].note == nullptr);
  CHECK(img[4].invalid_label());
  REQUIRE(score->sets.size() == 2);
  const auto& exp = score->sets[0];
  CHECK(exp.set == "databar_expanded");
  CHECK(exp.invalid_labels == 1);
  CHECK(exp.missed == 1);
  CHECK(exp.rate_valid() == 0.0);  // no valid label
  const auto& ean = score->sets[1];
  CHECK(ean.set == "ean13");
  CHECK(ean.images == 4);
  CHECK(ean.correct == 1);
  CHECK(ean.misread == 2);
  CHECK(ean.missed == 1);
  CHECK(ean.label_errors == 1);
  CHECK(ean.invalid_labels == 0);
  CHECK(ean.misread_photo == 2);
  CHECK(ean.correct_valid == 1);
  CHECK(ean.rate() == 0.25);
  CHECK(ean.rate_valid() == 0.25);

  // Without notes: the photo outcome is the label's, and no label counts.
  ScriptedDecoder again(reads);
  auto plain = kiosk::vision::score_manifest(entries, kDir, again);
  REQUIRE(plain);
  for (const auto& i : plain->images) {
    CHECK(i.photo_outcome == i.outcome);
    CHECK(i.note == nullptr);
  }
  CHECK(plain->sets[1].label_errors == 0);
  CHECK(plain->sets[1].misread_photo == 2);
  CHECK(plain->sets[1].correct_valid == 1);
  CHECK(plain->sets[0].invalid_labels == 0);
}

TEST_CASE("the label notes beside the photos: every path an image of the manifest, both kinds present",
          "[vision][manifest]") {
  auto entries = kiosk::vision::read_manifest(kDir + "/manifest.tsv");
  REQUIRE(entries);
  auto notes = kiosk::vision::read_label_notes(kNotes, &*entries);
  INFO((notes ? "" : notes.message()));
  REQUIRE(notes);
  int invalid = 0, label_errors = 0;
  for (const auto& [path, note] : *notes) {
    (note.kind == kiosk::vision::NoteKind::kInvalidGs1 ? invalid : label_errors) += 1;
  }
  CHECK(invalid == 8);
  CHECK(label_errors == 2);
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
