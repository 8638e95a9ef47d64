#pragma once
// The simulated scale's serial port: a pseudo-terminal whose slave side is symlinked where the
// service expects its device. The simulator keeps its own slave descriptor open so the master never
// sees a hang-up when the service closes and reopens the port (as after an unplug).
#include <string>

#include "common/result.h"

namespace kiosk::scale::sim {

struct Pty {
  int master = -1;  // non-blocking
  int slave = -1;   // held open, raw mode
  std::string slave_path;
};

// posix_openpt + grantpt + unlockpt, raw 9600 8N1 on the slave, then `link` → slave (replacing a
// stale symlink; refusing to replace anything else).
Result<Pty> open_pty(const std::string& link);

}  // namespace kiosk::scale::sim
