#pragma once
// A serial line to a scale: termios raw mode at the configured baud and character format (8N1 for
// MT-SICS, 7O1 for a Magellan scanner-scale; works on a pseudo-terminal too), lines framed by the
// protocol's terminator (CR LF or CR), reads with a deadline via poll(2). Move-only; closes on destruction.
#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk::scale {

// Character format and line framing of one protocol.
struct LineFormat {
  int data_bits = 8;                // 7 or 8
  char parity = 'N';                // 'N', 'O' (odd) or 'E' (even); one stop bit always
  std::string terminator = "\r\n";  // sent after each command; a read line ends at its last byte
};

class SerialPort {
 public:
  // Opens and configures the device; errors name the path and the system's reason.
  static Result<SerialPort> open(const std::string& path, int baud, LineFormat format = {});

  SerialPort(SerialPort&& o) noexcept;
  SerialPort& operator=(SerialPort&& o) noexcept;
  SerialPort(const SerialPort&) = delete;
  SerialPort& operator=(const SerialPort&) = delete;
  ~SerialPort();

  // Writes `text` followed by the terminator.
  Status write_line(std::string_view text);
  // Reads one line (terminator removed, also a stray CR or LF around it) within `timeout`.
  // kDeadlineExceeded when nothing complete arrived; kUnavailable when the device went away.
  Result<std::string> read_line(std::chrono::milliseconds timeout);
  // Drops unread input (a late answer to an earlier command must not be taken for the next one).
  void discard_input();

  const std::string& path() const { return path_; }

 private:
  SerialPort(int fd, std::string path, LineFormat format)
      : fd_(fd), path_(std::move(path)), format_(std::move(format)) {}
  void close();

  int fd_ = -1;
  std::string path_;
  LineFormat format_;
  std::string buf_;  // bytes read but not yet returned as a line
};

}  // namespace kiosk::scale
