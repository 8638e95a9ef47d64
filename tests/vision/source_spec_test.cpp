// Parsing of the [vision] source settings.
#include <catch2/catch.hpp>

#include "vision/source_spec.h"

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
