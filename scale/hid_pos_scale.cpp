#include "hid_pos_scale.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/hidraw.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kiosk::scale {
namespace {
constexpr std::size_t kMaxBurst = 4096;  // a stream never quiet: only its first 4 KB count
}  // namespace

HidPosScale::HidPosScale(HidPosOptions options, const Clock& clock)
    : options_(std::move(options)), backoff_(clock, options_.backoff_min, options_.backoff_max) {}

HidPosScale::~HidPosScale() {
  close();
}

void HidPosScale::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void HidPosScale::set_status(DeviceState s, std::string detail) {
  if (status_.state != s || status_.detail != detail)
    spdlog::info("scale {}: {} ({})", options_.device, to_string(s), detail);
  status_ = {s, std::move(detail)};
}

void HidPosScale::go_offline(const std::string& why) {
  close();
  splitter_ = HidReportSplitter();
  last_.reset();
  backoff_.failed();
  set_status(DeviceState::kOffline, why);
}

Status HidPosScale::ensure_open() {
  if (fd_ >= 0) return Status::ok();
  if (const auto wait = backoff_.wait(); wait.count() > 0)
    return unavailable(
        fmt::format("scale {} offline ({}); next attempt in {} ms", options_.device, status_.detail, wait.count()));
  const int fd = ::open(options_.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const std::string why = fmt::format("cannot open scale device {}: {}", options_.device, std::strerror(errno));
    go_offline(why);
    return unavailable(why);
  }
  hidraw_devinfo info{};
  aligned_ = ::ioctl(fd, HIDIOCGRAWINFO, &info) == 0;
  termios tio{};
  if (!aligned_ && ::tcgetattr(fd, &tio) == 0) {  // a terminal in tests: raw bytes, no line editing
    ::cfmakeraw(&tio);
    ::tcsetattr(fd, TCSANOW, &tio);
    ::tcflush(fd, TCIFLUSH);  // reports queued while nobody read are old news
  }
  fd_ = fd;
  last_at_ = std::chrono::steady_clock::now();
  return Status::ok();
}

Status HidPosScale::drain(std::chrono::milliseconds wait) {
  bool first = true;
  std::vector<std::uint8_t> burst;  // a stream: everything until the line is quiet
  auto take = [&](std::span<const std::uint8_t> bytes) {
    for (auto& r : splitter_.feed(bytes, aligned_)) {
      last_ = r;
      last_at_ = std::chrono::steady_clock::now();
    }
  };
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    const int rc = ::poll(&p, 1, first ? static_cast<int>(wait.count()) : 0);
    first = false;
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return unavailable(fmt::format("poll on {} failed: {}", options_.device, std::strerror(errno)));
    if (rc == 0) {
      if (!burst.empty()) take(burst);
      return Status::ok();
    }
    if (p.revents & POLLIN) {
      std::uint8_t chunk[64];
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n > 0) {
        const std::span<const std::uint8_t> got(chunk, static_cast<std::size_t>(n));
        if (aligned_)
          take(got);
        else if (burst.size() < kMaxBurst)
          burst.insert(burst.end(), got.begin(), got.end());
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      return unavailable(
          fmt::format("{} went away: {}", options_.device, n < 0 ? std::strerror(errno) : "end of file"));
    }
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
      return unavailable(fmt::format("{} hung up (unplugged?)", options_.device));
  }
}

Result<WeightSample> HidPosScale::read_weight() {
  if (auto s = ensure_open(); !s) return s.error();
  const std::size_t rejected = splitter_.rejected_bytes();
  // Just opened: wait for a first report (noise or a cut report may come first).
  const auto first_by = std::chrono::steady_clock::now() + options_.answer_timeout;
  do {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(first_by - std::chrono::steady_clock::now());
    if (auto s = drain(last_ ? std::chrono::milliseconds(0) : std::max(left, std::chrono::milliseconds(0))); !s) {
      go_offline(s.message());
      return s.error();
    }
  } while (!last_ && std::chrono::steady_clock::now() < first_by);
  if (splitter_.rejected_bytes() != rejected)
    spdlog::warn("scale {}: {} bytes of noise skipped ({})", options_.device, splitter_.rejected_bytes() - rejected,
                 splitter_.last_error());
  const auto quiet = std::chrono::steady_clock::now() - last_at_;
  if (!last_ || (options_.stale_timeout.count() > 0 && quiet >= options_.stale_timeout)) {
    const std::string why = fmt::format("no report from {} within {} ms", options_.device,
                                        (last_ ? options_.stale_timeout : options_.answer_timeout).count());
    go_offline(why);
    return Error{ErrorCode::kUnavailable, why};
  }
  backoff_.succeeded();
  const HidScaleReport& r = *last_;
  if (r.weight_mg) {
    set_status(DeviceState::kOnline, "reporting");
    return WeightSample{*r.weight_mg, r.status != HidScaleStatus::kInMotion};
  }
  set_status(DeviceState::kError, fmt::format("{} (HID status {})", to_string(r.status), static_cast<int>(r.status)));
  return unavailable(fmt::format("scale {}: {}", options_.device, status_.detail));
}

Status HidPosScale::zero() {
  if (auto s = ensure_open(); !s) return s;
  const auto report = hid_zero_report();
  const ssize_t n = ::write(fd_, report.data(), report.size());
  if (n != static_cast<ssize_t>(report.size())) {
    const std::string why = fmt::format("writing the zero report to {} failed: {}", options_.device,
                                        n < 0 ? std::strerror(errno) : "short write");
    go_offline(why);
    return unavailable(why);
  }
  return Status::ok();
}

Result<std::int64_t> HidPosScale::tare() {
  return failed_precondition(fmt::format("scale {}: HID POS scales have no tare command", options_.device));
}

}  // namespace kiosk::scale
