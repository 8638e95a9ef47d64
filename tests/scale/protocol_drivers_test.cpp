// Every protocol's statuses and errors through the real drivers, against the real scale-sim
// speaking that protocol on its pseudo-terminal: MT-SICS, Magellan single-cable, USB HID POS.
// Also: line noise and cut frames injected onto the line never give a false weight, and a scale
// unplugged (the simulator gone with its pty) and plugged back in is found again.
#include <catch2/catch.hpp>

#include <poll.h>
#include <functional>

#include "common/clock.h"
#include "hid_pos_scale.h"
#include "magellan_scale.h"
#include "mtsics_scale.h"
#include "sim_process.h"
#include "temp_dir.h"

using namespace std::chrono_literals;
using namespace kiosk::scale;
namespace fs = std::filesystem;
using scale_test::Sim;

namespace {

// Polls `pred` every 20 ms until it holds or `within` passes (each call talks to the device).
bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds within = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    ::poll(nullptr, 0, 20);
  }
  return pred();
}

bool near(std::int64_t a, std::int64_t b, std::int64_t tol = 1000) {
  return std::llabs(a - b) <= tol;
}

MtSicsResponse must(const kiosk::Result<MtSicsResponse>& r) {
  REQUIRE(r);
  return *r;
}

// Waits until the device reports a stable weight.
bool settles(ScaleDevice& dev) {
  return eventually([&] {
    auto w = dev.read_weight();
    return w && w->device_stable;
  });
}

// Injects `frames` (hex bytes for scale-sim's `inject`) onto the line one after another, `rounds` in all, reading
// the weight after each (waiting `pause` first for a device that reports on its own). Every weight read must be
// `truth`; returns how many reads gave one.
int weights_through_noise(Sim& sim, ScaleDevice& dev, const std::vector<const char*>& frames, int rounds,
                          std::int64_t truth, std::chrono::milliseconds pause = 0ms) {
  int ok = 0;
  for (int i = 0; i < rounds; ++i) {
    CHECK(sim.ctl(std::string("inject ") + frames[static_cast<std::size_t>(i) % frames.size()]).rfind("ok", 0) == 0);
    if (pause > 0ms) ::poll(nullptr, 0, static_cast<int>(pause.count()));
    auto w = dev.read_weight();
    if (!w) continue;
    ++ok;
    INFO("weight " << w->weight_mg);
    CHECK(near(w->weight_mg, truth));
  }
  return ok;
}

struct Fixture {
  kiosk::test::TempDir dir{"scale-proto"};
  kiosk::SystemClock clock;
  fs::path link = dir.path() / "ttyScale";
  fs::path ctl = dir.path() / "scale.ctl";
};

}  // namespace

