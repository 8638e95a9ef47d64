#pragma once
// Bytes sent of a large push, on a terminal or in a log: a bar redrawn in place on a TTY, otherwise
// one plain line each time another 10 % has gone.
#include <cstdint>
#include <iosfwd>
#include <string>

namespace kiosk::ctl {

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, bool tty, std::uint64_t total_bytes, std::string what);
  // Called with the bytes sent so far (never more than total).
  void update(std::uint64_t sent);
  // The last state (100 % when everything went), and a newline on a TTY.
  void finish(std::uint64_t sent);

 private:
  std::ostream& out_;
  const bool tty_;
  const std::uint64_t total_;
  const std::string what_;
  int last_tenth_ = 0;      // plain mode: the last 10 % step printed
  int last_permille_ = -1;  // TTY mode: the last state drawn
};

}  // namespace kiosk::ctl
