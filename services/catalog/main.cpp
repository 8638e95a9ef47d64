// catalogd: the product catalog service (kiosk.v1.Catalog on <runtime.dir>/catalog.sock, and on a TLS
// port for the store network when [catalog] listen is set). With [catalog] follow it follows a store
// catalog server.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <optional>
#include <sstream>

#include "auth_check.h"
#include "auth_token.h"
#include "catalog_service.h"
#include "catalog_store.h"
#include "common/config.h"
#include "common/logging.h"
#include "common/rpc.h"
#include "common/shutdown.h"
#include "follower.h"
#include "mutex_tuning.h"

namespace {

using kiosk::Config;
using kiosk::Result;

Result<std::string> read_pem(const std::filesystem::path& file, std::string_view key) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return kiosk::invalid_argument(fmt::format("[catalog] {}: cannot read {}", key, file.string()));
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().find("-----BEGIN ") == std::string::npos) {
    return kiosk::invalid_argument(fmt::format("[catalog] {}: {} is not a PEM file", key, file.string()));
  }
  return ss.str();
}

// [catalog] token_sha256, or token_file holding it. Neither: writes are refused to everyone.
Result<kiosk::catalog::TokenVerifier> load_token(const Config& config) {
  auto hex = config.get_string("catalog", "token_sha256", "");
  if (!hex) return hex.error();
  auto file = config.get_string("catalog", "token_file", "");
  if (!file) return file.error();
  if (!hex->empty() && !file->empty()) {
    return kiosk::invalid_argument("[catalog] set token_sha256 or token_file, not both");
  }
  if (!file->empty()) {
    const auto path = config.resolve(*file);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      // A kiosk not yet given its token still sells; it only refuses writes until the file exists.
      spdlog::error("[catalog] token_file {} does not exist: catalog writes are refused", path.string());
      return kiosk::catalog::TokenVerifier();
    }
    auto text = kiosk::catalog::read_secret_file(path);
    if (!text) return kiosk::invalid_argument(fmt::format("[catalog] token_file: {}", text.message()));
    hex = *text;
  }
  if (hex->empty()) return kiosk::catalog::TokenVerifier();
  auto v = kiosk::catalog::TokenVerifier::from_sha256_hex(*hex);
  if (!v) return kiosk::invalid_argument(fmt::format("[catalog] token: {}", v.message()));
  return v;
}

// [catalog] listen, tls_cert, tls_key, tls_client_ca: the store network listener, or none.
Result<std::optional<kiosk::TlsListener>> load_listener(const Config& config,
                                                        const kiosk::catalog::TokenVerifier& token) {
  auto listen = config.get_string("catalog", "listen", "");
  if (!listen) return listen.error();
  if (listen->empty()) return std::optional<kiosk::TlsListener>();
  if (!token.configured()) {
    return kiosk::invalid_argument(
        "[catalog] listen needs the store-IT token (token_sha256 or token_file): every call over TLS carries it");
  }
  kiosk::TlsListener tls;
  tls.address = *listen;
  for (const auto& [key, out] : {std::pair<std::string_view, std::string*>{"tls_cert", &tls.cert_pem},
                                 std::pair<std::string_view, std::string*>{"tls_key", &tls.key_pem}}) {
    auto path = config.get_string("catalog", key, "");
    if (!path) return path.error();
    if (path->empty()) return kiosk::invalid_argument(fmt::format("[catalog] listen needs {}", key));
    auto pem = read_pem(config.resolve(*path), key);
    if (!pem) return pem.error();
    *out = std::move(*pem);
  }
  auto ca = config.get_string("catalog", "tls_client_ca", "");
  if (!ca) return ca.error();
  if (!ca->empty()) {
    auto pem = read_pem(config.resolve(*ca), "tls_client_ca");
    if (!pem) return pem.error();
    tls.client_ca_pem = std::move(*pem);
  }
  tls.auth = kiosk::catalog::make_token_processor(token);
  return std::optional<kiosk::TlsListener>(std::move(tls));
}

