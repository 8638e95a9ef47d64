// The capture loop's reaction to a source that fails, recovers and ends. The source here is a
// scripted FrameSource (the interface's contract, not a device); the frames are real rendered codes
// through the real ZBar decoder.
#include <catch2/catch.hpp>
#include <deque>
#include <opencv2/imgproc.hpp>
#include <variant>

#include "common/clock.h"
#include "vision/barcode_render.h"
#include "vision/camera_runner.h"

using namespace std::chrono_literals;
using kiosk::vision::CameraState;
using kiosk::vision::Frame;

namespace {

cv::Mat code_image(const std::string& code) {
  auto sym = kiosk::vision::retail_symbology_for(code);
  auto img = kiosk::vision::render_barcode(*sym, code, 3);
  cv::Mat page;
  cv::copyMakeBorder(*img, page, 40, 40, 40, 40, cv::BORDER_CONSTANT, cv::Scalar(255));
  return page;
}

struct OpenFails {};
struct ReadFails {};
struct End {};
// From here on each read moves `clock` on by `period` (the camera's frame interval).
struct Pace {
  kiosk::ManualClock* clock;
  std::chrono::milliseconds period;
};
using Step = std::variant<OpenFails, ReadFails, End, Pace, cv::Mat>;

// Plays a script: each open() consumes OpenFails steps; each read() the next frame/failure/end.
class ScriptedSource final : public kiosk::vision::FrameSource {
 public:
  explicit ScriptedSource(std::deque<Step> script) : script_(std::move(script)) {}
  kiosk::Status open() override {
    ++opens;
    if (!script_.empty() && std::holds_alternative<OpenFails>(script_.front())) {
      script_.pop_front();
      return kiosk::unavailable("camera /dev/video9: cannot open");
    }
    return {};
  }
  kiosk::Result<std::optional<Frame>> read() override {
    while (!script_.empty() && std::holds_alternative<Pace>(script_.front())) {
      pace_ = std::get<Pace>(script_.front());
      script_.pop_front();
    }
    if (pace_.clock) pace_.clock->advance(pace_.period);  // only this (the runner's) thread touches it
    if (script_.empty() || std::holds_alternative<End>(script_.front())) return std::optional<Frame>();
    Step s = std::move(script_.front());
    script_.pop_front();
    if (std::holds_alternative<ReadFails>(s)) return kiosk::unavailable("/dev/video9: no frame");
    Frame f;
    f.image = std::get<cv::Mat>(s);
    f.index = index_++;
    f.stream_ms = std::chrono::milliseconds(66 * static_cast<std::int64_t>(f.index));
    return std::optional<Frame>(std::move(f));
  }
  bool is_live() const override { return true; }
  std::string describe() const override { return "/dev/video9"; }
  int opens = 0;

 private:
  std::deque<Step> script_;
  std::uint64_t index_ = 0;
  Pace pace_{nullptr, {}};
};

}  // namespace