TEST_CASE("MT-SICS: every status and error through the driver over a pty", "[integration]") {
  Fixture f;
  Sim sim(f.link, f.ctl, 11, {"--stable-timeout-ms", "100"});
  MtSicsOptions o;
  o.device = f.link.string();
  o.backoff_min = 50ms;
  MtSicsScale dev(o, f.clock);

  // S S and S D; S I when no stability comes within the scale's timeout.
  REQUIRE(settles(dev));
  auto s = must(dev.command("S", 1s));
  CHECK((s.id == "S" && s.status == MtSicsStatus::kStable && near(*s.weight_mg, 0)));
  CHECK(sim.ctl("place 250000") == "ok 250000");
  auto d = must(dev.command("SI", 1s));
  CHECK(d.status == MtSicsStatus::kDynamic);
  REQUIRE(d.weight_mg);
  CHECK(sim.ctl("place 1000") == "ok 251000");
  CHECK(must(dev.command("S", 1s)).status == MtSicsStatus::kBusy);  // S I
  auto sir = must(dev.command("SIR", 1s));                          // the first of the repeated answers
  CHECK(sir.id == "S");

  // Zero and tare: A, I, + and - answers, and the driver's mapping of them.
  REQUIRE(settles(dev));
  CHECK(must(dev.command("Z", 1s)).status == MtSicsStatus::kDone);  // 251 g is within 2 % of 30 kg
  CHECK(must(dev.command("ZI", 1s)).status == MtSicsStatus::kStable);
  CHECK(sim.ctl("place 5000000") == "ok 5251000");
  CHECK(must(dev.command("Z", 1s)).status == MtSicsStatus::kBusy);  // moving: Z I
  REQUIRE(settles(dev));
  CHECK(must(dev.command("Z", 1s)).status == MtSicsStatus::kOverload);  // 5 kg is beyond the zero range
  CHECK_FALSE(dev.zero());
  auto tare = dev.tare();
  REQUIRE(tare);
  CHECK(near(*tare, 5'000'000));
  auto ta = must(dev.command("TA", 1s));
  CHECK((ta.status == MtSicsStatus::kDone && near(*ta.weight_mg, 5'000'000)));
  CHECK(must(dev.command("TA 12.5 lb", 1s)).status == MtSicsStatus::kLogical);  // TA L
  CHECK(must(dev.command("TA 100.000 g", 1s)).weight_mg == 100'000);
  CHECK(must(dev.command("TAC", 1s)).status == MtSicsStatus::kDone);
  CHECK(sim.ctl("place 1000") == "ok 5252000");
  CHECK(must(dev.command("T", 1s)).status == MtSicsStatus::kBusy);  // T I

  CHECK(sim.ctl("fault overload") == "ok");
  for (const char* cmd : {"SI", "S", "Z", "T"}) CHECK(must(dev.command(cmd, 1s)).status == MtSicsStatus::kOverload);
  CHECK_FALSE(dev.read_weight());
  CHECK(dev.status().state == DeviceState::kError);
  CHECK(sim.ctl("fault underload") == "ok");
  for (const char* cmd : {"SI", "S", "Z", "T"}) CHECK(must(dev.command(cmd, 1s)).status == MtSicsStatus::kUnderload);
  CHECK_FALSE(dev.read_weight());
  CHECK_THAT(dev.status().detail, Catch::Contains("underload"));
  CHECK(sim.ctl("fault none") == "ok");

  // Identification and reset.
  for (const char* cmd : {"I1", "I2", "I3", "I4"}) {
    auto r = must(dev.command(cmd, 1s));
    CHECK((r.id == cmd && r.status == MtSicsStatus::kDone && !r.texts.empty()));
  }
  auto reset = must(dev.command("@", 1s));
  CHECK((reset.id == "I4" && reset.texts == std::vector<std::string>{"B123456789"}));

  // The three command errors.
  CHECK(must(dev.command("XYZ", 1s)).error == MtSicsError::kSyntax);
  CHECK(must(dev.command("SI 5", 1s)).error == MtSicsError::kLogical);
  CHECK(must(dev.command(std::string(80, 'S'), 1s)).error == MtSicsError::kTransmission);
  CHECK(dev.read_weight());
  CHECK(dev.status().state == DeviceState::kOnline);
}

TEST_CASE("MT-SICS: line noise and cut frames on the line give no false weight", "[integration]") {
  Fixture f;
  Sim sim(f.link, f.ctl);
  MtSicsOptions o;
  o.device = f.link.string();
  MtSicsScale dev(o, f.clock);
  CHECK(sim.ctl("set 400000") == "ok 400000");
  REQUIRE(settles(dev));
  // Noise and cut frames between the answers: "S S   12" (no unit), binary noise, a lone CR.
  const std::vector<const char*> noise{"5320532020203132", "0d0a", "00ff7f80", "5320530d0a",
                                       "532044202031322e30302067"};
  CHECK(weights_through_noise(sim, dev, noise, 40, 400'000) > 20);
}

TEST_CASE("Magellan: statuses 0-5, S11, scans and errors through the driver over a pty", "[integration]") {
  Fixture f;
  Sim sim(f.link, f.ctl, 11, {"--protocol", "magellan"});
  MagellanOptions o;
  o.device = f.link.string();
  o.backoff_min = 50ms;
  MagellanScale dev(o, f.clock);

  // 3: stable at zero.
  REQUIRE(settles(dev));
  auto zero = dev.read_weight();
  REQUIRE(zero);
  CHECK(zero->weight_mg == 0);
  // 1: in motion, no weight, but online.
  CHECK(sim.ctl("place 250000") == "ok 250000");
  auto moving = dev.read_weight();
  REQUIRE_FALSE(moving);
  CHECK_THAT(moving.message(), Catch::Contains("in motion"));
  CHECK(dev.status().state == DeviceState::kOnline);
  // 4: stable non-zero weight, in grams.
  std::int64_t got = -1;
  REQUIRE(eventually([&] {
    auto w = dev.read_weight();
    if (w) got = w->weight_mg;
    return w.is_ok();
  }));
  CHECK(near(got, 250'000));
  // S11: the weight request.
  auto s11 = dev.request("S11", 1s);
  REQUIRE(s11);
  CHECK(s11->kind == MagellanFrame::Kind::kWeight);
  CHECK(near(*s11->weight_mg, 250'000));
  // 2, 5, 0: over capacity, under zero, cannot find zero.
  for (auto [fault, detail] : {std::pair{"overload", "over capacity"}, std::pair{"underload", "under zero"},
                               std::pair{"calibration", "cannot find zero"}}) {
    INFO(fault);
    CHECK(sim.ctl(std::string("fault ") + fault) == "ok");
    CHECK_FALSE(dev.read_weight());
    CHECK(dev.status().state == DeviceState::kError);
    CHECK_THAT(dev.status().detail, Catch::Contains(detail));
  }
  CHECK(sim.ctl("fault none") == "ok");
  CHECK(dev.read_weight());
  CHECK(dev.status().state == DeviceState::kOnline);
  // No zero or tare command in this protocol: a clear refusal.
  CHECK(dev.zero().error().code == kiosk::ErrorCode::kFailedPrecondition);
  CHECK_FALSE(dev.tare());

  // Barcodes arrive between the weight answers and are handed over once, in order.
  CHECK(sim.ctl("scan 7310865004703") == "ok");
  CHECK(sim.ctl("scan 04252614 upce") == "ok");
  CHECK(sim.ctl("scan 7310865004704") == "ok");  // a bad check digit: not passed on
  CHECK(sim.ctl("scan nope fancy").rfind("err", 0) == 0);
  std::vector<ScannerScan> scans;
  REQUIRE(eventually([&] {
    (void)dev.read_weight();
    for (auto& s : dev.take_scans()) scans.push_back(s);
    return scans.size() >= 2;
  }));
  REQUIRE(scans.size() == 2);
  CHECK(scans[0].symbology == ScanSymbology::kEan13);
  CHECK(scans[0].gtin14 == "07310865004703");
  CHECK(scans[0].seq == 1);
  CHECK(scans[0].source == f.link.string());
  CHECK(scans[1].symbology == ScanSymbology::kUpcE);
  CHECK(scans[1].gtin14 == "00042100005264");
  CHECK(dev.take_scans().empty());

  // No answer at all: OFFLINE, and back when the line is.
  CHECK(sim.ctl("fault offline") == "ok");
  CHECK_FALSE(dev.read_weight());
  CHECK(dev.status().state == DeviceState::kOffline);
  CHECK(sim.ctl("fault none") == "ok");
  REQUIRE(eventually([&] { return dev.read_weight().is_ok(); }));
  CHECK(dev.status().state == DeviceState::kOnline);
}

TEST_CASE("Magellan: noise and cut frames on the line give no false weight or scan", "[integration]") {
  Fixture f;
  Sim sim(f.link, f.ctl, 11, {"--protocol", "magellan"});
  MagellanOptions o;
  o.device = f.link.string();
  MagellanScale dev(o, f.clock);
  CHECK(sim.ctl("set 400000") == "ok 400000");
  REQUIRE(eventually([&] { return dev.read_weight().is_ok(); }));
  // "S1440" cut, "S144123" short, "S1449" bad, "S08F731" cut barcode, binary noise, "S11" + 4 digits.
  const std::vector<const char*> noise{"53313434300d",   "533134343132330d", "533134340d",
                                       "53303846373331", "00ff80fe0d",       "53313130313233340d"};
  CHECK(weights_through_noise(sim, dev, noise, 36, 400'000) > 20);
  CHECK(dev.take_scans().empty());
}

TEST_CASE("HID POS: statuses 1-8, the zero report, and a silent scale through the driver", "[integration]") {
  Fixture f;
  Sim sim(f.link, f.ctl, 11, {"--protocol", "hid"});
  HidPosOptions o;
  o.device = f.link.string();
  o.stale_timeout = 500ms;
  o.backoff_min = 50ms;
  HidPosScale dev(o, f.clock);

  // 2: stable at zero.
  REQUIRE(eventually([&] {
    auto w = dev.read_weight();
    return w && w->device_stable && w->weight_mg == 0;
  }));
  CHECK(dev.last_report()->status == HidScaleStatus::kStableZero);
  // 3 then 4: in motion with a weight, then stable.
  CHECK(sim.ctl("place 250000") == "ok 250000");
  REQUIRE(eventually(
      [&] {
        auto w = dev.read_weight();
        return w && !w->device_stable;
      },
      2s));
  CHECK(dev.last_report()->status == HidScaleStatus::kInMotion);
  REQUIRE(eventually([&] {
    auto w = dev.read_weight();
    return w && w->device_stable && near(w->weight_mg, 250'000);
  }));
  CHECK(dev.last_report()->status == HidScaleStatus::kStable);

  // 6, 5, 1, 7, 8: the error statuses.
  for (auto [fault, detail] : {std::pair{"overload", "over weight limit"}, std::pair{"underload", "under zero"},
                               std::pair{"hardware", "fault"}, std::pair{"calibration", "requires calibration"},
                               std::pair{"rezero", "requires re-zeroing"}}) {
    INFO(fault);
    CHECK(sim.ctl(std::string("fault ") + fault) == "ok");
    REQUIRE(eventually([&] {
      (void)dev.read_weight();
      return dev.status().state == DeviceState::kError && dev.status().detail.find(detail) != std::string::npos;
    }));
    CHECK(sim.ctl("fault none") == "ok");
  }
  REQUIRE(eventually([&] { return dev.read_weight().is_ok(); }));
  CHECK(dev.status().state == DeviceState::kOnline);

  // The zero output report: 250 g on the platform (inside the zero range) becomes zero.
  REQUIRE(dev.zero());
  REQUIRE(eventually([&] {
    auto w = dev.read_weight();
    return w && w->device_stable && near(w->weight_mg, 0);
  }));
  CHECK_FALSE(dev.tare());

  // The scale stops reporting: OFFLINE after the stale timeout; back when reports come again.
  CHECK(sim.ctl("fault offline") == "ok");
  REQUIRE(eventually([&] { return !dev.read_weight() && dev.status().state == DeviceState::kOffline; }));
  CHECK(sim.ctl("fault none") == "ok");
  REQUIRE(eventually([&] { return dev.read_weight().is_ok(); }));
  CHECK(dev.status().state == DeviceState::kOnline);
}

TEST_CASE("HID POS: noise and cut reports on the stream give no false weight", "[integration]") {
  Fixture f;
  Sim sim(f.link, f.ctl, 11, {"--protocol", "hid"});
  HidPosOptions o;
  o.device = f.link.string();
  HidPosScale dev(o, f.clock);
  CHECK(sim.ctl("set 400000") == "ok 400000");
  REQUIRE(settles(dev));
  // A cut report (03 04 02), one that looks whole with the next report's start (516 kg), noise.
  const std::vector<const char*> noise{"030402", "03040203", "00ff0103", "0304", "0d0a0305"};
  CHECK(weights_through_noise(sim, dev, noise, 40, 400'000, 30ms) > 20);  // let a report follow the noise
  CHECK(dev.rejected_bytes() > 0);
}

TEST_CASE("Magellan and HID scales unplugged and plugged back in are found again", "[integration]") {
  for (const char* protocol : {"magellan", "hid"}) {
    INFO(protocol);
    Fixture f;
    std::unique_ptr<ScaleDevice> dev;
    if (std::string(protocol) == "magellan") {
      MagellanOptions o;
      o.device = f.link.string();
      o.backoff_min = 50ms;
      o.backoff_max = 400ms;
      dev = std::make_unique<MagellanScale>(o, f.clock);
    } else {
      HidPosOptions o;
      o.device = f.link.string();
      o.backoff_min = 50ms;
      o.backoff_max = 400ms;
      dev = std::make_unique<HidPosScale>(o, f.clock);
    }
    {
      Sim sim(f.link, f.ctl, 11, {"--protocol", protocol});
      REQUIRE(eventually([&] { return dev->read_weight().is_ok(); }));
    }  // the simulator exits: the pty and its link vanish
    REQUIRE(eventually([&] { return !dev->read_weight() && dev->status().state == DeviceState::kOffline; }));
    Sim again(f.link, f.ctl, 12, {"--protocol", protocol});
    CHECK(again.ctl("place 80000") == "ok 80000");
    std::int64_t got = -1;
    REQUIRE(eventually(
        [&] {
          auto w = dev->read_weight();
          if (w && w->device_stable) got = w->weight_mg;
          return w && w->device_stable && w->weight_mg > 0;
        },
        10s));
    CHECK(near(got, 80'000));
    CHECK(dev->status().state == DeviceState::kOnline);
  }
}
