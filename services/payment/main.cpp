// paymentd --config FILE: the kiosk's card-payment service (kiosk.v1.Payment on <runtime.dir>/payment.sock).
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "common/clock.h"
#include "common/config.h"
#include "common/logging.h"
#include "common/rpc.h"
#include "common/shutdown.h"
#include "payment/http_transport.h"
#include "payment/nexo_device_listener.h"
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
  auto grace = c.get_ms("payment", "not_found_grace_ms", p.not_found_grace);
  for (const kiosk::Status& s : {sale_id.status(), poi_id.status(), currency.status(), timeout.status(),
                                 status_timeout.status(), interval.status(), attempts.status(), grace.status()})
    if (!s) return s.error();
  if (poi_id->empty()) return kiosk::invalid_argument("[payment] poi_id is required (the terminal's POIID)");
  p.sale_id = *sale_id;
  p.poi_id = *poi_id;
  p.currency = *currency;
  p.payment_timeout = *timeout;
  p.status_timeout = *status_timeout;
  p.recovery_interval = *interval;
  p.recovery_attempts = static_cast<int>(*attempts);
  p.not_found_grace = *grace;
  return p;
}

// [payment] endpoint, tls_ca, tls_host and the encryption key (encrypted = true).
kiosk::Result<kiosk::payment::HttpTransportOptions> transport_options(const kiosk::Config& c) {
  kiosk::payment::HttpTransportOptions t;
  auto endpoint = c.get_string("payment", "endpoint", "");
  auto tls_ca = c.get_path("payment", "tls_ca", {});
  auto tls_host = c.get_string("payment", "tls_host", "");
  auto encrypted = c.get_bool("payment", "encrypted", false);
  auto key_id = c.get_string("payment", "key_identifier", "");
  auto key_version = c.get_int("payment", "key_version", 1);
  auto passphrase = c.get_string("payment", "passphrase", "");
  auto passphrase_file = c.get_path("payment", "passphrase_file", {});
  for (const kiosk::Status& s : {endpoint.status(), tls_ca.status(), tls_host.status(), encrypted.status(),
                                 key_id.status(), key_version.status(), passphrase.status(), passphrase_file.status()})
    if (!s) return s.error();
  if (endpoint->empty()) return kiosk::invalid_argument("[payment] endpoint is required");
  if (endpoint->rfind("https://", 0) == 0 && tls_ca->empty())
    return kiosk::invalid_argument("[payment] tls_ca is required for an https endpoint (the terminal's CA file)");
  t.endpoint = *endpoint;
  t.tls_ca = *tls_ca;
  t.tls_host = *tls_host;
  if (!*encrypted) return t;
  kiosk::payment::NexoKey key{*key_id, *key_version, *passphrase};
  if (!passphrase_file->empty()) {
    std::ifstream in(*passphrase_file);
    if (!in || !std::getline(in, key.passphrase))
      return kiosk::invalid_argument(
          fmt::format("[payment] passphrase_file {}: cannot read", passphrase_file->string()));
  }
  auto crypto = kiosk::payment::NexoCrypto::create(std::move(key));
  if (!crypto) return kiosk::invalid_argument(fmt::format("[payment] encrypted = true: {}", crypto.message()));
  t.crypto = std::make_shared<const kiosk::payment::NexoCrypto>(std::move(*crypto));
  return t;
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
  auto topts = transport_options(*config);
  auto notify_listen = config->get_string("payment", "notify_listen", "");
  if (!pc || !topts || !notify_listen) {
    spdlog::error("{}: {}", config_file, !pc ? pc.message() : !topts ? topts.message() : notify_listen.message());
    return 2;
  }
  std::optional<int> reconcile_at;  // minutes after midnight UTC
  if (auto at = config->get_string("payment", "reconcile_at_utc", ""); !at) {
    spdlog::error("{}: {}", config_file, at.message());
    return 2;
  } else if (!at->empty()) {
    auto minute = kiosk::payment::parse_time_of_day(*at);
    if (!minute) {
      spdlog::error("{}: [payment] reconcile_at_utc: {}", config_file, minute.message());
      return 2;
    }
    reconcile_at = *minute;
  }
  auto journal = kiosk::payment::PaymentJournal::open(config->data_path("payment"));
  if (!journal) {
    spdlog::error("{}", journal.message());
    return 1;
  }
  const auto crypto = topts->crypto;
  kiosk::payment::HttpTransport transport(std::move(*topts));
  kiosk::SystemClock clock;
  kiosk::payment::PaymentProcessor processor(*pc, **journal, transport, clock);
  kiosk::payment::PaymentService service(processor);
  // The terminal's own Display/Print requests (card prompts) come in here when configured.
  kiosk::payment::NexoDeviceListener device_listener(processor.prompts(), crypto);
  if (!notify_listen->empty()) {
    auto port = device_listener.start(*notify_listen);
    if (!port) {
      spdlog::error("[payment] notify_listen: {}", port.message());
      return 1;
    }
    spdlog::info("terminal display/print requests on http://{}/nexo", *notify_listen);
  }

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
  // The daily reconciliation with the terminal ([payment] reconcile_at_utc = "HH:MM"; empty: off).
  std::mutex daily_mu;
  std::condition_variable daily_cv;
  bool daily_stop = false;
  std::thread daily([&] {
    if (!reconcile_at) return;
    std::unique_lock lock(daily_mu);
    while (!daily_cv.wait_for(lock, std::chrono::seconds(30), [&] { return daily_stop; })) {
      auto last = (*journal)->last_reconciliation_ms();
      if (!last || !kiosk::payment::reconciliation_due(clock.now_unix_ms(), *last, *reconcile_at)) continue;
      lock.unlock();
      auto report = processor.reconcile();  // logs each difference as an error
      if (!report) spdlog::error("daily reconciliation: {}; retrying in 30 s", report.message());
      lock.lock();
    }
  });
  // Not kiosk::serve_until_signal: the terminal exchanges must be broken off first, or a Pay
  // waiting for the shopper would hold the shutdown for the whole payment timeout.
  const int sig = kiosk::wait_for_shutdown_signal();
  spdlog::info("signal {}: shutting down", sig);
  transport.stop();
  device_listener.stop();
  processor.stop();
  (*server)->GetHealthCheckService()->SetServingStatus(false);
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  {
    std::lock_guard lock(daily_mu);
    daily_stop = true;
  }
  daily_cv.notify_all();
  daily.join();
  recovery.join();
  return 0;
}
