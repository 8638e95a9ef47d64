#include <fmt/format.h>
#include <array>
#include <chrono>
#include <ostream>

#include "commands.h"
#include "common/rpc.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace kiosk::ctl {

int health(const Config& config, std::ostream& out) {
  static constexpr std::array<std::string_view, 5> kServices = {"catalog", "vision", "scale", "payment", "checkout"};
  int failed = 0;
  for (std::string_view name : kServices) {
    const auto socket = config.socket_path(name);
    std::string status;
    if (!std::filesystem::exists(socket)) {
      status = "unreachable (no socket)";
    } else {
      auto stub = grpc::health::v1::Health::NewStub(make_unix_channel(socket));
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      grpc::health::v1::HealthCheckResponse resp;
      const grpc::Status s = stub->Check(&ctx, grpc::health::v1::HealthCheckRequest(), &resp);
      if (!s.ok()) {
        status = fmt::format("unreachable ({})", s.error_message());
      } else if (resp.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
        status = "SERVING";
      } else if (resp.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING) {
        status = "NOT_SERVING";
      } else {
        status = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status());
      }
    }
    if (status != "SERVING") ++failed;
    out << fmt::format("{:<9} {}  {}\n", name, socket.string(), status);
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace kiosk::ctl
