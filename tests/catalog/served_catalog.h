#pragma once
// The real kiosk.v1.Catalog service on a Unix socket in a temp dir, over a real RocksDB, with a gRPC
// stub: the set-up of the catalog's service tests.
#include <grpcpp/grpcpp.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "catalog/catalog_service.h"
#include "catalog/catalog_store.h"
#include "common/clock.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "temp_dir.h"

namespace kiosk::test {

struct ServedCatalog {
  TempDir dir;
  ManualClock clock;
  std::filesystem::path socket = dir.path() / "run" / "catalog.sock";
  std::unique_ptr<catalog::CatalogStore> store;
  std::unique_ptr<catalog::CatalogService> service;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<v1::Catalog::Stub> stub;

  // An empty catalog at `now_unix_ms`, served, with a stub on its socket.
  explicit ServedCatalog(const std::string& name, std::int64_t now_unix_ms = 1'790'000'000'000)
      : dir(name), clock(now_unix_ms) {
    auto s = catalog::CatalogStore::open(dir.path() / "data" / "catalog", clock);
    REQUIRE(s);
    store = std::move(*s);
    serve();
    stub = v1::Catalog::NewStub(make_unix_channel(socket));
  }
  ~ServedCatalog() {
    store->stock().stop();
    shut_down(std::chrono::seconds(1));
  }
  ServedCatalog(const ServedCatalog&) = delete;
  ServedCatalog& operator=(const ServedCatalog&) = delete;

  // A new service on the same store and socket (after shut_down).
  void serve() {
    service = std::make_unique<catalog::CatalogService>(*store);
    auto srv = start_unix_server(socket, {service.get()});
    REQUIRE(srv);
    server = std::move(*srv);
  }

  // As catalogd does on SIGTERM: the service's streams end, then the server, with `grace` for calls.
  void shut_down(std::chrono::milliseconds grace) {
    if (!server) return;
    service->stop();
    server->Shutdown(std::chrono::system_clock::now() + grace);
    server.reset();
  }
};

}  // namespace kiosk::test
