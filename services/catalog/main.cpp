// catalogd: the product catalog service (kiosk.v1.Catalog on <runtime.dir>/catalog.sock).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "catalog_service.h"
#include "catalog_store.h"
#include "common/config.h"
#include "common/logging.h"
#include "common/rpc.h"
#include "common/shutdown.h"

int main(int argc, char** argv) {
  kiosk::block_shutdown_signals();
  CLI::App app{"catalogd: product catalog service"};
  std::string config_path;
  app.add_option("--config", config_path, "kiosk TOML config file")->required();
  CLI11_PARSE(app, argc, argv);
  kiosk::init_logging("catalogd");

  auto config = kiosk::Config::load(config_path);
  if (!config) {
    spdlog::critical("{}", config.message());
    return 2;
  }
  kiosk::catalog::CatalogOptions options;
  auto vm_spec = config->get_string("catalog", "variable_measure", "swedish");
  if (!vm_spec) {
    spdlog::critical("{}", vm_spec.message());
    return 2;
  }
  auto rules = kiosk::catalog::parse_variable_measure_rules(*vm_spec);
  if (!rules) {
    spdlog::critical("{}: {}", config_path, rules.message());
    return 2;
  }
  options.variable_measure = std::move(*rules);
  auto keep = config->get_int("catalog", "keep_versions", 5);
  if (!keep || *keep < 1 || *keep > 1000) {
    spdlog::critical("{}: [catalog] keep_versions must be an integer 1-1000{}", config_path,
                     keep ? "" : ": " + keep.message());
    return 2;
  }
  options.keep_versions = static_cast<std::uint32_t>(*keep);
  kiosk::SystemClock clock;
  auto store = kiosk::catalog::CatalogStore::open(config->data_path("catalog"), clock, std::move(options));
  if (!store) {
    spdlog::critical("{}", store.message());
    return 1;
  }
  const auto v = (*store)->version();
  spdlog::info("catalog version {} with {} products", v.version, v.product_count);
  kiosk::catalog::CatalogService service(**store);
  auto server = kiosk::start_unix_server(config->socket_path("catalog"), {&service},
                                         {.max_receive_message_bytes = kiosk::catalog::kMaxCatalogMessageBytes});
  if (!server) {
    spdlog::critical("{}", server.message());
    return 1;
  }
  kiosk::serve_until_signal(**server);
  return 0;
}
