#pragma once
// Test helpers: a temp folder, and the real scale-sim process (started, waited for, controlled, stopped).
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace scale_test {
using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "scale-test-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// The scale-sim process: started, waited for (its `ready` line), stopped with SIGTERM.
class Sim {
 public:
  Sim(const fs::path& link, const fs::path& control, int seed = 11) : link_(link), control_(control) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      const std::string bin = std::string(KIOSK_BIN_DIR) + "/scale-sim";
      const std::string seed_s = std::to_string(seed);
      ::execl(bin.c_str(), bin.c_str(), "--link", link.c_str(), "--control", control.c_str(), "--seed", seed_s.c_str(),
              "--noise-mg", "300", "--interval-mg", "1000", static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    ::close(out[1]);
    // Wait (bounded) for `ready <link>`.
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (got.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out[0], POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        char buf[256];
        const ssize_t n = ::read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
      }
    }
    ::close(out[0]);
    REQUIRE(got == "ready " + link.string() + "\n");
  }
  ~Sim() { stop(); }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
  }

  // One control line, one reply line.
  std::string ctl(const std::string& line) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, control_.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string msg = line + "\n";
    REQUIRE(::write(fd, msg.data(), msg.size()) == static_cast<ssize_t>(msg.size()));
    std::string reply;
    char c;
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, 5000) > 0 && ::read(fd, &c, 1) == 1 && c != '\n') reply += c;
    ::close(fd);
    return reply;
  }

 private:
  fs::path link_, control_;
  pid_t pid_ = -1;
};

}  // namespace scale_test
