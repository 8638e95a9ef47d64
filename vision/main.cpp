// visiond: camera → barcode ScanEvents over kiosk.v1.Vision on <runtime.dir>/vision.sock.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <thread>

#include "camera_runner.h"
#include "common/config.h"
#include "common/logging.h"
#include "common/rpc.h"
#include "common/shutdown.h"
#include "video_capture_source.h"
#include "vision_service.h"

int main(int argc, char** argv) {
  kiosk::block_shutdown_signals();
  CLI::App app{"visiond: reads barcodes from a camera and streams scan events"};
  std::string config_path;
  app.add_option("--config", config_path, "kiosk TOML config file")->required();
  CLI11_PARSE(app, argc, argv);
  kiosk::init_logging("visiond");

  auto config = kiosk::Config::load(config_path);
  if (!config) {
    spdlog::error("{}", config.message());
    return 2;
  }
  auto spec = kiosk::vision::source_spec_from_config(*config);
  auto debounce = config->get_ms("vision", "debounce_ms", std::chrono::milliseconds(1500));
  auto frame_budget = config->get_ms("vision", "frame_budget_ms", std::chrono::milliseconds(15));
  auto confirm_frames = config->get_int("vision", "confirm_frames", 2);
  auto confirm_window = config->get_ms("vision", "confirm_window_ms", std::chrono::milliseconds(500));
  for (const kiosk::Status& s :
       {spec.status(), debounce.status(), frame_budget.status(), confirm_frames.status(), confirm_window.status()}) {
    if (!s) {
      spdlog::error("{}: {}", config_path, s.message());
      return 2;
    }
  }
  if (*confirm_frames < 1 || *confirm_frames > 30) {
    spdlog::error("{}: [vision] confirm_frames must be 1..30, not {}", config_path, *confirm_frames);
    return 2;
  }
  if (confirm_window->count() <= 0) {
    spdlog::error("{}: [vision] confirm_window_ms must be > 0, not {}", config_path, confirm_window->count());
    return 2;
  }
  if (frame_budget->count() <= 0) {
    spdlog::error("{}: [vision] frame_budget_ms must be > 0, not {}", config_path, frame_budget->count());
    return 2;
  }
  // A recording (file or folder) can wait for its first viewer, so that none of it plays to an empty
  // lane: the demo and the end-to-end tests rely on this rather than on timing.
  auto on_subscribe = config->get_bool("vision", "start_on_subscribe", false);
  if (!on_subscribe) {
    spdlog::error("{}: {}", config_path, on_subscribe.message());
    return 2;
  }
  if (debounce->count() < 0) {
    spdlog::error("{}: [vision] debounce_ms must be >= 0, not {}", config_path, debounce->count());
    return 2;
  }

  kiosk::SystemClock clock;
  kiosk::vision::ScanLog log;
  auto source = std::make_unique<kiosk::vision::VideoCaptureSource>(*spec, clock);
  // A looping recording stands in for a camera: if it is missing it is waited for like one.
  const bool recording = !source->is_live();
  if (recording && !spec->loop) {
    // A missing file or folder is a configuration mistake, not a camera to wait for.
    if (auto s = source->open(); !s) {
      spdlog::error("{}: [vision] source: {}", config_path, s.message());
      return 2;
    }
  }
  kiosk::vision::CameraRunner runner(
      std::move(source), kiosk::vision::make_located_decoder({.budget = *frame_budget, .localizer = {}}), log, clock,
      {.debounce = *debounce, .confirm = {.frames = static_cast<int>(*confirm_frames), .window = *confirm_window}});
  kiosk::vision::VisionService service(log, [&runner] { return runner.status(); });
  auto server = kiosk::start_unix_server(config->socket_path("vision"), {&service});
  if (!server) {
    spdlog::error("{}", server.message());
    return 1;
  }
  // "kiosk.v1.Vision" follows the camera: NOT_SERVING until frames flow and while it is away.
  auto health = std::make_unique<kiosk::vision::CameraHealth>(log, (*server)->GetHealthCheckService());
  std::atomic<bool> stopping{false};
  std::thread starter([&] {
    if (*on_subscribe && recording) {
      spdlog::info("waiting for the first subscriber before playing {}", spec->location);
      while (!stopping && log.readers() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (stopping) return;
    }
    runner.start();
  });
  // As kiosk::serve_until_signal, but closing the scan log first so open Scans streams end at once
  // instead of at the shutdown grace deadline.
  const int sig = kiosk::wait_for_shutdown_signal();
  spdlog::info("signal {}: shutting down", sig);
  stopping = true;
  starter.join();
  log.close();
  health.reset();
  (*server)->GetHealthCheckService()->SetServingStatus(false);
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  runner.stop();
  return 0;
}
