// The Magellan single-cable frame parser: every scale status, weights in both modes, barcodes, and
// a seeded fuzz of garbage and cut frames that must never yield a weight or a scan.
#include <catch2/catch.hpp>

#include <random>

#include "magellan.h"

using namespace kiosk::scale;

TEST_CASE("Magellan S14 statuses 0-5") {
  struct Case {
    const char* frame;
    MagellanStatus status;
    std::optional<std::int64_t> mg;
  };
  for (const Case& c :
       {Case{"S140", MagellanStatus::kNoZero, std::nullopt}, Case{"S141", MagellanStatus::kMotion, std::nullopt},
        Case{"S142", MagellanStatus::kOverCapacity, std::nullopt}, Case{"S143", MagellanStatus::kStableZero, 0},
        Case{"S14401234\r", MagellanStatus::kStable, 1'234'000},
        Case{"S145", MagellanStatus::kUnderZero, std::nullopt}}) {
    INFO(c.frame);
    auto f = parse_magellan_frame(c.frame);
    REQUIRE(f);
    CHECK(f->kind == MagellanFrame::Kind::kStatus);
    CHECK(f->status == c.status);
    CHECK(f->weight_mg == c.mg);
    CHECK_FALSE(to_string(f->status).empty());
  }
}

TEST_CASE("Magellan S11 weights: grams in metric mode, hundredths of a pound in pounds mode") {
  auto m = parse_magellan_frame("S1100250");
  REQUIRE(m);
  CHECK(m->kind == MagellanFrame::Kind::kWeight);
  CHECK(m->weight_mg == 250'000);
  auto lb = parse_magellan_frame("S110123", MagellanUnits::kPounds);
  REQUIRE(lb);
  CHECK(lb->weight_mg == 557'919);                                         // 1.23 × 453.59237 g = 557.9186 g
  CHECK(*parse_magellan_weight("0001", MagellanUnits::kPounds) == 4'536);  // 4.5359 g, to the nearest mg
  CHECK(*parse_magellan_weight("99999", MagellanUnits::kMetric) == 99'999'000);
  // The mode is fixed: a frame one digit short is not read as the other mode's weight.
  CHECK_FALSE(parse_magellan_frame("S110025"));
  CHECK_FALSE(parse_magellan_frame("S1100250", MagellanUnits::kPounds));
  CHECK_FALSE(parse_magellan_frame("S1440025"));
}

TEST_CASE("Magellan S08 barcodes by label id, with GTIN-14 for EAN/UPC") {
  struct Case {
    const char* frame;
    ScanSymbology sym;
    const char* text;
    const char* gtin14;
  };
  for (const Case& c : {Case{"S08F7310865004703", ScanSymbology::kEan13, "7310865004703", "07310865004703"},
                        Case{"S08FF96385074", ScanSymbology::kEan8, "96385074", "00000096385074"},
                        Case{"S08A036000291452", ScanSymbology::kUpcA, "036000291452", "00036000291452"},
                        Case{"S08E04252614", ScanSymbology::kUpcE, "04252614", "00042100005264"},
                        Case{"S08F731086500470312", ScanSymbology::kEan13, "731086500470312", "07310865004703"},
                        Case{"S08B3ABC-123", ScanSymbology::kCode128, "ABC-123", ""},
                        Case{"S08B1*CODE39*", ScanSymbology::kCode39, "*CODE39*", ""},
                        Case{"S08B21234567890", ScanSymbology::kItf, "1234567890", ""}}) {
    INFO(c.frame);
    auto f = parse_magellan_frame(c.frame);
    REQUIRE(f);
    CHECK(f->kind == MagellanFrame::Kind::kScan);
    CHECK(f->scan.symbology == c.sym);
    CHECK(f->scan.text == c.text);
    CHECK(f->scan.gtin14 == c.gtin14);
    CHECK_FALSE(f->weight_mg);
  }
}

TEST_CASE("Magellan garbage and partial frames are errors that say why") {
  for (const char* bad : {"",
                          "S",
                          "S1",
                          "S14",
                          "S146",
                          "S14A",
                          "S144",
                          "S1440025",
                          "S14400000",
                          "S1430000",
                          "S11",
                          "S11abcde",
                          "S1100250x",
                          "S08",
                          "S08F",
                          "S08F731086500470",
                          "S08F7310865004704",
                          "S08Q123",
                          "S08B3",
                          "X1100250",
                          "s1100250",
                          "S14\x01"
                          "3",
                          "S11 0250",
                          "\xff\xfe"}) {
    INFO("frame: " << bad);
    auto f = parse_magellan_frame(bad);
    CHECK_FALSE(f);
    if (!f) CHECK_FALSE(f.message().empty());
  }
  auto f = parse_magellan_frame("S08F7310865004704");
  REQUIRE_FALSE(f);
  CHECK_THAT(f.message(), Catch::Contains("check digit"));
}

namespace {
// The canonical text of a parsed frame: what a scale would have sent to produce it.
std::string canonical(const MagellanFrame& f) {
  auto digits = [](std::int64_t mg) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%05lld", static_cast<long long>(mg / 1000));
    return std::string(buf);
  };
  switch (f.kind) {
    case MagellanFrame::Kind::kWeight:
      return "S11" + digits(*f.weight_mg);
    case MagellanFrame::Kind::kStatus:
      return "S14" + std::to_string(static_cast<int>(f.status)) +
             (f.status == MagellanStatus::kStable ? digits(*f.weight_mg) : "");
    case MagellanFrame::Kind::kScan:
      break;
  }
  return "";
}
}  // namespace

TEST_CASE("Magellan parser fuzz: random and mutated frames never crash, and a weight only comes from a whole frame") {
  std::mt19937 rng(20261127);
  const std::string valid[] = {"S1100250", "S14401234", "S143", "S141", "S08F7310865004703", "S08FF96385074"};
  const std::string alphabet = "S0123456789148FABE\r\n \x7f\x01";
  int weights = 0, rejected = 0;
  for (int i = 0; i < 200'000; ++i) {
    std::string s;
    const int mode = static_cast<int>(rng() % 3);
    if (mode == 0) {  // random bytes from a frame-like alphabet
      const std::size_t n = rng() % 12;
      for (std::size_t k = 0; k < n; ++k) s += alphabet[rng() % alphabet.size()];
    } else {  // a valid frame cut, with a byte flipped, dropped or inserted
      s = valid[rng() % std::size(valid)];
      const std::size_t pos = rng() % s.size();
      if (mode == 1)
        s[pos] = static_cast<char>(rng() % 256);
      else if (rng() % 2)
        s.erase(pos, 1);
      else
        s.insert(pos, 1, static_cast<char>('0' + rng() % 10));
    }
    auto f = parse_magellan_frame(s);
    if (!f) {
      ++rejected;
      continue;
    }
    if (f->kind == MagellanFrame::Kind::kScan) {
      // A scan passed only with a correct check digit (EAN/UPC) or as free text of its label id.
      CHECK(s.rfind("S08", 0) == 0);
      continue;
    }
    ++weights;
    std::string sent = s;
    if (!sent.empty() && sent.back() == '\r') sent.pop_back();
    INFO("input '" << s << "'");
    CHECK(canonical(*f) == sent);  // the weight is exactly what a well-formed frame says
  }
  CHECK(rejected > 100'000);
  CHECK(weights > 0);
}