TEST_CASE("the capture loop reopens a failing device, keeps debouncing across it and ends with the source",
          "[vision][runner]") {
  const cv::Mat milk = code_image("7310865004703");
  const cv::Mat bread = code_image("96385074");
  const cv::Mat empty(200, 300, CV_8U, cv::Scalar(255));
  std::deque<Step> script = {OpenFails{}, OpenFails{}, milk,  milk,  ReadFails{}, OpenFails{},
                             milk,        empty,       bread, bread, End{}};
  auto source = std::make_unique<ScriptedSource>(std::move(script));
  ScriptedSource* src = source.get();
  kiosk::ManualClock clock;
  kiosk::vision::ScanLog log;
  kiosk::vision::CameraRunner runner(std::move(source), kiosk::vision::make_zbar_decoder(), log, clock,
                                     {.debounce = 1500ms, .backoff_min = 1ms, .backoff_max = 4ms});
  CHECK(runner.status().state == CameraState::kStarting);
  runner.start();
  REQUIRE(runner.wait_for_state(CameraState::kEnded, std::chrono::steady_clock::now() + 20s));
  runner.stop();

  const auto st = runner.status();
  CHECK(st.frames_read == 6);
  CHECK(st.source == "/dev/video9");
  CHECK(st.last_error == "camera /dev/video9: cannot open");
  CHECK(src->opens == 5);  // 2 failed + 1 good, then after the read failure 1 failed + 1 good
  // Milk held across the reconnect counts once; bread (EAN-8: a weak check digit) once, when its
  // second frame confirmed it.
  const auto events = log.wait_after(0, std::chrono::steady_clock::now());
  REQUIRE(events.size() == 2);
  CHECK(events[0].code.gtin14 == "07310865004703");
  CHECK(events[0].frame_index == 0);
  CHECK(events[1].code.gtin14 == "00000096385074");
  CHECK(events[1].seq == 2);
  CHECK(events[1].frame_index == 5);

  // Each status change went to the log for the event stream and the health service, in order.
  const auto statuses = log.wait_events(log.last_seq(), 0, std::chrono::steady_clock::now()).statuses;
  std::vector<std::string> seen;
  for (const auto& s : statuses) {
    seen.push_back(std::string(kiosk::vision::camera_state_name(s.state)) + "/" + std::to_string(s.reconnect_attempt) +
                   "/" + std::to_string(s.backoff.count()));
  }
  CHECK(seen == std::vector<std::string>{"reconnecting/1/1", "reconnecting/2/2", "running/0/0", "disconnected/0/0",
                                         "reconnecting/1/1", "running/0/0", "ended/0/0"});
  REQUIRE(statuses.size() == 7);
  CHECK(statuses[0].last_error == "camera /dev/video9: cannot open");
  CHECK(statuses[3].last_error == "/dev/video9: no frame");
  CHECK(statuses[3].frames_read == 2);
  CHECK(statuses[6].version == 7);
  CHECK(statuses[6].source == "/dev/video9");
}

TEST_CASE("while running, the measured frame rate is published when it moves", "[vision][runner]") {
  const cv::Mat empty(64, 64, CV_8U, cv::Scalar(255));
  kiosk::ManualClock clock;
  std::deque<Step> script = {Pace{&clock, 50ms}};  // 20 frames/s for 2 s
  for (int i = 0; i < 40; ++i) script.emplace_back(empty);
  script.emplace_back(Pace{&clock, 100ms});  // then 10 frames/s for 2 s
  for (int i = 0; i < 20; ++i) script.emplace_back(empty);
  script.emplace_back(End{});
  kiosk::vision::ScanLog log;
  kiosk::vision::CameraRunner runner(std::make_unique<ScriptedSource>(std::move(script)),
                                     kiosk::vision::make_zbar_decoder(), log, clock);
  runner.start();
  REQUIRE(runner.wait_for_state(CameraState::kEnded, std::chrono::steady_clock::now() + 20s));
  runner.stop();
  const auto statuses = log.wait_events(0, 0, std::chrono::steady_clock::now()).statuses;
  // Connected, the first second's rate, (the second second's equal rate is not news), the drop, ended.
  REQUIRE(statuses.size() == 4);
  CHECK(statuses[0].state == CameraState::kRunning);
  CHECK(statuses[0].frames_per_s == 0);
  CHECK(statuses[1].state == CameraState::kRunning);
  CHECK(statuses[1].frames_per_s == Approx(20));
  CHECK(statuses[1].frames_read == 21);  // the rate is counted from the first frame on
  CHECK(statuses[2].frames_per_s == Approx(10));
  CHECK(statuses[2].frames_read == 51);
  CHECK(statuses[3].state == CameraState::kEnded);
  CHECK(statuses[3].frames_read == 60);
  CHECK(statuses[3].frames_per_s == 0);  // not running: no rate
}
