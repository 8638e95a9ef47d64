// The store catalog server's side of following: WatchVersions announces versions, FetchVersion sends
// one whole. Any catalogd can be followed; a kiosk follows its store's server (follower.h).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "catalog_proto.h"
#include "catalog_service.h"
#include "common/rpc.h"

namespace kiosk::catalog {
namespace {

constexpr std::chrono::milliseconds kVersionPoll{100};  // how soon a new version is announced
constexpr std::size_t kChunkBytes = 1 << 20;            // records per FetchVersion message, by size
// The served version is announced again this often, so a follower notices a silent network.
constexpr std::chrono::seconds kHeartbeat{5};

}  // namespace

bool CatalogService::wait_stopped(std::chrono::milliseconds timeout) {
  std::unique_lock lock(stop_mu_);
  return stop_cv_.wait_for(lock, timeout, [&] { return stopped_; });
}

grpc::Status CatalogService::WatchVersions(grpc::ServerContext* ctx, const kiosk::v1::WatchVersionsRequest*,
                                           grpc::ServerWriter<kiosk::v1::CatalogVersion>* writer) {
  spdlog::info("{} follows the catalog versions", ctx->peer());
  std::uint64_t sent = 0;
  auto sent_at = std::chrono::steady_clock::now() - kHeartbeat;  // the first message goes at once
  // The version is an in-memory read: polling it is cheap and needs no hook in every writer.
  while (!ctx->IsCancelled()) {
    const VersionInfo v = store_.version();
    const auto now = std::chrono::steady_clock::now();
    if (v.version != sent || now - sent_at >= kHeartbeat) {
      kiosk::v1::CatalogVersion msg;
      to_proto(v, &msg);
      if (!writer->Write(msg)) break;  // the follower went away
      sent = v.version;
      sent_at = now;
    }
    if (wait_stopped(kVersionPoll)) return {grpc::StatusCode::UNAVAILABLE, "the catalog server is shutting down"};
  }
  spdlog::info("{} stopped following", ctx->peer());
  return grpc::Status::OK;
}

grpc::Status CatalogService::FetchVersion(grpc::ServerContext* ctx, const kiosk::v1::FetchVersionRequest* req,
                                          grpc::ServerWriter<kiosk::v1::VersionChunk>* writer) {
  kiosk::v1::VersionChunk chunk;
  std::size_t bytes = 0;
  std::uint64_t count = 0;
  bool gone = false;
  auto exported = store_.export_version(req->version(), [&](std::string_view key, std::string_view value) -> Status {
    if (ctx->IsCancelled()) gone = true;
    if (gone) return unavailable("the follower went away");
    auto* e = chunk.add_entries();
    e->set_key(std::string(key));
    e->set_value(std::string(value));
    bytes += key.size() + value.size() + 8;
    ++count;
    if (bytes >= kChunkBytes) {
      if (!writer->Write(chunk)) {
        gone = true;
        return unavailable("the follower went away");
      }
      chunk.Clear();
      bytes = 0;
    }
    return {};
  });
  if (gone) return {grpc::StatusCode::CANCELLED, "the follower went away"};
  if (!exported) return to_grpc_status(exported.error());
  // The last chunk says which version this was (read in the same snapshot) and that it is complete.
  to_proto(*exported, chunk.mutable_version());
  chunk.set_version_record(encode_version(*exported));
  chunk.set_entry_count(count);
  chunk.set_last(true);
  if (!writer->Write(chunk)) return {grpc::StatusCode::CANCELLED, "the follower went away"};
  spdlog::info("sent version {} ({} records) to {}", exported->version, count, ctx->peer());
  return grpc::Status::OK;
}

}  // namespace kiosk::catalog
