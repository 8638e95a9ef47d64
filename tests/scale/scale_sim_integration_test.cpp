// Drives the real MT-SICS driver against the real scale-sim process over its pseudo-terminal.
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "mtsics_scale.h"
#include "scale_engine.h"
#include "sim_process.h"
#include "stable_detector.h"
#include "temp_dir.h"

using namespace std::chrono_literals;
using namespace kiosk::scale;
namespace fs = std::filesystem;

namespace {
using scale_test::Sim;

MtSicsOptions driver_options(const fs::path& link) {
  MtSicsOptions o;
  o.device = link.string();
  o.answer_timeout = 500ms;
  o.backoff_min = 50ms;
  o.backoff_max = 400ms;
  return o;
}

// Polls SI every 50 ms until the detector reports a stable weight, or the deadline passes.
std::optional<std::int64_t> wait_stable(MtSicsScale& dev, std::chrono::milliseconds within) {
  StableDetector det({1000, 400ms});
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    auto w = dev.read_weight();
    if (w) {
      if (auto s = det.update(w->weight_mg, w->device_stable, std::chrono::steady_clock::now())) return s;
    }
    ::poll(nullptr, 0, 50);  // the SI period, as scaled polls
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("the MT-SICS driver reads a placed weight as stable, zeroes, and gets ES for a bad command",
          "[integration]") {
  kiosk::test::TempDir dir{"scale-test"};
  Sim sim(dir.path() / "ttyScale", dir.path() / "scale.ctl");
  kiosk::SystemClock clock;
  MtSicsScale dev(driver_options(dir.path() / "ttyScale"), clock);

  CHECK(sim.ctl("place 250000") == "ok 250000");
  auto stable = wait_stable(dev, 5s);
  REQUIRE(stable);
  CHECK(std::llabs(*stable - 250000) <= 1000);
  CHECK(dev.status().state == DeviceState::kOnline);

  REQUIRE(dev.zero());
  auto zeroed = wait_stable(dev, 5s);
  REQUIRE(zeroed);
  CHECK(std::llabs(*zeroed) <= 1000);

  auto bad = dev.command("XYZ", 500ms);
  REQUIRE(bad);
  REQUIRE(bad->error);
  CHECK(*bad->error == MtSicsError::kSyntax);

  auto id = dev.command("I4", 500ms);
  REQUIRE(id);
  CHECK(id->texts == std::vector<std::string>{"B123456789"});

  CHECK(sim.ctl("fault overload") == "ok");
  CHECK_FALSE(dev.read_weight());
  CHECK(dev.status().state == DeviceState::kError);
  CHECK(sim.ctl("fault none") == "ok");
  CHECK(dev.read_weight());
  CHECK(dev.status().state == DeviceState::kOnline);
}

TEST_CASE("the driver goes OFFLINE when the scale stops answering and reconnects when it is back", "[integration]") {
  kiosk::test::TempDir dir{"scale-test"};
  Sim sim(dir.path() / "ttyScale", dir.path() / "scale.ctl");
  kiosk::SystemClock clock;
  MtSicsScale dev(driver_options(dir.path() / "ttyScale"), clock);
  REQUIRE(dev.read_weight());

  CHECK(sim.ctl("fault offline") == "ok");
  auto r = dev.read_weight();
  REQUIRE_FALSE(r);
  CHECK(dev.status().state == DeviceState::kOffline);

  CHECK(sim.ctl("fault none") == "ok");
  CHECK(sim.ctl("set 120000") == "ok 120000");
  auto back = wait_stable(dev, 10s);
  REQUIRE(back);
  CHECK(std::llabs(*back - 120000) <= 1000);
  CHECK(dev.status().state == DeviceState::kOnline);
}

TEST_CASE("the driver survives the scale being unplugged and plugged back in", "[integration]") {
  kiosk::test::TempDir dir{"scale-test"};
  kiosk::SystemClock clock;
  MtSicsScale dev(driver_options(dir.path() / "ttyScale"), clock);
  {
    Sim sim(dir.path() / "ttyScale", dir.path() / "scale.ctl");
    REQUIRE(dev.read_weight());
  }  // the simulator exits: the pty and its link vanish
  REQUIRE_FALSE(dev.read_weight());
  CHECK(dev.status().state == DeviceState::kOffline);
  REQUIRE_FALSE(dev.read_weight());  // still gone (or backing off)
  Sim again(dir.path() / "ttyScale", dir.path() / "scale.ctl", 12);
  CHECK(again.ctl("place 80000") == "ok 80000");
  auto back = wait_stable(dev, 10s);
  REQUIRE(back);
  CHECK(std::llabs(*back - 80000) <= 1000);
}

TEST_CASE("scaled's core: a placed item of the expected weight gives an ACCEPTED verdict", "[integration]") {
  kiosk::test::TempDir dir{"scale-test"};
  Sim sim(dir.path() / "ttyScale", dir.path() / "scale.ctl");
  kiosk::SystemClock clock;
  MtSicsScale dev(driver_options(dir.path() / "ttyScale"), clock);
  EngineOptions opts;
  opts.poll = 50ms;
  ScaleEngine engine(dev, clock, opts);
  auto sub = engine.subscribe();
  auto first = sub->next(1s);
  REQUIRE(first);
  CHECK(std::holds_alternative<StatusEvent>(*first));  // watchers always get the status first
  engine.start();

  // Wait for the scale to report a stable empty platform, then open a session.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  bool stable_seen = false;
  while (!stable_seen && std::chrono::steady_clock::now() < deadline) {
    if (auto e = sub->next(200ms); e && std::holds_alternative<Reading>(*e)) stable_seen = std::get<Reading>(*e).stable;
  }
  REQUIRE(stable_seen);
  auto baseline = engine.begin_session("sess-1");
  REQUIRE(baseline);
  CHECK(std::llabs(*baseline) <= 1000);
  auto tol = engine.expect_item("sess-1/1", 400000, 2000, false);
  REQUIRE(tol);
  CHECK(*tol == 10000);
  CHECK(sim.ctl("place 403000") == "ok 403000");

  std::optional<Verdict> verdict;
  while (!verdict && std::chrono::steady_clock::now() < deadline) {
    auto e = sub->next(200ms);
    if (!e) continue;
    if (auto* v = std::get_if<Verdict>(&*e)) verdict = *v;
    if (auto* a = std::get_if<Alert>(&*e)) FAIL("unexpected alert " << to_string(a->kind));
  }
  REQUIRE(verdict);
  CHECK(verdict->kind == Verdict::Kind::kAccepted);
  CHECK(verdict->expectation_id == "sess-1/1");
  CHECK(std::llabs(verdict->measured_delta_mg - 403000) <= 1000);

  // The scale stops answering mid-session: OFFLINE status and a DEVICE_FAULT alert, both cleared
  // when it answers again.
  CHECK(sim.ctl("fault offline") == "ok");
  std::optional<Alert> fault;
  bool offline_seen = false;
  const auto fault_deadline = std::chrono::steady_clock::now() + 10s;
  while (!(fault && offline_seen) && std::chrono::steady_clock::now() < fault_deadline) {
    auto e = sub->next(200ms);
    if (!e) continue;
    if (auto* a = std::get_if<Alert>(&*e)) fault = *a;
    if (auto* s = std::get_if<StatusEvent>(&*e)) offline_seen = s->status.state == DeviceState::kOffline;
  }
  REQUIRE(fault);
  CHECK(fault->kind == Alert::Kind::kDeviceFault);
  CHECK(fault->open);
  CHECK(offline_seen);
  CHECK(sim.ctl("fault none") == "ok");
  std::optional<Alert> cleared;
  while (!cleared && std::chrono::steady_clock::now() < fault_deadline) {
    auto e = sub->next(200ms);
    if (auto* a = e ? std::get_if<Alert>(&*e) : nullptr) cleared = *a;
  }
  REQUIRE(cleared);
  CHECK(cleared->alert_id == fault->alert_id);
  CHECK_FALSE(cleared->open);
  CHECK(engine.status().status.state == DeviceState::kOnline);
  engine.stop();
}
