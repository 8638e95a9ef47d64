// kiosk.v1.Vision over a real Unix socket: the in-process service fed by a camera-sim video, and the
// visiond binary with a temp config.
#include <catch2/catch.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "common/clock.h"
#include "common/rpc.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "kiosk/v1/vision.grpc.pb.h"
#include "temp_dir.h"
#include "vision/barcode_render.h"
#include "vision/camera_runner.h"
#include "vision/video_capture_source.h"
#include "vision/vision_service.h"
#include "vision_test_support.h"

using namespace std::chrono_literals;

namespace {

// Polls `pred` until it holds or `timeout` passes.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);  // polling a real state, not synchronising by sleep
  }
  return pred();
}

kiosk::v1::CameraStatus camera_status(kiosk::v1::Vision::Stub& stub) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 2s);
  kiosk::v1::CameraStatus st;
  (void)stub.GetCameraStatus(&ctx, {}, &st);
  return st;
}

// Reads up to `n` events from a Scans stream opened with `after_seq`, then cancels it.
std::vector<kiosk::v1::ScanEvent> read_events(kiosk::v1::Vision::Stub& stub, std::uint64_t after_seq, std::size_t n) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  kiosk::v1::ScansRequest req;
  req.set_after_seq(after_seq);
  auto reader = stub.Scans(&ctx, req);
  std::vector<kiosk::v1::ScanEvent> out;
  kiosk::v1::ScanEvent e;
  while (out.size() < n && reader->Read(&e)) out.push_back(e);
  ctx.TryCancel();
  (void)reader->Finish();
  return out;
}

using kiosk::v1::CameraStatus;
using kiosk::v1::VisionEvent;

// A Watch stream read on its own thread; the test waits for the events it expects with a deadline.
class Watcher {
 public:
  Watcher(kiosk::v1::Vision::Stub& stub, std::uint64_t after_seq = 0) {
    kiosk::v1::VisionWatchRequest req;
    req.set_after_seq(after_seq);
    reader_ = stub.Watch(&ctx_, req);
    thread_ = std::thread([this] {
      VisionEvent ev;
      while (reader_->Read(&ev)) {
        std::lock_guard lock(mu_);
        events_.push_back(ev);
        cv_.notify_all();
      }
      std::lock_guard lock(mu_);
      ended_ = true;
      cv_.notify_all();
    });
  }
  ~Watcher() {
    ctx_.TryCancel();
    thread_.join();
    (void)reader_->Finish();
  }
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // The first event after the `from`-th that satisfies `pred`, within `timeout`; its index in `*at`.
  template <typename Pred>
  std::optional<VisionEvent> next(Pred pred, std::size_t from, std::size_t* at = nullptr,
                                  std::chrono::milliseconds timeout = 30s) {
    std::unique_lock lock(mu_);
    std::optional<VisionEvent> found;
    cv_.wait_for(lock, timeout, [&] {
      for (std::size_t i = from; i < events_.size(); ++i) {
        if (pred(events_[i])) {
          found = events_[i];
          if (at) *at = i;
          return true;
        }
      }
      return ended_;
    });
    return found;
  }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<VisionEvent>> reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<VisionEvent> events_;
  bool ended_ = false;
  std::thread thread_;
};

auto camera_in(CameraStatus::State state) {
  return [state](const VisionEvent& e) { return e.has_camera() && e.camera().state() == state; };
}

// The standard health service's answer for `service` ("" = the whole server).
grpc::health::v1::HealthCheckResponse::ServingStatus health(const std::filesystem::path& socket,
                                                            const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(kiosk::make_unix_channel(socket));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 2s);
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(service);
  grpc::health::v1::HealthCheckResponse resp;
  if (!stub->Check(&ctx, req, &resp).ok()) return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  return resp.status();
}

constexpr auto kServing = grpc::health::v1::HealthCheckResponse::SERVING;
constexpr auto kNotServing = grpc::health::v1::HealthCheckResponse::NOT_SERVING;

}  // namespace

