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
#include "scale_store.h"

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
  auto poll = c.get_ms("scale", "poll_ms", 50ms);
  auto interval = c.get_int("scale", "interval_mg", 1000);
  auto stable = c.get_ms("scale", "stable_ms", 400ms);
  auto tol_min = c.get_int("scale", "tolerance_min_mg", 10000);
  // k may be fractional (3.75); toml++ reads an integer as a double too.
  const auto* k_node = c.table()["scale"]["tolerance_k"].node();
  if (k_node && !k_node->is_number()) return kiosk::invalid_argument("[scale] tolerance_k must be a number");
  const double tol_k = k_node ? k_node->value<double>().value_or(3.75) : 3.75;
  auto bagging = c.get_ms("scale", "bagging_timeout_ms", 20000ms);
  auto resettle = c.get_ms("scale", "resettle_ms", 1500ms);
  auto removal_resettle = c.get_ms("scale", "removal_resettle_ms", 3000ms);
  auto plateau = c.get_ms("scale", "plateau_ms", 100ms);
  auto capacity = c.get_int("scale", "capacity_mg", 30'000'000);
  auto scale_sd = c.get_int("scale", "scale_sd_mg", 500);
  auto light_e = c.get_int("scale", "no_weigh_below_e", 5);
  auto bags = c.get_int("scale", "bag_allowance_mg", 250'000);
  auto zero_tracking = c.get_bool("scale", "zero_tracking", true);
  auto min_load_e = c.get_int("scale", "produce_min_load_e", 20);
  for (const kiosk::Status& s : {device.status(), baud.status(), timeout.status(), poll.status(), interval.status(),
                                 stable.status(), tol_min.status(), bagging.status(), resettle.status(),
                                 removal_resettle.status(), plateau.status(), capacity.status(), scale_sd.status(),
                                 light_e.status(), bags.status(), zero_tracking.status(), min_load_e.status()})
    if (!s) return s.error();
  if (*capacity <= 0 || *scale_sd < 0 || *light_e < 0 || *bags < 0 || *min_load_e < 0)
    return kiosk::invalid_argument(
        "[scale] capacity_mg must be > 0; scale_sd_mg, no_weigh_below_e, bag_allowance_mg, produce_min_load_e ≥ 0");
  if (*interval <= 0 || *tol_min < 0 || tol_k < 0 || poll->count() <= 0)
    return kiosk::invalid_argument("[scale] interval_mg and poll_ms must be > 0, tolerances ≥ 0");
  d.device = device->string();
  d.baud = static_cast<int>(*baud);
  d.answer_timeout = *timeout;
  e.poll = *poll;
  e.interval_mg = *interval;
  e.stable = *stable;
  e.verifier.tolerance_min_mg = *tol_min;
  e.verifier.tolerance_k = tol_k;
  e.verifier.bagging_timeout = *bagging;
  e.verifier.resettle = *resettle;
  e.verifier.removal_resettle = *removal_resettle;
  e.verifier.plateau = *plateau;
  e.verifier.scale_sd_mg = *scale_sd;
  e.verifier.interval_mg = *interval;
  e.verifier.no_weigh_below_e = *light_e;
  e.verifier.bag_allowance_mg = *bags;
  e.capacity_mg = *capacity;
  e.produce_min_load_e = *min_load_e;
  e.zero_tracking.enabled = *zero_tracking;
  // Zero tracking: ±0.5 e, ≤ 0.5 e/s, within 2 % of Max (OIML R 76).
  e.zero_tracking.band_mg = *interval / 2;
  e.zero_tracking.rate_mg_per_s = *interval / 2;
  e.zero_tracking.range_mg = *capacity / 50;
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
  // Learned weights and the alert log live in RocksDB under <data_dir>/scale.
  auto learning = kiosk::scale::LearningOptions{};
  {
    auto on = config->get_bool("scale", "learning", true);
    auto adopt = config->get_int("scale", "learn_adopt_after", learning.adopt_after);
    auto att = config->get_int("scale", "learn_attendant_weight", learning.attendant_weight);
    for (const kiosk::Status& s : {on.status(), adopt.status(), att.status()})
      if (!s) {
        spdlog::error("{}: {}", config_file, s.message());
        return 2;
      }
    learning.enabled = *on;
    learning.adopt_after = static_cast<int>(*adopt);
    learning.attendant_weight = static_cast<int>(*att);
  }
  auto store = kiosk::scale::ScaleStore::open(config->data_path("scale"));
  if (!store) {
    spdlog::error("{}", store.message());
    return 1;
  }
  auto learner = kiosk::scale::WeightLearner::open(learning, store->get());
  auto alert_log = kiosk::scale::AlertLog::open(store->get());
  if (!learner || !alert_log) {
    spdlog::error("{}", !learner ? learner.message() : alert_log.message());
    return 1;
  }
  kiosk::scale::ScaleEngine engine(**device, clock, opts->second, learner->get(), alert_log->get());
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
