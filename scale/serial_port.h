#pragma once
// A serial line to a scale: termios raw mode 8N1 at the configured baud (works on a pseudo-terminal
// too), CR LF framed lines, reads with a deadline via poll(2). Move-only; closes on destruction.
#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk::scale {

class SerialPort {
 public:
  // Opens and configures the device; errors name the path and the system's reason.
  static Result<SerialPort> open(const std::string& path, int baud);

  SerialPort(SerialPort&& o) noexcept;
  SerialPort& operator=(SerialPort&& o) noexcept;
  SerialPort(const SerialPort&) = delete;
  SerialPort& operator=(const SerialPort&) = delete;
  ~SerialPort();

  // Writes `text` followed by CR LF.
  Status write_line(std::string_view text);
  // Reads one line (CR LF or LF terminated, terminator removed) within `timeout`.
  // kDeadlineExceeded when nothing complete arrived; kUnavailable when the device went away.
  Result<std::string> read_line(std::chrono::milliseconds timeout);
  // Drops unread input (a late answer to an earlier command must not be taken for the next one).
  void discard_input();

  const std::string& path() const { return path_; }

 private:
  SerialPort(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  void close();

  int fd_ = -1;
  std::string path_;
  std::string buf_;  // bytes read but not yet returned as a line
};

}  // namespace kiosk::scale
