#pragma once
// A kiosk's catalog following its store's catalog server ([catalog] follow = "host:port"): it watches
// the server's versions over TLS (with the store-IT token), fetches each new one whole and serves it
// as a new local version, atomically (CatalogStore::apply_replica). Cut off from the server, the kiosk
// keeps serving its last complete version and retries with backoff; back online, it fetches whatever
// the server serves then, so it catches up to the latest in one step.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "catalog_store.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"

namespace kiosk::catalog {

struct FollowerOptions {
  std::string server;  // "host:port" of the store catalog server's TLS listener
  TlsClientOptions tls;
  std::string token;                         // the store-IT bearer token
  std::chrono::milliseconds retry_min{500};  // first retry after a failure; doubles up to retry_max
  std::chrono::milliseconds retry_max{30'000};
  std::chrono::milliseconds silence_limit{15'000};  // no message (the server re-announces every 5 s): reconnect
};

class Follower {
 public:
  Follower(CatalogStore& store, FollowerOptions options);
  ~Follower();  // stops
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  void start();
  // Cancels the open calls and joins the thread; nothing half-fetched is applied.
  void stop();

 private:
  void run();
  // One connection: watch the versions, fetch and apply each new one. Returns why it ended;
  // `progressed` is set when anything was received (the backoff then starts over).
  Status follow_once(bool& progressed);
  Status fetch_and_apply(kiosk::v1::Catalog::Stub& stub, std::uint64_t announced);
  bool wait_stopped(std::chrono::milliseconds d);
  // The calls stop() cancels.
  void set_call(grpc::ClientContext* ctx);

  CatalogStore& store_;
  const FollowerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;                        // guarded by mu_
  std::atomic<std::int64_t> last_heard_ms_{0};  // steady clock: the last message from the server
  grpc::ClientContext* call_ = nullptr;         // guarded by mu_
  std::thread thread_;
};

}  // namespace kiosk::catalog
