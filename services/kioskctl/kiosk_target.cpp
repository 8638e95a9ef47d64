#include "kiosk_target.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>

#include "catalog/auth_token.h"
#include "common/rpc.h"

namespace kiosk::ctl {
namespace {

constexpr int kMaxCatalogReplyBytes = 512 * 1024 * 1024;  // = catalogd's limit: a diff of a large catalog

Result<std::string> read_pem(const std::filesystem::path& file, std::string_view option) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return invalid_argument(fmt::format("{} {}: cannot read the file", option, file.string()));
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().find("-----BEGIN ") == std::string::npos) {
    return invalid_argument(fmt::format("{} {}: not a PEM file", option, file.string()));
  }
  return ss.str();
}

}  // namespace

Result<Connection> connect(const ConnectOptions& o, const Config* config) {
  Connection c;
  if (!o.token_file.empty()) {
    auto t = catalog::read_secret_file(o.token_file);
    if (!t) return invalid_argument(fmt::format("--token-file: {}", t.message()));
    c.token = std::move(*t);
  } else if (const char* env = std::getenv(kTokenEnv); env != nullptr && *env != '\0') {
    c.token = env;
  }
  const ChannelOptions channel_options{.max_receive_message_bytes = kMaxCatalogReplyBytes, .own_connection = true};
  if (o.kiosks.empty()) {
    if (config == nullptr) return invalid_argument("no --kiosk given and no config to find the local kiosk");
    const auto socket = config->socket_path("catalog");
    c.kiosks.push_back({"unix:" + socket.string(), make_unix_channel(socket, channel_options)});
    return c;
  }
  TlsClientOptions tls;
  bool tls_loaded = false;
  for (const auto& k : o.kiosks) {
    if (k.starts_with("unix:")) {
      const std::filesystem::path socket = k.substr(5);
      if (socket.empty()) return invalid_argument(fmt::format("--kiosk {}: no socket path after unix:", k));
      c.kiosks.push_back({k, make_unix_channel(socket, channel_options)});
      continue;
    }
    const auto colon = k.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == k.size()) {
      return invalid_argument(fmt::format("--kiosk {}: expected unix:PATH or HOST:PORT", k));
    }
    if (!tls_loaded) {
      if (o.ca.empty()) {
        return invalid_argument(
            fmt::format("--kiosk {}: a kiosk on the network needs --ca (the PEM CA of its certificate)", k));
      }
      auto ca = read_pem(o.ca, "--ca");
      if (!ca) return ca.error();
      tls.ca_pem = std::move(*ca);
      if (o.cert.empty() != o.key.empty()) return invalid_argument("--cert and --key go together");
      if (!o.cert.empty()) {
        auto cert = read_pem(o.cert, "--cert");
        if (!cert) return cert.error();
        auto key = read_pem(o.key, "--key");
        if (!key) return key.error();
        tls.cert_pem = std::move(*cert);
        tls.key_pem = std::move(*key);
      }
      tls_loaded = true;
    }
    c.kiosks.push_back({k, make_tls_channel(k, tls, channel_options)});
  }
  return c;
}

void add_token(grpc::ClientContext& ctx, const Connection& conn) {
  if (!conn.token.empty()) add_bearer_token(ctx, conn.token);
}

int rpc_failed(const grpc::Status& s, const KioskTarget& kiosk, std::ostream& err) {
  std::string what;
  switch (s.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      what = fmt::format("invalid: {}", s.error_message());
      break;
    case grpc::StatusCode::NOT_FOUND:
      what = fmt::format("not found: {}", s.error_message());
      break;
    case grpc::StatusCode::UNAVAILABLE:
      what = fmt::format("unreachable: {}", s.error_message());
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      what = fmt::format("timed out: {}", s.error_message());
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      what = fmt::format("authentication failed: no store-IT token was sent (give --token-file FILE or set {}): {}",
                         kTokenEnv, s.error_message());
      break;
    case grpc::StatusCode::PERMISSION_DENIED:
      what = fmt::format("authentication failed: {}", s.error_message());
      break;
    default:
      what = fmt::format("error: {}", s.error_message());
      break;
  }
  err << fmt::format("kioskctl: catalog ({}): {}\n", kiosk.label, what);
  return 1;
}

int for_each_kiosk(const Connection& conn, std::ostream& out, std::ostream& err,
                   const std::function<int(const KioskTarget&, std::ostream&, std::ostream&)>& fn) {
  int failed = 0;
  for (const auto& k : conn.kiosks) {
    if (conn.kiosks.size() > 1) out << fmt::format("== {} ==\n", k.label);
    if (fn(k, out, err) != 0) ++failed;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace kiosk::ctl
