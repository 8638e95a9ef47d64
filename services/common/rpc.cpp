#include "rpc.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "shutdown.h"

namespace kiosk {

grpc::Status to_grpc_status(const Error& e) {
  grpc::StatusCode c = grpc::StatusCode::INTERNAL;
  switch (e.code) {
    case ErrorCode::kInvalidArgument:
      c = grpc::StatusCode::INVALID_ARGUMENT;
      break;
    case ErrorCode::kNotFound:
      c = grpc::StatusCode::NOT_FOUND;
      break;
    case ErrorCode::kFailedPrecondition:
      c = grpc::StatusCode::FAILED_PRECONDITION;
      break;
    case ErrorCode::kAlreadyExists:
      c = grpc::StatusCode::ALREADY_EXISTS;
      break;
    case ErrorCode::kUnavailable:
      c = grpc::StatusCode::UNAVAILABLE;
      break;
    case ErrorCode::kDeadlineExceeded:
      c = grpc::StatusCode::DEADLINE_EXCEEDED;
      break;
    case ErrorCode::kPermissionDenied:
      c = grpc::StatusCode::PERMISSION_DENIED;
      break;
    case ErrorCode::kDataLoss:
      c = grpc::StatusCode::DATA_LOSS;
      break;
    case ErrorCode::kInternal:
      c = grpc::StatusCode::INTERNAL;
      break;
  }
  return {c, e.message};
}

Error from_grpc_status(const grpc::Status& s, std::string_view what) {
  ErrorCode c = ErrorCode::kInternal;
  switch (s.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      c = ErrorCode::kInvalidArgument;
      break;
    case grpc::StatusCode::NOT_FOUND:
      c = ErrorCode::kNotFound;
      break;
    case grpc::StatusCode::FAILED_PRECONDITION:
      c = ErrorCode::kFailedPrecondition;
      break;
    case grpc::StatusCode::ALREADY_EXISTS:
      c = ErrorCode::kAlreadyExists;
      break;
    case grpc::StatusCode::UNAVAILABLE:
      c = ErrorCode::kUnavailable;
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      c = ErrorCode::kDeadlineExceeded;
      break;
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
      c = ErrorCode::kPermissionDenied;
      break;
    case grpc::StatusCode::DATA_LOSS:
      c = ErrorCode::kDataLoss;
      break;
    default:
      break;
  }
  return {c, fmt::format("{}: {}", what, s.error_message())};
}

std::string unix_target(const std::filesystem::path& socket) {
  return "unix:" + std::filesystem::absolute(socket).string();
}

std::shared_ptr<grpc::Channel> make_unix_channel(const std::filesystem::path& socket, const ChannelOptions& options) {
  grpc::ChannelArguments args;
  if (options.max_receive_message_bytes > 0) args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  if (options.own_connection) args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // Reconnect quickly after a peer restarts (the default backoff grows to minutes).
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(unix_target(socket), grpc::InsecureChannelCredentials(), args);
}

namespace {

void set_reconnect_backoff(grpc::ChannelArguments& args) {
  // Reconnect quickly after a peer restarts (the default backoff grows to minutes).
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
}

}  // namespace

std::shared_ptr<grpc::Channel> make_tls_channel(const std::string& host_port, const TlsClientOptions& tls,
                                                const ChannelOptions& options) {
  grpc::ChannelArguments args;
  if (options.max_receive_message_bytes > 0) args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  if (options.own_connection) args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  if (!tls.server_name.empty()) args.SetSslTargetNameOverride(tls.server_name);
  set_reconnect_backoff(args);
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = tls.ca_pem;
  ssl.pem_cert_chain = tls.cert_pem;
  ssl.pem_private_key = tls.key_pem;
  return grpc::CreateCustomChannel(host_port, grpc::SslCredentials(ssl), args);
}

void add_bearer_token(grpc::ClientContext& ctx, std::string_view token) {
  ctx.AddMetadata("authorization", fmt::format("Bearer {}", token));
}

Result<std::unique_ptr<grpc::Server>> start_unix_server(const std::filesystem::path& socket,
                                                        const std::vector<grpc::Service*>& services,
                                                        const ServerOptions& options) {
  return start_server(socket, services, options, std::nullopt);
}

Result<std::unique_ptr<grpc::Server>> start_server(const std::filesystem::path& socket,
                                                   const std::vector<grpc::Service*>& services,
                                                   const ServerOptions& options, const std::optional<TlsListener>& tls,
                                                   int* tls_port) {
  if (tls_port != nullptr) *tls_port = 0;
  std::error_code ec;
  std::filesystem::create_directories(socket.parent_path(), ec);
  if (ec) return unavailable(fmt::format("cannot create socket folder {}: {}", socket.parent_path(), ec.message()));
  std::filesystem::remove(socket, ec);  // a stale socket from a crashed run
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(unix_target(socket), grpc::InsecureServerCredentials());
  int bound_port = 0;
  if (tls) {
    grpc::SslServerCredentialsOptions ssl(tls->client_ca_pem.empty()
                                              ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                              : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_root_certs = tls->client_ca_pem;
    ssl.pem_key_cert_pairs.push_back({tls->key_pem, tls->cert_pem});
    auto creds = grpc::SslServerCredentials(ssl);
    if (tls->auth) creds->SetAuthMetadataProcessor(tls->auth);
    builder.AddListeningPort(tls->address, creds, &bound_port);
  }
  for (auto* s : services) builder.RegisterService(s);
  if (options.max_receive_message_bytes > 0) builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) {
    return unavailable(tls ? fmt::format("cannot listen on {} and {} (TLS; check the address, certificate and key)",
                                         socket, tls->address)
                           : fmt::format("cannot listen on {}", socket));
  }
  if (tls && bound_port == 0) return unavailable(fmt::format("cannot listen on {} (TLS)", tls->address));
  ::chmod(socket.c_str(), 0660);
  server->GetHealthCheckService()->SetServingStatus(true);
  spdlog::info("listening on {}", socket);
  if (tls) {
    spdlog::info("listening on TLS port {} ({}{})", bound_port, tls->address,
                 tls->client_ca_pem.empty() ? "" : ", client certificates required");
  }
  if (tls_port != nullptr) *tls_port = bound_port;
  return server;
}

void serve_until_signal(grpc::Server& server, std::chrono::milliseconds grace) {
  const int sig = wait_for_shutdown_signal();
  spdlog::info("signal {}: shutting down", sig);
  server.GetHealthCheckService()->SetServingStatus(false);
  server.Shutdown(std::chrono::system_clock::now() + grace);
}

bool wait_serving(const std::filesystem::path& socket, std::chrono::milliseconds within) {
  const auto until = std::chrono::steady_clock::now() + within;
  auto stub = grpc::health::v1::Health::NewStub(make_unix_channel(socket));
  while (std::chrono::steady_clock::now() < until) {
    if (std::filesystem::exists(socket)) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
      grpc::health::v1::HealthCheckResponse resp;
      if (stub->Check(&ctx, {}, &resp).ok() && resp.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
        return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a real state, with a deadline
  }
  return false;
}

}  // namespace kiosk
