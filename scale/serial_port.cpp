#include "serial_port.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace kiosk::scale {
namespace {

constexpr std::size_t kMaxLine = 256;  // MT-SICS lines are far shorter; longer is line noise

Result<speed_t> baud_constant(int baud) {
  switch (baud) {
    case 1200:
      return B1200;
    case 2400:
      return B2400;
    case 4800:
      return B4800;
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    default:
      return invalid_argument(fmt::format("unsupported baud rate {}", baud));
  }
}

}  // namespace

Result<SerialPort> SerialPort::open(const std::string& path, int baud, LineFormat format) {
  auto speed = baud_constant(baud);
  if (!speed) return speed.error();
  if ((format.data_bits != 7 && format.data_bits != 8) ||
      (format.parity != 'N' && format.parity != 'O' && format.parity != 'E') || format.terminator.empty())
    return invalid_argument(fmt::format("unsupported line format {}{}1 / terminator of {} bytes", format.data_bits,
                                        format.parity, format.terminator.size()));
  const std::string shape = fmt::format("{} {}{}1 raw", baud, format.data_bits, format.parity);
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return unavailable(fmt::format("cannot open scale device {}: {}", path, std::strerror(errno)));
  SerialPort port(fd, path, format);
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0)
    return unavailable(fmt::format("{} is not a serial device: {}", path, std::strerror(errno)));
  ::cfmakeraw(&tio);
  tio.c_cflag &= ~static_cast<tcflag_t>(PARENB | CSTOPB | CSIZE | CRTSCTS);
  tio.c_cflag |= (format.data_bits == 7 ? CS7 : CS8) | CLOCAL | CREAD;
  if (format.parity != 'N') tio.c_cflag |= PARENB | (format.parity == 'O' ? PARODD : 0);
  tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  // 7-bit characters: drop the eighth bit (a pseudo-terminal passes whole bytes through).
  if (format.data_bits == 7) tio.c_iflag |= ISTRIP;
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  ::cfsetispeed(&tio, *speed);
  ::cfsetospeed(&tio, *speed);
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
    // A pseudo-terminal (scale-sim) has no parity generator and may refuse PARENB; real UARTs take it.
    const int first_errno = errno;
    tio.c_cflag &= ~static_cast<tcflag_t>(PARENB | PARODD);
    if (format.parity == 'N' || ::isatty(fd) != 1 || ::tcsetattr(fd, TCSANOW, &tio) != 0)
      return unavailable(fmt::format("cannot configure {} ({}): {}", path, shape, std::strerror(first_errno)));
  }
  ::tcflush(fd, TCIOFLUSH);
  return port;
}

SerialPort::SerialPort(SerialPort&& o) noexcept
    : fd_(o.fd_), path_(std::move(o.path_)), format_(std::move(o.format_)), buf_(std::move(o.buf_)) {
  o.fd_ = -1;
}

SerialPort& SerialPort::operator=(SerialPort&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = o.fd_;
    path_ = std::move(o.path_);
    format_ = std::move(o.format_);
    buf_ = std::move(o.buf_);
    o.fd_ = -1;
  }
  return *this;
}

SerialPort::~SerialPort() {
  close();
}

void SerialPort::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status SerialPort::write_line(std::string_view text) {
  std::string frame(text);
  frame += format_.terminator;
  std::size_t off = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (off < frame.size()) {
    const ssize_t n = ::write(fd_, frame.data() + off, frame.size() - off);
    if (n > 0) {
      off += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLOUT, 0};
      ::poll(&p, 1, 50);
      continue;
    }
    return unavailable(fmt::format("write to {} failed: {}", path_, n < 0 ? std::strerror(errno) : "timeout"));
  }
  return Status::ok();
}

Result<std::string> SerialPort::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const char end = format_.terminator.back();
  bool idle = false;  // the last poll found nothing to read
  for (;;) {
    const std::size_t nl = buf_.find(end);
    if (nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      // A CR-framed device configured to send CR LF leaves the LF at the start of the next line.
      if (end == '\r' && !line.empty() && line.front() == '\n') line.erase(0, 1);
      return line;
    }
    if (buf_.size() > kMaxLine) {
      buf_.clear();
      return invalid_argument(fmt::format("line from {} longer than {} bytes without a terminator", path_, kMaxLine));
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    // Past the deadline, bytes already waiting are still taken (a zero timeout drains the input).
    if (left.count() <= 0 && idle)
      return Error{ErrorCode::kDeadlineExceeded, fmt::format("no answer from {} within {} ms", path_, timeout.count())};
    pollfd p{fd_, POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return unavailable(fmt::format("poll on {} failed: {}", path_, std::strerror(errno)));
    idle = rc == 0;
    if (rc == 0) continue;
    if (p.revents & POLLIN) {
      char chunk[128];
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n > 0) {
        buf_.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      return unavailable(fmt::format("{} went away: {}", path_, n < 0 ? std::strerror(errno) : "end of file"));
    }
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) return unavailable(fmt::format("{} hung up (unplugged?)", path_));
  }
}

void SerialPort::discard_input() {
  buf_.clear();
  ::tcflush(fd_, TCIFLUSH);
}

}  // namespace kiosk::scale
