// paymentd --config FILE: the kiosk's card-payment service (kiosk.v1.Payment on <runtime.dir>/payment.sock).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <thread>

#include "common/clock.h"
#include "common/config.h"
#include "common/logging.h"
#include "common/rpc.h"
#include "common/shutdown.h"
#include "payment/http_transport.h"
#include "payment/payment_journal.h"
#include "payment/payment_processor.h"
#include "payment/payment_service.h"

namespace {

kiosk::Result<kiosk::payment::PaymentConfig> payment_config(const kiosk::Config& c) {
  kiosk::payment::PaymentConfig p;
  auto sale_id = c.get_string("payment", "sale_id", "kiosk-01");
  auto poi_id = c.get_string("payment", "poi_id", "");
  auto currency = c.get_string("lane", "currency", "SEK");
  auto timeout = c.get_ms("payment", "timeout_ms", p.payment_timeout);
  auto status_timeout = c.get_ms("payment", "status_timeout_ms", p.status_timeout);
  auto interval = c.get_ms("payment", "recovery_interval_ms", p.recovery_interval);
  auto attempts = c.get_int("payment", "recovery_attempts", p.recovery_attempts);
  for (const kiosk::Status& s : {sale_id.status(), poi_id.status(), currency.status(), timeout.status(),
                                 status_timeout.status(), interval.status(), attempts.status()})
    if (!s) return s.error();
  if (poi_id->empty()) return kiosk::invalid_argument("[payment] poi_id is required (the terminal's POIID)");
  p.sale_id = *sale_id;
  p.poi_id = *poi_id;
  p.currency = *currency;
  p.payment_timeout = *timeout;
  p.status_timeout = *status_timeout;
  p.recovery_interval = *interval;
  p.recovery_attempts = static_cast<int>(*attempts);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  kiosk::block_shutdown_signals();
  CLI::App app{"paymentd: card payments over nexo Sale-to-POI"};
  std::string config_file;
  app.add_option("--config", config_file, "kiosk TOML config")->required();
  CLI11_PARSE(app, argc, argv);
  kiosk::init_logging("paymentd");

  auto config = kiosk::Config::load(config_file);
  if (!config) {
    spdlog::error("{}", config.message());
    return 2;
  }
  auto pc = payment_config(*config);
  auto endpoint = config->get_string("payment", "endpoint", "");
  if (!pc || !endpoint || endpoint->empty()) {
    spdlog::error("{}: {}", config_file,
                  !pc         ? pc.message()
                  : !endpoint ? endpoint.message()
                              : "[payment] endpoint is required");
    return 2;
  }
  auto journal = kiosk::payment::PaymentJournal::open(config->data_path("payment"));
  if (!journal) {
    spdlog::error("{}", journal.message());
    return 1;
  }
  kiosk::payment::HttpTransport transport(*endpoint);
  kiosk::SystemClock clock;
  kiosk::payment::PaymentProcessor processor(*pc, **journal, transport, clock);
  kiosk::payment::PaymentService service(processor);

  auto server = kiosk::start_unix_server(config->socket_path("payment"), {&service});
  if (!server) {
    spdlog::error("{}", server.message());
    return 1;
  }
  // Payments a previous run left in flight are resolved in the background; Pay for the same key
  // waits for the terminal lock and then replays the resolved record.
  std::thread recovery([&] {
    auto n = processor.recover_all();
    if (!n)
      spdlog::error("recovery: {}", n.message());
    else if (*n > 0)
      spdlog::info("recovered {} payment(s) left in flight", *n);
  });
  // Not kiosk::serve_until_signal: the terminal exchanges must be broken off first, or a Pay
  // waiting for the shopper would hold the shutdown for the whole payment timeout.
  const int sig = kiosk::wait_for_shutdown_signal();
  spdlog::info("signal {}: shutting down", sig);
  transport.stop();
  processor.stop();
  (*server)->GetHealthCheckService()->SetServingStatus(false);
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  recovery.join();
  return 0;
}
