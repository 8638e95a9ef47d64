// kiosk.v1.Vision over a real Unix socket: the in-process service fed by a camera-sim video, and the
// visiond binary with a temp config.
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "common/clock.h"
#include "common/rpc.h"
#include "kiosk/v1/vision.grpc.pb.h"
#include "temp_dir.h"
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
}

TEST_CASE("visiond refuses a config whose video file is missing", "[vision][integration]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto config = dir.path() / "kiosk.toml";
  { std::ofstream(config) << "[runtime]\ndir = \"run\"\n[vision]\nsource = \"missing.avi\"\n"; }
  CHECK(kiosk::test::run_to_exit({(vision_test::bin_dir() / "visiond").string(), "--config", config.string()},
                                 dir.path() / "visiond.log") == 2);
}