TEST_CASE("the Vision service streams the 3 scans of a camera-sim video over a Unix socket",
          "[vision][integration][grpc]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto video = dir.path() / "camera.avi";
  REQUIRE(vision_test::make_video(video, vision_test::three_codes()) == 0);

  kiosk::SystemClock clock;
  kiosk::vision::ScanLog log;
  kiosk::vision::SourceSpec spec{kiosk::vision::SourceKind::kFile, video.string(), 0, 0, 0, false, false};
  kiosk::vision::CameraRunner runner(std::make_unique<kiosk::vision::VideoCaptureSource>(spec, clock),
                                     kiosk::vision::make_zbar_decoder(), log, clock, {.debounce = 1500ms});
  kiosk::vision::VisionService service(log, [&runner] { return runner.status(); });
  const auto socket = dir.path() / "vision.sock";
  auto server = kiosk::start_unix_server(socket, {&service});
  REQUIRE(server);
  auto stub = kiosk::v1::Vision::NewStub(kiosk::make_unix_channel(socket));
  CHECK(camera_status(*stub).state() == kiosk::v1::CameraStatus::STATE_UNSPECIFIED);  // not started

  // Subscribe first (after_seq = 0 means "only new events"), start the camera once the stream is in.
  std::vector<kiosk::v1::ScanEvent> events;
  std::thread client([&] { events = read_events(*stub, 0, 3); });
  REQUIRE(eventually([&] { return log.readers() == 1; }));
  runner.start();
  client.join();

  REQUIRE(events.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(events[i].seq() == i + 1);
    CHECK(events[i].gtin14() == vision_test::three_gtins()[i]);
    CHECK(events[i].source() == video.string());
    CHECK(events[i].frame_unix_ms() > 0);
    CHECK(events[i].event_unix_ms() >= events[i].frame_unix_ms());
  }
  CHECK(events[0].symbology() == kiosk::v1::SYMBOLOGY_EAN13);
  CHECK(events[0].text() == "7310865004703");
  CHECK(events[1].symbology() == kiosk::v1::SYMBOLOGY_EAN8);
  CHECK(events[2].symbology() == kiosk::v1::SYMBOLOGY_UPCA);
  CHECK(events[0].frame_index() < events[1].frame_index());
  CHECK(events[1].frame_index() < events[2].frame_index());

  // The file ends; the service keeps serving its status and the buffered scans.
  REQUIRE(runner.wait_for_state(kiosk::vision::CameraState::kEnded, std::chrono::steady_clock::now() + 20s));
  const auto st = camera_status(*stub);
  CHECK(st.state() == kiosk::v1::CameraStatus::STATE_ENDED);
  CHECK(st.frames_read() == 8 + 3 * (15 + 12));
  CHECK(st.source() == video.string());

  // A subscriber that saw seq 1 gets 2 and 3 again.
  const auto replay = read_events(*stub, 1, 2);
  REQUIRE(replay.size() == 2);
  CHECK(replay[0].seq() == 2);
  CHECK(replay[1].gtin14() == vision_test::three_gtins()[2]);

  // Shutdown ends an open stream at once (the log closes first).
  grpc::ClientContext ctx;
  auto reader = stub->Scans(&ctx, kiosk::v1::ScansRequest());
  REQUIRE(eventually([&] { return log.readers() == 1; }));
  log.close();
  kiosk::v1::ScanEvent e;
  CHECK_FALSE(reader->Read(&e));
  CHECK(reader->Finish().error_code() == grpc::StatusCode::UNAVAILABLE);
  (*server)->Shutdown(std::chrono::system_clock::now() + 1s);
}

TEST_CASE("visiond serves a camera-sim video from its config, reaches ENDED and exits 0 on SIGTERM",
          "[vision][integration][grpc]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto video = dir.path() / "camera.avi";
  REQUIRE(vision_test::make_video(video, vision_test::three_codes()) == 0);
  const auto config = dir.path() / "kiosk.toml";
  {
    std::ofstream out(config);
    out << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n"
        << "[vision]\nsource = \"camera.avi\"\nrealtime = false\nloop = false\ndebounce_ms = 1500\n";
  }
  kiosk::test::ChildProcess visiond({(vision_test::bin_dir() / "visiond").string(), "--config", config.string()},
                                    dir.path() / "visiond.log");
  REQUIRE(visiond.pid() > 0);
  const auto socket = dir.path() / "run" / "vision.sock";
  auto stub = kiosk::v1::Vision::NewStub(kiosk::make_unix_channel(socket));
  const bool ended = eventually([&] { return camera_status(*stub).state() == kiosk::v1::CameraStatus::STATE_ENDED; });
  const auto st = camera_status(*stub);
  const int rc = visiond.stop();  // SIGTERM
  REQUIRE(ended);
  CHECK(st.frames_read() == 8 + 3 * (15 + 12));
  CHECK(st.source() == video.string());
  CHECK(rc == 0);
  // Its log names each scan by the code's last four characters only: a code may be a loyalty card.
  std::ifstream in(dir.path() / "visiond.log");
  const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(log.find("scan #1: ") != std::string::npos);
  CHECK(log.find("…4703") != std::string::npos);
  for (const auto& code : vision_test::three_codes()) CHECK(log.find(code) == std::string::npos);
}

