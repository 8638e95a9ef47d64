#pragma once
// The real scale-sim process for tests: started, waited for (its `ready` line), controlled, stopped.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "child_process.h"

namespace scale_test {
namespace fs = std::filesystem;

// scale-sim's output goes to scale-sim.log beside its link; SIGTERM when stopped or destroyed.
class Sim {
 public:
  // `extra`: more scale-sim arguments, e.g. {"--protocol", "magellan"}.
  Sim(const fs::path& link, const fs::path& control, int seed = 11, std::vector<std::string> extra = {})
      : control_(control), proc_(args(link, control, seed, std::move(extra)), link.parent_path() / "scale-sim.log") {
    REQUIRE(proc_.wait_for_line("ready") == "ready " + link.string());
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
  static std::vector<std::string> args(const fs::path& link, const fs::path& control, int seed,
                                       std::vector<std::string> extra) {
    std::vector<std::string> a{std::string(KIOSK_BIN_DIR) + "/scale-sim",
                               "--link",
                               link.string(),
                               "--control",
                               control.string(),
                               "--seed",
                               std::to_string(seed),
                               "--noise-mg",
                               "300",
                               "--interval-mg",
                               "1000"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }

  fs::path control_;
  kiosk::test::ChildProcess proc_;
};

}  // namespace scale_test
