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
using Step = std::variant<OpenFails, ReadFails, End, cv::Mat>;

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
};

}  // namespace

TEST_CASE("the capture loop reopens a failing device, keeps debouncing across it and ends with the source",
          "[vision][runner]") {
  const cv::Mat milk = code_image("7310865004703");
  const cv::Mat bread = code_image("96385074");
  const cv::Mat empty(200, 300, CV_8U, cv::Scalar(255));
  std::deque<Step> script = {OpenFails{}, OpenFails{}, milk, milk, ReadFails{}, OpenFails{}, milk, empty, bread, End{}};
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
  CHECK(st.frames_read == 5);
  CHECK(st.source == "/dev/video9");
  CHECK(st.last_error == "camera /dev/video9: cannot open");
  CHECK(src->opens == 5);  // 2 failed + 1 good, then after the read failure 1 failed + 1 good
  // Milk held across the reconnect counts once; bread once.
  const auto events = log.wait_after(0, std::chrono::steady_clock::now());
  REQUIRE(events.size() == 2);
  CHECK(events[0].code.gtin14 == "07310865004703");
  CHECK(events[0].frame_index == 0);
  CHECK(events[1].code.gtin14 == "00000096385074");
  CHECK(events[1].seq == 2);
  CHECK(events[1].frame_index == 4);
}

TEST_CASE("stop() ends a loop that is waiting for a device to come back", "[vision][runner]") {
  std::deque<Step> script;
  for (int i = 0; i < 1000; ++i) script.emplace_back(OpenFails{});
  kiosk::ManualClock clock;
  kiosk::vision::ScanLog log;
  kiosk::vision::CameraRunner runner(std::make_unique<ScriptedSource>(std::move(script)),
                                     kiosk::vision::make_zbar_decoder(), log, clock,
                                     {.debounce = 1500ms, .backoff_min = 1h, .backoff_max = 1h});
  runner.start();
  REQUIRE(runner.wait_for_state(CameraState::kReconnecting, std::chrono::steady_clock::now() + 20s));
  const auto t0 = std::chrono::steady_clock::now();
  runner.stop();  // must not wait out the hour of backoff
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
  CHECK(runner.status().state == CameraState::kReconnecting);
}