TEST_CASE("visiond refuses a config whose video file is missing", "[vision][integration]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto config = dir.path() / "kiosk.toml";
  { std::ofstream(config) << "[runtime]\ndir = \"run\"\n[vision]\nsource = \"missing.avi\"\n"; }
  CHECK(kiosk::test::run_to_exit({(vision_test::bin_dir() / "visiond").string(), "--config", config.string()},
                                 dir.path() / "visiond.log") == 2);
}

TEST_CASE("Watch and the health service follow a camera source that disappears and comes back",
          "[vision][integration][grpc]") {
  // A looping image folder paced like a camera; renaming the folder away is the camera unplugged.
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto frames = dir.path() / "frames";
  std::filesystem::create_directory(frames);
  auto code = kiosk::vision::render_barcode(kiosk::vision::Symbology::kEan13, "7310865004703", 3);
  REQUIRE(code);
  cv::Mat page;
  cv::copyMakeBorder(*code, page, 40, 40, 40, 40, cv::BORDER_CONSTANT, cv::Scalar(255));
  REQUIRE(cv::imwrite((frames / "milk.png").string(), page));

  kiosk::SystemClock clock;
  kiosk::vision::ScanLog log;
  kiosk::vision::SourceSpec spec{kiosk::vision::SourceKind::kFolder, frames.string(), 0, 0, 30, true, true};
  kiosk::vision::CameraRunner runner(std::make_unique<kiosk::vision::VideoCaptureSource>(spec, clock),
                                     kiosk::vision::make_zbar_decoder(), log, clock,
                                     {.debounce = 1500ms, .backoff_min = 20ms, .backoff_max = 80ms});
  kiosk::vision::VisionService service(log, [&runner] { return runner.status(); });
  const auto socket = dir.path() / "vision.sock";
  auto server = kiosk::start_unix_server(socket, {&service});
  REQUIRE(server);
  auto camera_health = std::make_unique<kiosk::vision::CameraHealth>(log, (*server)->GetHealthCheckService());
  auto stub = kiosk::v1::Vision::NewStub(kiosk::make_unix_channel(socket));

  // Before the camera starts: the process serves, the camera does not; Watch opens with the status.
  CHECK(health(socket, "") == kServing);
  CHECK(health(socket, "kiosk.v1.Vision") == kNotServing);
  Watcher watch(*stub);
  std::size_t at = 0;
  REQUIRE(watch.next(camera_in(CameraStatus::STATE_UNSPECIFIED), 0, &at));
  CHECK(at == 0);

  runner.start();
  REQUIRE(watch.next(camera_in(CameraStatus::STATE_RUNNING), at, &at));
  auto scan = watch.next([](const VisionEvent& e) { return e.has_scan(); }, 0);
  REQUIRE(scan);
  CHECK(scan->scan().gtin14() == "07310865004703");
  CHECK(scan->scan().seq() == 1);
  auto rate = watch.next([](const VisionEvent& e) { return e.has_camera() && e.camera().frames_per_s() > 0; }, at);
  REQUIRE(rate);
  CHECK(rate->camera().frames_per_s() == Approx(30).margin(10));
  CHECK(eventually([&] { return health(socket, "kiosk.v1.Vision") == kServing; }));

  // Unplugged: disconnected with the reason, then reconnecting with attempt and backoff; NOT_SERVING.
  std::filesystem::rename(frames, dir.path() / "away");
  auto lost = watch.next(camera_in(CameraStatus::STATE_DISCONNECTED), at, &at);
  REQUIRE(lost);
  CHECK_THAT(lost->camera().last_error(), Catch::Contains("image folder"));
  CHECK(lost->camera().frames_per_s() == 0);
  auto retry = watch.next(camera_in(CameraStatus::STATE_RECONNECTING), at, &at);
  REQUIRE(retry);
  CHECK(retry->camera().reconnect_attempt() == 1);
  CHECK(retry->camera().backoff_ms() == 20);
  auto retry2 = watch.next(camera_in(CameraStatus::STATE_RECONNECTING), at + 1, &at);
  REQUIRE(retry2);
  CHECK(retry2->camera().reconnect_attempt() == 2);
  CHECK(retry2->camera().backoff_ms() == 40);
  CHECK(retry2->camera().version() > retry->camera().version());
  CHECK(eventually([&] { return health(socket, "kiosk.v1.Vision") == kNotServing; }));
  CHECK(health(socket, "") == kServing);  // the process is still up and answering

  // Plugged back in: running again, SERVING again.
  std::filesystem::rename(dir.path() / "away", frames);
  REQUIRE(watch.next(camera_in(CameraStatus::STATE_RUNNING), at, &at));
  CHECK(eventually([&] { return health(socket, "kiosk.v1.Vision") == kServing; }));

  runner.stop();
  log.close();
  camera_health.reset();
  (*server)->Shutdown(std::chrono::system_clock::now() + 1s);
}

