// scale-sim: a bagging scale on a pseudo-terminal, driven over a Unix control socket.
//   scale-sim --link PATH --control SOCKET [--protocol mtsics|magellan|hid] [--seed N] [--noise-mg N]
//             [--interval-mg N] [--capacity-mg N] [--serial TEXT]
// Speaks MT-SICS (default), the Datalogic Magellan single-cable protocol, or USB HID POS scale
// reports as raw bytes. Control lines: control_command.h (weights, model faults) and
// responder_control.h (scan, device faults, inject).
// Prints `ready <PATH>` on stdout once the link and the control socket exist. SIGTERM/SIGINT remove both.
#include <fmt/format.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "control_command.h"
#include "pty.h"
#include "responder.h"
#include "responder_control.h"
#include "weight_model.h"

namespace {

using namespace kiosk::scale::sim;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int listen_unix(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return -1;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  ::unlink(path.c_str());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 8) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n > 0)
      off += static_cast<std::size_t>(n);
    else if (n < 0 && errno == EINTR)
      continue;
    else
      return;  // the port buffer is full (nobody reading) or the peer left: drop, as a line would
  }
}

struct Client {
  int fd;
  std::string buf;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bagging scale simulator on a pseudo-terminal (MT-SICS, Magellan, HID POS)"};
  std::string link, control;
  std::uint64_t seed = 1;
  std::int64_t noise_mg = 300, interval_mg = 1000, capacity_mg = 30'000'000;
  std::string serial = "B123456789";
  std::string protocol = "mtsics";
  std::int64_t stable_timeout_ms = 3000;
  app.add_option("--link", link, "symlink to create for the scale's serial port")->required();
  app.add_option("--control", control, "Unix socket for control lines (place/remove/set/get/fault)")->required();
  app.add_option("--seed", seed, "seed of the noise and settling times");
  app.add_option("--noise-mg", noise_mg, "load-cell noise, standard deviation in mg")->check(CLI::Range(0, 1'000'000));
  app.add_option("--interval-mg", interval_mg, "display interval e in mg")->check(CLI::Range(1, 1'000'000));
  app.add_option("--capacity-mg", capacity_mg, "maximum capacity Max in mg")->check(CLI::Range(1000, 1'000'000'000));
  app.add_option("--serial", serial, "serial number answered to I4 and @");
  app.add_option("--protocol", protocol, "wire protocol")->check(CLI::IsMember({"mtsics", "magellan", "hid"}));
  app.add_option("--stable-timeout-ms", stable_timeout_ms, "MT-SICS S/Z/T: wait for stability this long, then I")
      ->check(CLI::Range(10, 60'000));
  CLI11_PARSE(app, argc, argv);

  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGPIPE);
  sigprocmask(SIG_BLOCK, &sigs, nullptr);
  const int sfd = ::signalfd(-1, &sigs, SFD_CLOEXEC);

  WeightModel model({interval_mg, noise_mg, seed, capacity_mg});
  ResponderOptions ropts;
  ropts.identity.serial = serial;
  ropts.stable_timeout_ms = stable_timeout_ms;
  auto made = make_responder(protocol, model, ropts);
  if (!made) {
    std::fprintf(stderr, "scale-sim: %s\n", made.message().c_str());
    return 2;
  }
  Responder& responder = **made;

  auto pty = open_pty(link);
  if (!pty) {
    std::fprintf(stderr, "scale-sim: %s\n", pty.message().c_str());
    return 1;
  }
  const int lfd = listen_unix(control);
  if (lfd < 0) {
    std::fprintf(stderr, "scale-sim: cannot listen on %s: %s\n", control.c_str(), std::strerror(errno));
    std::filesystem::remove(link);
    return 1;
  }
  std::fprintf(stderr, "scale-sim: %s %s -> %s, control %s, e = %lld mg, noise %lld mg, seed %llu\n", protocol.c_str(),
               link.c_str(), pty->slave_path.c_str(), control.c_str(), static_cast<long long>(interval_mg),
               static_cast<long long>(noise_mg), static_cast<unsigned long long>(seed));
  std::printf("ready %s\n", link.c_str());
  std::fflush(stdout);

  std::vector<Client> clients;
  bool running = true;
  while (running) {
    std::vector<pollfd> fds{{sfd, POLLIN, 0}, {pty->master, POLLIN, 0}, {lfd, POLLIN, 0}};
    for (auto& c : clients) fds.push_back({c.fd, POLLIN, 0});
    ::poll(fds.data(), fds.size(), 20);  // 20 ms: SIR repeats and stability waits need a tick
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo si{};
      if (::read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGPIPE) running = false;
    }
    if (fds[1].revents & POLLIN) {
      char chunk[256];
      const ssize_t n = ::read(pty->master, chunk, sizeof chunk);
      if (n > 0)
        write_all(pty->master, responder.on_bytes(std::string_view(chunk, static_cast<std::size_t>(n)), now_ms()));
    }
    if (fds[2].revents & POLLIN) {
      const int cfd = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
      if (cfd >= 0) clients.push_back({cfd, {}});
    }
    for (std::size_t i = 0; i < clients.size(); ++i) {
      const auto re = fds[3 + i].revents;
      if (!(re & (POLLIN | POLLHUP | POLLERR))) continue;
      char chunk[256];
      const ssize_t n = ::read(clients[i].fd, chunk, sizeof chunk);
      if (n <= 0) {
        ::close(clients[i].fd);
        clients[i].fd = -1;
        continue;
      }
      auto& buf = clients[i].buf;
      buf.append(chunk, static_cast<std::size_t>(n));
      for (std::size_t nl; (nl = buf.find('\n')) != std::string::npos;) {
        const std::string line = buf.substr(0, nl);
        buf.erase(0, nl + 1);
        std::string reply;
        if (auto fr = handle_frontend_control(line, responder)) {
          if (!fr->inject.empty()) write_all(pty->master, fr->inject);
          reply = fr->reply;
        } else {
          reply = handle_control(line, model, now_ms());
        }
        std::fprintf(stderr, "scale-sim: control '%s' -> '%s'\n", line.c_str(), reply.c_str());
        write_all(clients[i].fd, reply + "\n");
      }
    }
    std::erase_if(clients, [](const Client& c) { return c.fd < 0; });
    write_all(pty->master, responder.poll(now_ms()));
  }
  std::error_code ec;
  std::filesystem::remove(link, ec);
  ::unlink(control.c_str());
  std::fprintf(stderr, "scale-sim: stopped\n");
  return 0;
}
