#pragma once
// A TCP forwarder on 127.0.0.1 between a follower kiosk and its store server, to cut the network
// under a test's control: block() drops every connection and refuses new ones (as a pulled cable
// or a down switch looks to both ends); stall_after(n) stops passing server-to-client bytes after n
// more (a fetch frozen mid-way); pass() restores it. The TLS inside is passed through untouched.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace kiosk::test {

class TcpProxy {
 public:
  // Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:target_port. Throws if it cannot.
  explicit TcpProxy(int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  void pass();
  void block();
  void stall_after(std::uint64_t bytes);
  // Server-to-client bytes forwarded since the last stall_after (or start).
  std::uint64_t downstream_bytes() const { return down_bytes_.load(); }
  bool stalled() const { return stalled_.load(); }

 private:
  struct Pair {
    int client = -1;
    int server = -1;
  };
  void run();
  void close_all();

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  int port_ = 0;
  int target_port_ = 0;
  std::mutex mu_;
  bool blocked_ = false;           // guarded by mu_
  std::uint64_t stall_limit_ = 0;  // guarded by mu_; 0 = none
  std::atomic<std::uint64_t> down_bytes_{0};
  std::atomic<bool> stalled_{false};
  std::atomic<bool> stop_{false};
  std::vector<Pair> pairs_;  // proxy thread only
  std::thread thread_;
};

}  // namespace kiosk::test