TEST_CASE("visiond waits for a looping recording that appears later, reporting it on Watch and in health",
          "[vision][integration][grpc]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto config = dir.path() / "kiosk.toml";
  {
    std::ofstream out(config);
    out << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n"
        << "[vision]\nsource = \"later.avi\"\nrealtime = true\nloop = true\ndebounce_ms = 1500\n"
        << "confirm_frames = 2\nconfirm_window_ms = 500\n";
  }
  kiosk::test::ChildProcess visiond({(vision_test::bin_dir() / "visiond").string(), "--config", config.string()},
                                    dir.path() / "visiond.log");
  REQUIRE(visiond.pid() > 0);
  const auto socket = dir.path() / "run" / "vision.sock";
  REQUIRE(kiosk::wait_serving(socket, 20s));  // ready although there is no camera yet
  CHECK(health(socket, "kiosk.v1.Vision") == kNotServing);
  auto stub = kiosk::v1::Vision::NewStub(kiosk::make_unix_channel(socket));
  {
    Watcher watch(*stub);
    std::size_t at = 0;
    auto waiting = watch.next(camera_in(CameraStatus::STATE_RECONNECTING), 0, &at);
    REQUIRE(waiting);
    CHECK_THAT(waiting->camera().last_error(), Catch::Contains("not found"));
    CHECK(waiting->camera().backoff_ms() > 0);

    // The recording arrives whole (written aside, then renamed into place).
    std::filesystem::create_directory(dir.path() / "aside");
    REQUIRE(vision_test::make_video(dir.path() / "aside" / "later.avi", vision_test::three_codes()) == 0);
    std::filesystem::rename(dir.path() / "aside" / "later.avi", dir.path() / "later.avi");
    REQUIRE(watch.next(camera_in(CameraStatus::STATE_RUNNING), at, &at));
    // All three codes, the EAN-8 among them confirmed by a second frame.
    for (const auto& gtin : vision_test::three_gtins()) {
      CHECK(watch.next([&](const VisionEvent& e) { return e.has_scan() && e.scan().gtin14() == gtin; }, at));
    }
    CHECK(eventually([&] { return health(socket, "kiosk.v1.Vision") == kServing; }));
  }
  CHECK(visiond.stop() == 0);  // SIGTERM
}

TEST_CASE("visiond refuses bad confirmation settings", "[vision][integration]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto config = dir.path() / "kiosk.toml";
  { std::ofstream(config) << "[runtime]\ndir = \"run\"\n[vision]\nsource = \"/dev/video0\"\nconfirm_frames = 0\n"; }
  CHECK(kiosk::test::run_to_exit({(vision_test::bin_dir() / "visiond").string(), "--config", config.string()},
                                 dir.path() / "visiond.log") == 2);
}
