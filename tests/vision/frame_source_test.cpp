// The OpenCV frame source over an image folder and over a camera-sim video (realtime off).
#include <catch2/catch.hpp>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/clock.h"
#include "temp_dir.h"
#include "vision/barcode_render.h"
#include "vision/debouncer.h"
#include "vision/decoder.h"
#include "vision/video_capture_source.h"
#include "vision_test_support.h"

using kiosk::vision::SourceKind;
using kiosk::vision::SourceSpec;
using kiosk::vision::VideoCaptureSource;
using namespace std::chrono_literals;

namespace {

// Every frame of a finite source, decoded and debounced: the GTINs counted, in order.
std::vector<std::string> scan_all(VideoCaptureSource& source, std::uint64_t* frames = nullptr) {
  auto decoder = kiosk::vision::make_zbar_decoder();
  kiosk::vision::Debouncer debouncer(std::chrono::milliseconds(1500));
  std::vector<std::string> gtins;
  REQUIRE(source.open());
  std::uint64_t n = 0;
  while (true) {
    auto f = source.read();
    REQUIRE(f);
    if (!*f) break;
    CHECK((*f)->index == n);
    ++n;
    for (const auto& d : debouncer.update(decoder->decode((*f)->image), (*f)->stream_ms)) gtins.push_back(d.gtin14);
  }
  if (frames) *frames = n;
  return gtins;
}

}  // namespace

TEST_CASE("an image folder is read in name order and ends", "[vision][source]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  // Written out of order; read sorted. A text file is ignored.
  const std::vector<std::pair<std::string, std::string>> files = {
      {"frame-002.png", "96385074"}, {"frame-001.png", "7310865004703"}, {"frame-003.png", "036000291452"}};
  for (const auto& [name, code] : files) {
    auto sym = kiosk::vision::retail_symbology_for(code);
    REQUIRE(sym);
    auto img = kiosk::vision::render_barcode(*sym, code, 3);
    REQUIRE(img);
    cv::Mat page;
    cv::copyMakeBorder(*img, page, 40, 40, 40, 40, cv::BORDER_CONSTANT, cv::Scalar(255));
    REQUIRE(cv::imwrite((dir.path() / name).string(), page));
  }
  { std::ofstream(dir.path() / "notes.txt") << "not an image"; }

  kiosk::ManualClock clock;
  SourceSpec spec;
  spec.kind = SourceKind::kFolder;
  spec.location = dir.path().string();
  spec.fps = 1;  // one image a second: each image is its own hold
  spec.realtime = false;
  VideoCaptureSource source(spec, clock);
  CHECK_FALSE(source.is_live());
  std::uint64_t frames = 0;
  CHECK(scan_all(source, &frames) == vision_test::three_gtins());
  CHECK(frames == 3);
}

TEST_CASE("a looping folder starts again instead of ending", "[vision][source]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  REQUIRE(cv::imwrite((dir.path() / "a.png").string(), cv::Mat(32, 32, CV_8U, cv::Scalar(200))));
  kiosk::ManualClock clock;
  SourceSpec spec{SourceKind::kFolder, dir.path().string(), 0, 0, 10, false, true};
  VideoCaptureSource source(spec, clock);
  REQUIRE(source.open());
  for (std::uint64_t i = 0; i < 5; ++i) {
    auto f = source.read();
    REQUIRE(f);
    REQUIRE(*f);
    CHECK((*f)->index == i);
    CHECK((*f)->stream_ms == std::chrono::milliseconds(100 * i));  // 10 frames/s of stream time
  }
}