// [catalog] follow, follow_ca, follow_token_file, follow_cert, follow_key, follow_server_name,
// follow_retry_max_ms: the store catalog server to follow, or none.
Result<std::optional<kiosk::catalog::FollowerOptions>> load_follow(const Config& config) {
  auto server = config.get_string("catalog", "follow", "");
  if (!server) return server.error();
  if (server->empty()) return std::optional<kiosk::catalog::FollowerOptions>();
  kiosk::catalog::FollowerOptions f;
  f.server = *server;
  auto ca = config.get_string("catalog", "follow_ca", "");
  if (!ca) return ca.error();
  if (ca->empty()) return kiosk::invalid_argument("[catalog] follow needs follow_ca (the store server's CA, PEM)");
  auto ca_pem = read_pem(config.resolve(*ca), "follow_ca");
  if (!ca_pem) return ca_pem.error();
  f.tls.ca_pem = std::move(*ca_pem);
  auto token_file = config.get_string("catalog", "follow_token_file", "");
  if (!token_file) return token_file.error();
  if (token_file->empty()) {
    return kiosk::invalid_argument("[catalog] follow needs follow_token_file (a file holding the store-IT token)");
  }
  auto token = kiosk::catalog::read_secret_file(config.resolve(*token_file));
  if (!token) return kiosk::invalid_argument(fmt::format("[catalog] follow_token_file: {}", token.message()));
  f.token = std::move(*token);
  auto cert = config.get_string("catalog", "follow_cert", "");
  auto key = config.get_string("catalog", "follow_key", "");
  if (!cert) return cert.error();
  if (!key) return key.error();
  if (cert->empty() != key->empty())
    return kiosk::invalid_argument("[catalog] set follow_cert and follow_key together");
  if (!cert->empty()) {
    auto c = read_pem(config.resolve(*cert), "follow_cert");
    if (!c) return c.error();
    auto k = read_pem(config.resolve(*key), "follow_key");
    if (!k) return k.error();
    f.tls.cert_pem = std::move(*c);
    f.tls.key_pem = std::move(*k);
  }
  auto name = config.get_string("catalog", "follow_server_name", "");
  if (!name) return name.error();
  f.tls.server_name = *name;
  auto retry_max = config.get_ms("catalog", "follow_retry_max_ms", f.retry_max);
  if (!retry_max || retry_max->count() < 100) {
    return kiosk::invalid_argument("[catalog] follow_retry_max_ms must be an integer >= 100");
  }
  f.retry_max = *retry_max;
  f.retry_min = std::min(f.retry_min, f.retry_max);
  return std::optional<kiosk::catalog::FollowerOptions>(std::move(f));
}

}  // namespace

int main(int argc, char** argv) {
  kiosk::block_shutdown_signals();
  kiosk::catalog::turn_off_mutex_deadlock_detection();
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
  auto token = load_token(*config);
  if (!token) {
    spdlog::critical("{}: {}", config_path, token.message());
    return 2;
  }
  if (!token->configured()) spdlog::warn("no store-IT token configured: catalog writes are refused");
  auto listener = load_listener(*config, *token);
  if (!listener) {
    spdlog::critical("{}: {}", config_path, listener.message());
    return 2;
  }
  auto follow = load_follow(*config);
  if (!follow) {
    spdlog::critical("{}: {}", config_path, follow.message());
    return 2;
  }

  kiosk::SystemClock clock;
  auto store = kiosk::catalog::CatalogStore::open(config->data_path("catalog"), clock, std::move(options));
  if (!store) {
    spdlog::critical("{}", store.message());
    return 1;
  }
  const auto v = (*store)->version();
  spdlog::info("catalog version {} with {} products", v.version, v.product_count);
  kiosk::catalog::CatalogService service(**store, *token);
  auto server = kiosk::start_server(config->socket_path("catalog"), {&service},
                                    {.max_receive_message_bytes = kiosk::catalog::kMaxCatalogMessageBytes}, *listener);
  if (!server) {
    spdlog::critical("{}", server.message());
    return 1;
  }
  std::optional<kiosk::catalog::Follower> follower;
  if (*follow) {
    follower.emplace(**store, std::move(**follow));
    follower->start();
  }
  const int sig = kiosk::wait_for_shutdown_signal();
  spdlog::info("signal {}: shutting down", sig);
  if (follower) follower->stop();
  service.stop();  // open version streams end now rather than at the grace deadline
  (*server)->GetHealthCheckService()->SetServingStatus(false);
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}
