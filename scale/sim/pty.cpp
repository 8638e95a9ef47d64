#include "pty.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace kiosk::scale::sim {

Result<Pty> open_pty(const std::string& link) {
  Pty p;
  p.master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (p.master < 0) return unavailable(fmt::format("posix_openpt: {}", std::strerror(errno)));
  if (::grantpt(p.master) != 0 || ::unlockpt(p.master) != 0)
    return unavailable(fmt::format("grantpt/unlockpt: {}", std::strerror(errno)));
  const char* name = ::ptsname(p.master);
  if (!name) return unavailable(fmt::format("ptsname: {}", std::strerror(errno)));
  p.slave_path = name;
  p.slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (p.slave < 0) return unavailable(fmt::format("open {}: {}", name, std::strerror(errno)));
  termios tio{};
  ::tcgetattr(p.slave, &tio);
  ::cfmakeraw(&tio);  // no echo, no CR/LF mangling: the bytes on the wire are the protocol's
  tio.c_cflag |= CS8 | CLOCAL | CREAD;
  ::cfsetispeed(&tio, B9600);
  ::cfsetospeed(&tio, B9600);
  if (::tcsetattr(p.slave, TCSANOW, &tio) != 0)
    return unavailable(fmt::format("tcsetattr {}: {}", name, std::strerror(errno)));
  ::fcntl(p.master, F_SETFL, ::fcntl(p.master, F_GETFL) | O_NONBLOCK);

  std::error_code ec;
  const std::filesystem::path lp(link);
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(lp, ec))) {
    std::filesystem::remove(lp, ec);
  } else if (std::filesystem::exists(lp, ec)) {
    return invalid_argument(fmt::format("--link {} exists and is not a symlink; not replacing it", link));
  }
  if (lp.has_parent_path()) std::filesystem::create_directories(lp.parent_path(), ec);
  std::filesystem::create_symlink(name, lp, ec);
  if (ec) return unavailable(fmt::format("symlink {} -> {}: {}", link, name, ec.message()));
  return p;
}

}  // namespace kiosk::scale::sim
