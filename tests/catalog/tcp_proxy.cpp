#include "tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace kiosk::test {
namespace {

bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

int connect_local(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0 || ::pipe2(wake_, O_CLOEXEC) != 0) {
    throw std::runtime_error("tcp proxy: cannot listen");
  }
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { run(); });
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  const char c = 'x';
  (void)!::write(wake_[1], &c, 1);
  thread_.join();
  close_all();
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void TcpProxy::pass() {
  {
    std::lock_guard lock(mu_);
    blocked_ = false;
    stall_limit_ = 0;
  }
  stalled_ = false;
  const char c = 'x';
  (void)!::write(wake_[1], &c, 1);
}

void TcpProxy::block() {
  {
    std::lock_guard lock(mu_);
    blocked_ = true;
  }
  const char c = 'x';
  (void)!::write(wake_[1], &c, 1);
}

void TcpProxy::stall_after(std::uint64_t bytes) {
  {
    std::lock_guard lock(mu_);
    stall_limit_ = bytes;
  }
  down_bytes_ = 0;
  stalled_ = false;
  const char c = 'x';
  (void)!::write(wake_[1], &c, 1);
}

void TcpProxy::close_all() {
  for (auto& p : pairs_) {
    ::close(p.client);
    ::close(p.server);
  }
  pairs_.clear();
}

void TcpProxy::run() {
  char buf[64 * 1024];
  while (!stop_) {
    bool blocked = false;
    std::uint64_t limit = 0;
    {
      std::lock_guard lock(mu_);
      blocked = blocked_;
      limit = stall_limit_;
    }
    if (blocked) close_all();
    const bool stall = limit != 0 && down_bytes_.load() >= limit;
    stalled_ = stall;
    const std::size_t polled = pairs_.size();
    std::vector<pollfd> fds{{wake_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    for (const auto& p : pairs_) {
      fds.push_back({p.client, POLLIN, 0});
      // A stalled link leaves the server's bytes in the kernel: the client sees a fetch freeze.
      fds.push_back({p.server, static_cast<short>(stall ? 0 : POLLIN), 0});
    }
    if (::poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) return;
    if (fds[0].revents & POLLIN) {
      char drain[64];
      (void)!::read(wake_[0], drain, sizeof drain);
    }
    if (fds[1].revents & POLLIN) {
      const int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) {
        const int s = blocked ? -1 : connect_local(target_port_);
        if (s < 0) {
          ::close(c);  // refused: the far end is unreachable
        } else {
          pairs_.push_back({c, s});
        }
      }
    }
    std::vector<Pair> keep;
    for (std::size_t i = 0; i < polled; ++i) {
      const auto& p = pairs_[i];
      bool alive = true;
      const short up = fds[i * 2 + 2].revents;
      const short down = fds[i * 2 + 3].revents;
      if (up & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t n = ::recv(p.client, buf, sizeof buf, 0);
        alive = n > 0 && write_all(p.server, buf, static_cast<std::size_t>(n));
      }
      if (alive && (down & (POLLIN | POLLHUP | POLLERR))) {
        std::size_t want = sizeof buf;
        if (limit != 0) {
          const std::uint64_t left = limit > down_bytes_.load() ? limit - down_bytes_.load() : 0;
          want = static_cast<std::size_t>(std::min<std::uint64_t>(want, left));
        }
        if (want > 0) {
          const ssize_t n = ::recv(p.server, buf, want, 0);
          alive = n > 0 && write_all(p.client, buf, static_cast<std::size_t>(n));
          if (n > 0) down_bytes_ += static_cast<std::uint64_t>(n);
        }
      }
      if (alive) {
        keep.push_back(p);
      } else {
        ::close(p.client);
        ::close(p.server);
      }
    }
    // Accepted in this round: polled next time.
    for (std::size_t i = polled; i < pairs_.size(); ++i) keep.push_back(pairs_[i]);
    pairs_ = std::move(keep);
  }
}

}  // namespace kiosk::test
