// Parsing of the [vision] source settings.
#include <catch2/catch.hpp>

#include <opencv2/videoio.hpp>

#include "vision/source_spec.h"
#include "vision/video_capture_source.h"

using kiosk::vision::SourceKind;

TEST_CASE("source strings name their kind", "[vision][config]") {
  auto dev = kiosk::vision::parse_source("/dev/video2");
  REQUIRE(dev);
  CHECK(dev->kind == SourceKind::kDevice);
  CHECK(dev->location == "/dev/video2");

  auto gst = kiosk::vision::parse_source("gst:videotestsrc ! videoconvert ! appsink");
  REQUIRE(gst);
  CHECK(gst->kind == SourceKind::kGstreamer);
  CHECK(gst->location == "videotestsrc ! videoconvert ! appsink");

  auto folder = kiosk::vision::parse_source("folder:/tmp/frames");
  REQUIRE(folder);
  CHECK(folder->kind == SourceKind::kFolder);
  CHECK(folder->location == "/tmp/frames");

  auto file = kiosk::vision::parse_source("/srv/camera.avi");
  REQUIRE(file);
  CHECK(file->kind == SourceKind::kFile);

  CHECK_FALSE(kiosk::vision::parse_source(""));
  CHECK_FALSE(kiosk::vision::parse_source("gst:"));
  CHECK_FALSE(kiosk::vision::parse_source("folder:"));
}

TEST_CASE("config gives size, rate, pacing and looping, and relative paths follow the config file",
          "[vision][config]") {
  auto config = kiosk::Config::parse(R"(
[runtime]
dir = "run"
data_dir = "data"
[vision]
source = "videos/demo.avi"
realtime = false
loop = true
width = 1280
height = 720
fps = 30
debounce_ms = 1500
)",
                                     "/etc/kiosk");
  REQUIRE(config);
  auto spec = kiosk::vision::source_spec_from_config(*config);
  REQUIRE(spec);
  CHECK(spec->kind == SourceKind::kFile);
  CHECK(spec->location == "/etc/kiosk/videos/demo.avi");
  CHECK_FALSE(spec->realtime);
  CHECK(spec->loop);
  CHECK(spec->width == 1280);
  CHECK(spec->height == 720);
  CHECK(spec->fps == 30);
  CHECK(spec->exposure_us == -1);  // not set: the camera's exposure is left alone
}

TEST_CASE("exposure_us: -1 leaves it, 0 is auto, > 0 manual, anything else is refused", "[vision][config]") {
  auto exposure = [](const std::string& value) {
    auto config = kiosk::Config::parse("[vision]\nsource = \"/dev/video0\"\nexposure_us = " + value + "\n", "/etc");
    REQUIRE(config);
    return kiosk::vision::source_spec_from_config(*config);
  };
  CHECK(exposure("-1")->exposure_us == -1);
  CHECK(exposure("0")->exposure_us == 0);
  CHECK(exposure("8000")->exposure_us == 8000);
  CHECK(exposure("1000000")->exposure_us == 1'000'000);
  for (const char* bad : {"-2", "1000001", "\"auto\"", "2.5"}) {
    auto spec = exposure(bad);
    REQUIRE_FALSE(spec);
    CHECK_THAT(spec.message(), Catch::Contains("exposure_us"));
  }
}

TEST_CASE("a V4L2 device is asked for the configured size, rate and exposure through VideoCapture properties",
          "[vision][config]") {
  using kiosk::vision::capture_requests;
  auto config = kiosk::Config::parse(
      "[vision]\nsource = \"/dev/video2\"\nwidth = 1920\nheight = 1080\nfps = 30\nexposure_us = 8000\n", "/etc");
  REQUIRE(config);
  auto spec = kiosk::vision::source_spec_from_config(*config);
  REQUIRE(spec);
  const auto manual = capture_requests(*spec);
  REQUIRE(manual.size() == 5);
  CHECK(manual[0].property == cv::CAP_PROP_FRAME_WIDTH);
  CHECK(manual[0].value == 1920);
  CHECK(manual[1].property == cv::CAP_PROP_FRAME_HEIGHT);
  CHECK(manual[1].value == 1080);
  CHECK(manual[2].property == cv::CAP_PROP_FPS);
  CHECK(manual[2].value == 30);
  // Manual mode first (V4L2_EXPOSURE_MANUAL = 1), then the time in V4L2's 100 µs units: 8 ms = 80.
  CHECK(manual[3].property == cv::CAP_PROP_AUTO_EXPOSURE);
  CHECK(manual[3].value == 1);
  CHECK(manual[4].property == cv::CAP_PROP_EXPOSURE);
  CHECK(manual[4].value == 80);

  spec->exposure_us = 0;  // auto: V4L2_EXPOSURE_APERTURE_PRIORITY = 3, no exposure time
  const auto automatic = capture_requests(*spec);
  REQUIRE(automatic.size() == 4);
  CHECK(automatic[3].property == cv::CAP_PROP_AUTO_EXPOSURE);
  CHECK(automatic[3].value == 3);

  spec->exposure_us = 30;  // shorter than one V4L2 step: the shortest step, not 0 (which drivers reject)
  CHECK(capture_requests(*spec).back().value == 1);

  // Nothing configured: nothing asked, the driver's defaults stay.
  kiosk::vision::SourceSpec plain;
  CHECK(capture_requests(plain).empty());
}

TEST_CASE("bad [vision] values are errors that say which key", "[vision][config]") {
  auto config = kiosk::Config::parse("[vision]\nsource = \"/dev/video0\"\nfps = -3\n", "/etc/kiosk");
  REQUIRE(config);
  auto spec = kiosk::vision::source_spec_from_config(*config);
  REQUIRE_FALSE(spec);
  CHECK_THAT(spec.message(), Catch::Contains("fps"));

  auto typed = kiosk::Config::parse("[vision]\nrealtime = \"yes\"\n", "/etc/kiosk");
  REQUIRE(typed);
  CHECK_FALSE(kiosk::vision::source_spec_from_config(*typed));
}
