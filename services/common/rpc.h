#pragma once
// gRPC boilerplate shared by every service: Unix-socket servers with the standard health service,
// channels to peers, and Error → grpc::Status at the RPC edge. Only adapters and mains include this.
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/auth_metadata_processor.h>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace kiosk {

grpc::Status to_grpc_status(const Error& e);
inline grpc::Status to_grpc_status(const Status& s) {
  return s ? grpc::Status::OK : to_grpc_status(s.error());
}
// The reverse, for clients that call a peer and pass its error on.
Error from_grpc_status(const grpc::Status& s, std::string_view what);

// "unix:/abs/path.sock"
std::string unix_target(const std::filesystem::path& socket);

struct ChannelOptions {
  int max_receive_message_bytes = 0;  // 0 = gRPC's default (4 MB); raise for large replies
  bool own_connection = false;        // true: a connection not shared with other channels to the socket
};

// A channel to a peer's Unix socket. Fails fast RPCs while the peer is down; callers retry.
std::shared_ptr<grpc::Channel> make_unix_channel(const std::filesystem::path& socket,
                                                 const ChannelOptions& options = {});

// TLS for a client on the store network: the CA that signed the server's certificate, and optionally the
// client's own certificate and key (servers that require one). PEM text, not file names.
struct TlsClientOptions {
  std::string ca_pem;       // empty: the system's roots
  std::string cert_pem;     // client certificate chain, for servers with a client CA
  std::string key_pem;      // its private key
  std::string server_name;  // non-empty: the name to check in the server's certificate instead of the host
};

// A TLS channel to "host:port" (the same reconnect behaviour as make_unix_channel).
std::shared_ptr<grpc::Channel> make_tls_channel(const std::string& host_port, const TlsClientOptions& tls,
                                                const ChannelOptions& options = {});

// Adds "authorization: Bearer <token>" to one call (a bearer token is sent on Unix and TLS channels alike).
void add_bearer_token(grpc::ClientContext& ctx, std::string_view token);

struct ServerOptions {
  int max_receive_message_bytes = 0;  // 0 = gRPC's default (4 MB); raise for large requests (catalog pushes)
};

// A TCP listener with TLS, for the store network (the Unix socket stays the default).
struct TlsListener {
  std::string address;        // "0.0.0.0:7443"; port 0 picks a free port (see start_server's tls_port)
  std::string cert_pem;       // the server's certificate chain
  std::string key_pem;        // its private key
  std::string client_ca_pem;  // non-empty: clients must present a certificate signed by this CA
  // Checks every call that arrives over TLS before its handler runs (e.g. a bearer token); may be null.
  std::shared_ptr<grpc::AuthMetadataProcessor> auth;
};

// Starts a server on a Unix socket (stale socket removed, parent folder created, mode 0660) with the
// given services and the standard health service reporting SERVING.
Result<std::unique_ptr<grpc::Server>> start_unix_server(const std::filesystem::path& socket,
                                                        const std::vector<grpc::Service*>& services,
                                                        const ServerOptions& options = {});

// start_unix_server plus, when `tls` is set, a TLS listener on TCP serving the same services. The
// port actually bound goes to *tls_port (when not null); 0 when there is no TLS listener.
Result<std::unique_ptr<grpc::Server>> start_server(const std::filesystem::path& socket,
                                                   const std::vector<grpc::Service*>& services,
                                                   const ServerOptions& options, const std::optional<TlsListener>& tls,
                                                   int* tls_port = nullptr);

// Polls the standard health service on `socket` until it answers SERVING or `within` passes: how a
// launcher (tests, the demo) knows a service it started is ready.
bool wait_serving(const std::filesystem::path& socket, std::chrono::milliseconds within);

// Blocks until SIGTERM/SIGINT, then shuts the server down, giving open calls `grace` to finish.
// Streams must watch their ServerContext::IsCancelled() (or a stop flag) to end promptly.
void serve_until_signal(grpc::Server& server, std::chrono::milliseconds grace = std::chrono::seconds(2));

}  // namespace kiosk