TEST_CASE("a looping folder that goes away fails (to be reconnected) and is read again once back", "[vision][source]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto frames = dir.path() / "frames";
  std::filesystem::create_directory(frames);
  REQUIRE(cv::imwrite((frames / "a.png").string(), cv::Mat(32, 32, CV_8U, cv::Scalar(200))));
  REQUIRE(cv::imwrite((frames / "b.png").string(), cv::Mat(32, 32, CV_8U, cv::Scalar(100))));
  kiosk::ManualClock clock;
  VideoCaptureSource source({SourceKind::kFolder, frames.string(), 0, 0, 10, false, /*loop=*/true}, clock);
  REQUIRE(source.open());
  REQUIRE(source.read());
  std::filesystem::rename(frames, dir.path() / "away");
  // b.png is gone too: the loop starts again, finds no folder and says so instead of ending.
  auto gone = source.read();
  REQUIRE_FALSE(gone);
  CHECK_THAT(gone.message(), Catch::Contains("image folder"));
  CHECK_FALSE(source.open());
  std::filesystem::rename(dir.path() / "away", frames);
  REQUIRE(source.open());
  auto back = source.read();
  REQUIRE(back);
  REQUIRE(*back);
  CHECK((*back)->index == 1);  // frame numbers keep counting across the reconnect
}

TEST_CASE("realtime = true paces a folder at its frame rate", "[vision][source]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  for (int i = 0; i < 5; ++i) {
    REQUIRE(
        cv::imwrite((dir.path() / ("f" + std::to_string(i) + ".png")).string(), cv::Mat(32, 32, CV_8U, cv::Scalar(9))));
  }
  kiosk::SystemClock clock;
  VideoCaptureSource source({SourceKind::kFolder, dir.path().string(), 0, 0, 20, /*realtime=*/true, false}, clock);
  REQUIRE(source.open());
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::chrono::milliseconds> stream;
  while (true) {
    auto f = source.read();
    REQUIRE(f);
    if (!*f) break;
    stream.push_back((*f)->stream_ms);
  }
  // 5 frames at 20 frames/s: the first at once, the last 4 × 50 ms later (never sooner).
  CHECK(std::chrono::steady_clock::now() - t0 >= 200ms);
  REQUIRE(stream.size() == 5);
  CHECK(stream.back() - stream.front() >= 200ms);
}

TEST_CASE("missing sources fail to open with an error naming them", "[vision][source]") {
  kiosk::ManualClock clock;
  VideoCaptureSource folder({SourceKind::kFolder, "/nonexistent/frames", 0, 0, 0, false, false}, clock);
  auto s = folder.open();
  REQUIRE_FALSE(s);
  CHECK_THAT(s.message(), Catch::Contains("/nonexistent/frames"));
  VideoCaptureSource file({SourceKind::kFile, "/nonexistent/cam.avi", 0, 0, 0, false, false}, clock);
  auto f = file.open();
  REQUIRE_FALSE(f);
  CHECK_THAT(f.message(), Catch::Contains("/nonexistent/cam.avi"));
  VideoCaptureSource dev({SourceKind::kDevice, "/dev/video-none", 640, 480, 15, true, false}, clock);
  CHECK(dev.is_live());
  CHECK_FALSE(dev.open());
}

TEST_CASE("camera-sim video through VideoCapture, decoder and debouncer gives exactly its 3 codes in order",
          "[vision][integration]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto video = dir.path() / "camera.avi";
  REQUIRE(vision_test::make_video(video, vision_test::three_codes()) == 0);
  REQUIRE(std::filesystem::exists(video));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "camera.partial.avi"));

  kiosk::SystemClock clock;
  SourceSpec spec{SourceKind::kFile, video.string(), 0, 0, 0, /*realtime=*/false, /*loop=*/false};
  VideoCaptureSource source(spec, clock);
  std::uint64_t frames = 0;
  CHECK(scan_all(source, &frames) == vision_test::three_gtins());
  // lead 0.5 s + 3 × (1 s shown + 0.8 s gap) at 15 frames/s
  CHECK(frames == 8 + 3 * (15 + 12));
  CHECK(source.fps() == Approx(15.0));
}

TEST_CASE("camera-sim refuses a code with a wrong check digit and writes nothing", "[vision][integration]") {
  kiosk::test::TempDir dir{"kiosk-vision"};
  const auto video = dir.path() / "bad.avi";
  CHECK(vision_test::make_video(video, {"7310865004703", "7310865004704"}) != 0);
  CHECK_FALSE(std::filesystem::exists(video));
}
