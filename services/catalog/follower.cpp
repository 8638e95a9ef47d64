#include "follower.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <utility>
#include <vector>

namespace kiosk::catalog {
namespace {

// A version fetch may be large (a million products is ~150 MB): it has all this long.
constexpr std::chrono::minutes kFetchDeadline{10};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Follower::Follower(CatalogStore& store, FollowerOptions options) : store_(store), options_(std::move(options)) {}

Follower::~Follower() {
  stop();
}

void Follower::start() {
  thread_ = std::thread([this] { run(); });
}

void Follower::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    if (call_ != nullptr) call_->TryCancel();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Follower::wait_stopped(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, d, [&] { return stopped_; });
}

void Follower::set_call(grpc::ClientContext* ctx) {
  std::lock_guard lock(mu_);
  call_ = ctx;
  if (ctx != nullptr && stopped_) ctx->TryCancel();
}

void Follower::run() {
  spdlog::info("following the store catalog server {}", options_.server);
  auto backoff = options_.retry_min;
  while (true) {
    bool progressed = false;
    const Status st = follow_once(progressed);
    {
      std::lock_guard lock(mu_);
      if (stopped_) break;
    }
    if (progressed) backoff = options_.retry_min;
    spdlog::warn("store catalog server {}: {}; still serving local version {}, retrying in {} ms", options_.server,
                 st ? "the version stream ended" : st.message(), store_.version().version, backoff.count());
    if (wait_stopped(backoff)) break;
    backoff = std::min(backoff * 2, options_.retry_max);
  }
  spdlog::info("stopped following {}", options_.server);
}

Status Follower::follow_once(bool& progressed) {
  auto channel = make_tls_channel(options_.server, options_.tls, {.own_connection = true});
  auto stub = kiosk::v1::Catalog::NewStub(channel);
  grpc::ClientContext ctx;
  add_bearer_token(ctx, options_.token);
  set_call(&ctx);
  // A silent network (no reset, just nothing) would block Read forever: cancel after silence_limit.
  last_heard_ms_ = now_ms();
  std::mutex watchdog_mu;
  std::condition_variable watchdog_cv;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock lock(watchdog_mu);
    while (!watchdog_cv.wait_for(lock, std::chrono::milliseconds(500), [&] { return done; })) {
      if (now_ms() - last_heard_ms_.load() > options_.silence_limit.count()) {
        spdlog::warn("store catalog server {}: nothing heard for {} ms, reconnecting", options_.server,
                     options_.silence_limit.count());
        {
          std::lock_guard call_lock(mu_);
          if (call_ != nullptr) call_->TryCancel();  // a fetch frozen mid-way too
        }
        ctx.TryCancel();
        return;
      }
    }
  });
  Status result;
  auto reader = stub->WatchVersions(&ctx, kiosk::v1::WatchVersionsRequest());
  kiosk::v1::CatalogVersion announced;
  while (reader->Read(&announced)) {
    last_heard_ms_ = now_ms();
    auto upstream = store_.upstream_version();
    if (!upstream) {
      result = upstream.error();
      ctx.TryCancel();
      break;
    }
    if (announced.version() == 0 || announced.version() == *upstream) {
      progressed = true;  // connected and up to date
      continue;
    }
    spdlog::info("store catalog server {} serves version {} ({} products); fetching it", options_.server,
                 announced.version(), announced.product_count());
    const Status fetched = fetch_and_apply(*stub, announced.version());
    set_call(&ctx);  // the watch is the call to cancel again
    if (!fetched) {
      result = fetched;
      ctx.TryCancel();
      break;
    }
    progressed = true;
    last_heard_ms_ = now_ms();
  }
  const grpc::Status s = reader->Finish();
  set_call(nullptr);
  {
    std::lock_guard lock(watchdog_mu);
    done = true;
  }
  watchdog_cv.notify_all();
  watchdog.join();
  if (!result) return result;
  if (!s.ok()) return from_grpc_status(s, "watching versions");
  return {};
}

Status Follower::fetch_and_apply(kiosk::v1::Catalog::Stub& stub, std::uint64_t announced) {
  grpc::ClientContext ctx;
  add_bearer_token(ctx, options_.token);
  ctx.set_deadline(std::chrono::system_clock::now() + kFetchDeadline);
  set_call(&ctx);
  kiosk::v1::FetchVersionRequest req;
  req.set_version(0);  // whatever is served now: the latest, even if more versions came meanwhile
  auto reader = stub.FetchVersion(&ctx, req);
  std::vector<std::pair<std::string, std::string>> records;
  kiosk::v1::VersionChunk chunk;
  bool complete = false;
  std::uint64_t expected = 0;
  std::string version_record;
  while (reader->Read(&chunk)) {
    last_heard_ms_ = now_ms();  // a long fetch is not a silent server
    for (auto& e : *chunk.mutable_entries()) {
      records.emplace_back(std::move(*e.mutable_key()), std::move(*e.mutable_value()));
    }
    if (chunk.last()) {
      complete = true;
      expected = chunk.entry_count();
      version_record = chunk.version_record();
    }
  }
  const grpc::Status s = reader->Finish();
  set_call(nullptr);
  if (!s.ok()) return from_grpc_status(s, fmt::format("fetching version {}", announced));
  if (!complete || expected != records.size()) {
    return data_loss(fmt::format("fetching version {}: the stream ended after {} of {} records; nothing applied",
                                 announced, records.size(), expected));
  }
  auto upstream = decode_version(version_record);
  if (!upstream) return upstream.error();
  auto applied = store_.apply_replica(*upstream, records);
  if (!applied) return applied.error();
  spdlog::info("applied store server version {} as local version {} ({} products)", upstream->version, applied->version,
               applied->product_count);
  return {};
}

}  // namespace kiosk::catalog
