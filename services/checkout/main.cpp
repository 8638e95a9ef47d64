// checkoutd: the lane service. `checkoutd --config FILE`.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "checkout/checkout_service.h"
#include "checkout/lane_core.h"
#include "checkout/peer_links.h"
#include "common/config.h"
#include "common/logging.h"
#include "common/rpc.h"
#include "common/shutdown.h"

namespace {

template <typename T>
bool take(kiosk::Result<T> r, T& out) {
  if (!r) {
    spdlog::critical("config: {}", r.message());
    return false;
  }
  out = std::move(*r);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  kiosk::block_shutdown_signals();
  CLI::App app{"checkoutd: the self-checkout lane (session, basket, journal, receipts)"};
  std::string config_file;
  app.add_option("--config", config_file, "kiosk TOML config")->required();
  CLI11_PARSE(app, argc, argv);
  kiosk::init_logging("checkoutd");

  auto config = kiosk::Config::load(config_file);
  if (!config) {
    spdlog::critical("{}", config.message());
    return 2;
  }
  kiosk::checkout::LaneCore::Options opts;
  std::int64_t lane_no = 1;
  std::int64_t receipt_timeout_ms = 30'000;
  std::filesystem::path attendants_file;
  if (!take(config->get_int("lane", "number", 1), lane_no) ||
      !take(config->get_string("lane", "store_name", ""), opts.lane.store_name) ||
      !take(config->get_string("lane", "store_address", ""), opts.lane.store_address) ||
      !take(config->get_string("lane", "org_number", ""), opts.lane.org_number) ||
      !take(config->get_string("lane", "currency", "SEK"), opts.lane.currency) ||
      !take(config->get_int("checkout", "receipt_timeout_ms", 30'000), receipt_timeout_ms) ||
      !take(config->get_path("checkout", "attendants_file", ""), attendants_file)) {
    return 2;
  }
  if (lane_no < 1 || lane_no > 9999) {
    spdlog::critical("config: [lane] number must be 1..9999, not {}", lane_no);
    return 2;
  }
  opts.lane.lane = static_cast<std::uint32_t>(lane_no);
  opts.receipt_timeout = std::chrono::milliseconds(receipt_timeout_ms);
  auto deposits = kiosk::checkout::DepositTable::from_config(*config);
  if (!take(std::move(deposits), opts.deposits)) return 2;
  auto member_cards = kiosk::checkout::MemberCards::from_config(*config);
  if (!take(std::move(member_cards), opts.member_cards)) return 2;
  for (const auto& [code, ore] : opts.deposits.amounts()) spdlog::info("deposit {}: {} öre", code, ore);
  spdlog::info("loyalty cards {}", opts.member_cards.enabled() ? "recognised" : "off (no member_card_prefixes)");

  kiosk::SystemClock clock;
  std::unique_ptr<kiosk::checkout::AttendantDirectory> attendants;
  if (!attendants_file.empty()) {
    auto dir = kiosk::checkout::AttendantDirectory::load(attendants_file, clock);
    if (dir) {
      attendants = std::move(*dir);
      spdlog::info("{} attendants from {}", attendants->size(), attendants_file.string());
    } else {
      // A lane without attendants still sells; attendant actions are refused until the file is fixed.
      spdlog::error("attendants: {}; attendant actions are refused", dir.message());
    }
  }

  auto core = kiosk::checkout::LaneCore::open(config->data_path("checkout"), opts, clock, attendants.get());
  if (!core) {
    spdlog::critical("{}", core.message());
    return 1;
  }
  const auto s = (*core)->session();
  spdlog::info("lane {}: resumed {} session '{}' at revision {}", opts.lane.lane,
               kiosk::checkout::state_name(s.state()), s.session_id(), s.revision());

  kiosk::checkout::PeerLinks::Options peer_opts;
  peer_opts.currency = opts.lane.currency;
  kiosk::checkout::PeerLinks peers(**core,
                                   {config->socket_path("catalog"), config->socket_path("vision"),
                                    config->socket_path("scale"), config->socket_path("payment")},
                                   peer_opts);
  kiosk::checkout::CheckoutService service(**core, peers);
  auto server = kiosk::start_unix_server(config->socket_path("checkout"), {&service});
  if (!server) {
    spdlog::critical("{}", server.message());
    return 1;
  }
  peers.start();
  // As kiosk::serve_until_signal, but Watch streams and peer threads end first so shutdown is prompt.
  const int sig = kiosk::wait_for_shutdown_signal();
  spdlog::info("signal {}: shutting down", sig);
  (*server)->GetHealthCheckService()->SetServingStatus(false);
  service.stop();
  peers.stop();
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}
