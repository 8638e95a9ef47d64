#pragma once
// gRPC boilerplate shared by every service: Unix-socket servers with the standard health service,
// channels to peers, and Error → grpc::Status at the RPC edge. Only adapters and mains include this.
#include <grpcpp/grpcpp.h>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
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

struct ServerOptions {
  int max_receive_message_bytes = 0;  // 0 = gRPC's default (4 MB); raise for large requests (catalog pushes)
};

// Starts a server on a Unix socket (stale socket removed, parent folder created, mode 0660) with the
// given services and the standard health service reporting SERVING.
Result<std::unique_ptr<grpc::Server>> start_unix_server(const std::filesystem::path& socket,
                                                        const std::vector<grpc::Service*>& services,
                                                        const ServerOptions& options = {});

// Polls the standard health service on `socket` until it answers SERVING or `within` passes: how a
// launcher (tests, the demo) knows a service it started is ready.
bool wait_serving(const std::filesystem::path& socket, std::chrono::milliseconds within);

// Blocks until SIGTERM/SIGINT, then shuts the server down, giving open calls `grace` to finish.
// Streams must watch their ServerContext::IsCancelled() (or a stop flag) to end promptly.
void serve_until_signal(grpc::Server& server, std::chrono::milliseconds grace = std::chrono::seconds(2));

}  // namespace kiosk
