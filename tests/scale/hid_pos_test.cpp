// USB HID POS scale reports: the captured golden vectors, every status and unit, exponents, the
// zero report, and the stream splitter under a seeded fuzz of garbage and cut reports.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "hid_pos.h"
#include "hid_responder.h"

using namespace kiosk::scale;
using Bytes = std::vector<std::uint8_t>;

namespace {
kiosk::Result<HidScaleReport> decode(const Bytes& b) {
  return decode_hid_scale_report(b);
}
}  // namespace

TEST_CASE("HID POS golden vectors: 878 g stable, 5.6 oz stable, under zero") {
  auto g = decode({0x03, 0x04, 0x02, 0x00, 0x6e, 0x03});
  REQUIRE(g);
  CHECK(g->status == HidScaleStatus::kStable);
  CHECK(g->unit == HidWeightUnit::kGram);
  CHECK(g->exponent == 0);
  CHECK(g->value == 878);
  CHECK(g->weight_mg == 878'000);

  auto oz = decode({0x03, 0x04, 0x0b, 0xff, 0x38, 0x00});
  REQUIRE(oz);
  CHECK(oz->status == HidScaleStatus::kStable);
  CHECK(oz->unit == HidWeightUnit::kOunce);
  CHECK(oz->exponent == -1);
  CHECK(oz->value == 56);
  CHECK(oz->weight_mg == 158'757);  // 5.6 × 28.349523125 g = 158.7573295 g, to the nearest mg

  auto under = decode({0x03, 0x05, 0x0b, 0xff, 0x00, 0x00});
  REQUIRE(under);
  CHECK(under->status == HidScaleStatus::kUnderZero);
  CHECK_FALSE(under->weight_mg);  // no weight to trust below zero
}

TEST_CASE("HID POS statuses 1-8: only zero, motion and stable carry a weight") {
  for (std::uint8_t st = 1; st <= 8; ++st) {
    INFO("status " << int(st));
    auto r = decode({0x03, st, 0x02, 0x00, 0x10, 0x00});
    REQUIRE(r);
    CHECK(static_cast<int>(r->status) == st);
    CHECK_FALSE(to_string(r->status).empty());
    const bool weighs = st == 2 || st == 3 || st == 4;
    CHECK(r->weight_mg.has_value() == weighs);
    if (weighs) CHECK(*r->weight_mg == 16'000);
  }
}

TEST_CASE("HID POS units 1-12 convert to mg") {
  struct Case {
    HidWeightUnit unit;
    std::uint16_t value;
    std::int8_t exp;
    std::int64_t mg;
  };
  for (const Case& c : {
           Case{HidWeightUnit::kMilligram, 1234, 0, 1234}, Case{HidWeightUnit::kGram, 12345, -2, 123'450},
           Case{HidWeightUnit::kKilogram, 1500, -3, 1'500'000}, Case{HidWeightUnit::kCarat, 5, 0, 1000},
           Case{HidWeightUnit::kTael, 1, 0, 37'799},                                                    // 37.79936375 g
           Case{HidWeightUnit::kGrain, 100, 0, 6'480},                                                  // 6479.891 mg
           Case{HidWeightUnit::kPennyweight, 10, 0, 15'552},                                            // 15551.7384 mg
           Case{HidWeightUnit::kMetricTon, 1, -3, 1'000'000},                                           // 1 kg
           Case{HidWeightUnit::kAvoirTon, 1, -3, 907'185},                                              // 907.18474 g
           Case{HidWeightUnit::kTroyOunce, 1, 0, 31'103},                                               // 31.1034768 g
           Case{HidWeightUnit::kOunce, 16, 0, 453'592}, Case{HidWeightUnit::kPound, 123, -2, 557'919},  // 1.23 lb
           Case{HidWeightUnit::kGram, 5, 2, 500'000},  // positive exponent: 5 × 10² g
       }) {
    INFO(to_string(c.unit) << " " << c.value << "e" << int(c.exp));
    auto mg = hid_weight_mg(c.value, c.exp, c.unit);
    REQUIRE(mg);
    CHECK(*mg == c.mg);
  }
  CHECK(*hid_weight_mg(1, -4, HidWeightUnit::kGram) == 0);         // 0.1 mg rounds to 0
  CHECK(*hid_weight_mg(5, -4, HidWeightUnit::kGram) == 1);         // 0.5 mg rounds half up
  CHECK_FALSE(hid_weight_mg(1, 19, HidWeightUnit::kGram));         // exponent out of range
  CHECK_FALSE(hid_weight_mg(65535, 6, HidWeightUnit::kKilogram));  // past 1000 t
}

TEST_CASE("HID POS malformed reports are rejected and say which byte") {
  struct Case {
    Bytes b;
    const char* why;
  };
  for (const Case& c :
       {Case{{0x03, 0x04, 0x02, 0x00, 0x6e}, "5 bytes"}, Case{{0x03, 0x04, 0x02, 0x00, 0x6e, 0x03, 0x00}, "7 bytes"},
        Case{{0x02, 0x04, 0x02, 0x00, 0x6e, 0x03}, "report id"}, Case{{0x03, 0x00, 0x02, 0x00, 0x6e, 0x03}, "status 0"},
        Case{{0x03, 0x09, 0x02, 0x00, 0x6e, 0x03}, "status 9"}, Case{{0x03, 0x04, 0x00, 0x00, 0x6e, 0x03}, "unit 0"},
        Case{{0x03, 0x04, 0x0d, 0x00, 0x6e, 0x03}, "unit 13"}, Case{{0x03, 0x04, 0x02, 0x7f, 0x6e, 0x03}, "exponent"},
        Case{{}, "0 bytes"}}) {
    INFO(c.why);
    auto r = decode(c.b);
    CHECK_FALSE(r);
    if (!r) CHECK_FALSE(r.message().empty());
  }
}

TEST_CASE("HID POS zero output report: report id 2, Zero Scale bit") {
  const auto z = hid_zero_report();
  CHECK(z[0] == 0x02);
  CHECK(z[1] == 0x02);
}

TEST_CASE("the simulator's reports decode to what it weighs (878 g is the golden vector)") {
  const auto r = kiosk::scale::sim::hid_report(4, 878'000);
  CHECK(Bytes(r.begin(), r.end()) == Bytes{0x03, 0x04, 0x02, 0x00, 0x6e, 0x03});
  for (std::int64_t mg : {0LL, 1LL, 999LL, 12'345LL, 65'534LL, 65'535LL, 250'000LL, 1'234'567LL, 29'999'000LL}) {
    INFO(mg << " mg");
    const auto b = kiosk::scale::sim::hid_report(4, mg);
    auto d = decode_hid_scale_report(b);
    REQUIRE(d);
    // Encoded in g with as many decimals as fit 16 bits: exact up to 65.534 g, then rounded.
    const std::int64_t resolution = mg <= 65'534 ? 1 : mg <= 655'340 ? 10 : mg <= 6'553'400 ? 100 : 1000;
    CHECK(std::llabs(*d->weight_mg - mg) <= resolution / 2);
  }
}

TEST_CASE("the splitter reads aligned reports one per read, and bursts of a stream from their end") {
  const Bytes rep{0x03, 0x04, 0x02, 0x00, 0x6e, 0x03};
  HidReportSplitter aligned;
  CHECK(aligned.feed(rep, true).size() == 1);
  CHECK(aligned.feed(Bytes{0x03, 0x04, 0x02}, true).empty());  // a short read is not a report
  CHECK(aligned.rejected_bytes() == 3);

  HidReportSplitter s;
  Bytes burst;
  for (int i = 0; i < 3; ++i) burst.insert(burst.end(), rep.begin(), rep.end());
  CHECK(s.feed(burst, false).size() == 3);
  // Noise 03 then 878 g reports: one byte out of step they read as 03 03 04 02 00 6e, valid again
  // and again (the report ends in 03). From the end of the burst the step is right.
  Bytes shifted{0x03};
  shifted.insert(shifted.end(), burst.begin(), burst.end());
  auto got = s.feed(shifted, false);
  REQUIRE(got.size() == 3);
  for (const auto& r : got) CHECK(r.weight_mg == 878'000);
  CHECK(s.rejected_bytes() == 1);
  // A report cut short ahead of whole ones is dropped; noise after the last report drops the burst.
  Bytes cut{0x03, 0x04, 0x02};
  cut.insert(cut.end(), rep.begin(), rep.end());
  CHECK(s.feed(cut, false).size() == 1);
  Bytes tail = rep;
  tail.push_back(0x42);
  CHECK(s.feed(tail, false).empty());
  // A change of unit passes only when it repeats.
  const Bytes oz{0x03, 0x04, 0x0b, 0xff, 0x38, 0x00};
  CHECK(s.feed(oz, false).empty());
  CHECK(s.feed(oz, false).size() == 1);
}

// The scale writes whole reports; line noise comes in between. A report is cut only where reading
// starts in the middle of one (opening the device mid-report), so only at a burst's start, and the
// scale's next report follows it. A read burst is any run of such writes between two reads.
// (Noise that completes a cut report, or forms a valid report of its own, cannot be told apart:
// HID reports carry no checksum. On hidraw the USB CRC and the report boundaries rule both out.)
TEST_CASE("HID stream fuzz: noise and cut reports never produce a weight that was not sent") {
  std::mt19937 rng(5);
  const std::vector<Bytes> sent{{0x03, 0x04, 0x02, 0x00, 0x6e, 0x03},
                                {0x03, 0x04, 0x02, 0x00, 0x10, 0x00},
                                {0x03, 0x05, 0x02, 0x00, 0x00, 0x00},
                                {0x03, 0x03, 0x02, 0x00, 0x10, 0x00}};
  std::size_t good = 0, bursts_with_report = 0;
  HidReportSplitter s;
  for (int round = 0; round < 20'000; ++round) {
    Bytes burst;
    bool has_whole = false;
    const int writes = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < writes; ++k) {
      int what = k == 0 ? static_cast<int>(rng() % 3) : static_cast<int>(rng() % 3 == 0 ? 0 : 2);
      if (k == 1 && burst.size() % 6 != 0 && !has_whole) what = 2;  // after a cut: the next report
      if (what == 0) {                                              // line noise
        const std::size_t n = 1 + rng() % 9;
        for (std::size_t i = 0; i < n; ++i) burst.push_back(static_cast<std::uint8_t>(rng()));
      } else if (what == 1) {  // a cut report
        const Bytes& r = sent[rng() % sent.size()];
        burst.insert(burst.end(), r.begin(), r.begin() + static_cast<std::ptrdiff_t>(1 + rng() % 5));
      } else {  // a whole report
        const Bytes& r = sent[rng() % sent.size()];
        burst.insert(burst.end(), r.begin(), r.end());
        has_whole = true;
      }
    }
    const auto out = s.feed(burst, false);
    if (!out.empty()) ++bursts_with_report;
    for (const auto& r : out) {
      const Bytes got{3,
                      static_cast<std::uint8_t>(r.status),
                      static_cast<std::uint8_t>(r.unit),
                      static_cast<std::uint8_t>(r.exponent),
                      static_cast<std::uint8_t>(r.value & 0xff),
                      static_cast<std::uint8_t>(r.value >> 8)};
      INFO("burst of " << burst.size() << " bytes gave " << int(got[1]) << " " << int(got[2]) << " " << int(got[3])
                       << " " << int(got[4]) << " " << int(got[5]));
      CHECK(std::find(sent.begin(), sent.end(), got) != sent.end());
      CHECK(has_whole);
      ++good;
    }
  }
  CHECK(s.rejected_bytes() > 0);
  CHECK(bursts_with_report > 4000);  // the bursts that end in a whole report get through
}
