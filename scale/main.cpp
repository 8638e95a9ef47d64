// scaled: the bagging-area scale service. `scaled --config FILE`; reads [scale], serves kiosk.v1.Scale
// on <runtime.dir>/scale.sock.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "common/config.h"
#include "common/logging.h"
#include "common/rpc.h"
#include "common/shutdown.h"
#include "device_factory.h"
#include "mtsics_scale.h"
#include "scale_engine.h"
#include "scale_service.h"

namespace {

// Reads [scale]; every key has the default documented in deploy/kiosk.toml.
kiosk::Result<std::pair<kiosk::scale::MtSicsOptions, kiosk::scale::EngineOptions>> read_options(
    const kiosk::Config& c) {
  using namespace std::chrono_literals;
  kiosk::scale::MtSicsOptions d;
  kiosk::scale::EngineOptions e;
  auto device = c.get_path("scale", "device", "/dev/ttyUSB0");
  auto baud = c.get_int("scale", "baud", 9600);
  auto timeout = c.get_ms("scale", "timeout_ms", d.answer_timeout);
  auto poll = c.get_ms("scale", "poll_ms", 100ms);
  auto interval = c.get_int("scale", "interval_mg", 1000);
  auto stable = c.get_ms("scale", "stable_ms", 400ms);
  auto tol_min = c.get_int("scale", "tolerance_min_mg", 10000);
  auto tol_k = c.get_int("scale", "tolerance_k", 3);
  auto bagging = c.get_ms("scale", "bagging_timeout_ms", 20000ms);
  auto resettle = c.get_ms("scale", "resettle_ms", 1500ms);
  for (const kiosk::Status& s :
       {device.status(), baud.status(), timeout.status(), poll.status(), interval.status(), stable.status(),
        tol_min.status(), tol_k.status(), bagging.status(), resettle.status()})
    if (!s) return s.error();
  if (*interval <= 0 || *tol_min < 0 || *tol_k < 0 || poll->count() <= 0)
    return kiosk::invalid_argument("[scale] interval_mg and poll_ms must be > 0, tolerances ≥ 0");
  d.device = device->string();
  d.baud = static_cast<int>(*baud);
  d.answer_timeout = *timeout;
  e.poll = *poll;
  e.interval_mg = *interval;
  e.stable = *stable;
  e.verifier.tolerance_min_mg = *tol_min;
  e.verifier.tolerance_k = *tol_k;
  e.verifier.bagging_timeout = *bagging;
  e.verifier.resettle = *resettle;
  return std::make_pair(d, e);
}

}  // namespace

int main(int argc, char** argv) {
  kiosk::block_shutdown_signals();
  CLI::App app{"scaled: bagging-area scale service (MT-SICS, Magellan scanner-scale, USB HID POS)"};
  std::string config_file;
  app.add_option("--config", config_file, "kiosk TOML config")->required();
  CLI11_PARSE(app, argc, argv);
  kiosk::init_logging("scaled");

  auto config = kiosk::Config::load(config_file);
  if (!config) {
    spdlog::error("{}", config.message());
    return 2;
  }
  auto opts = read_options(*config);
  if (!opts) {
    spdlog::error("{}: {}", config_file, opts.message());
    return 2;
  }
  // The driver for [scale] protocol (mtsics, magellan or hid) on [scale] device.
  kiosk::SystemClock clock;
  auto device = kiosk::scale::make_scale_device(*config, clock);
  if (!device) {
    spdlog::error("{}: {}", config_file, device.message());
    return 2;
  }
  kiosk::scale::ScaleEngine engine(**device, clock, opts->second);
  kiosk::scale::ScaleService service(engine);
  engine.start();
  auto server = kiosk::start_unix_server(config->socket_path("scale"), {&service});
  if (!server) {
    spdlog::error("{}", server.message());
    return 1;
  }
  spdlog::info("scale on {} (poll {} ms, e = {} mg)", opts->first.device, opts->second.poll.count(),
               opts->second.interval_mg);
  const int sig = kiosk::wait_for_shutdown_signal();
  spdlog::info("signal {}: shutting down", sig);
  // Watch streams end first (they poll the flag), then the server, then the poll thread.
  service.shutdown();
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  engine.stop();
  return 0;
}
