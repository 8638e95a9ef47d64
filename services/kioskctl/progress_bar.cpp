#include "progress_bar.h"

#include <fmt/format.h>

#include <ostream>

namespace kiosk::ctl {
namespace {

constexpr int kBarWidth = 30;

std::string megabytes(std::uint64_t b) {
  return fmt::format("{:.1f}", static_cast<double>(b) / (1024.0 * 1024.0));
}

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, bool tty, std::uint64_t total_bytes, std::string what)
    : out_(out), tty_(tty), total_(total_bytes == 0 ? 1 : total_bytes), what_(std::move(what)) {}

void ProgressBar::update(std::uint64_t sent) {
  if (sent > total_) sent = total_;
  const int permille = static_cast<int>(sent * 1000 / total_);
  if (tty_) {
    if (permille == last_permille_) return;
    last_permille_ = permille;
    const int filled = permille * kBarWidth / 1000;
    out_ << fmt::format("\r{} [{}{}] {:3d}% {}/{} MB", what_, std::string(static_cast<std::size_t>(filled), '#'),
                        std::string(static_cast<std::size_t>(kBarWidth - filled), ' '), permille / 10, megabytes(sent),
                        megabytes(total_))
         << std::flush;
    return;
  }
  const int tenth = permille / 100;
  while (last_tenth_ < tenth) {
    ++last_tenth_;
    out_ << fmt::format("{}: {}% ({} of {} MB sent)\n", what_, last_tenth_ * 10,
                        megabytes(total_ * static_cast<std::uint64_t>(last_tenth_) / 10), megabytes(total_))
         << std::flush;
  }
}

void ProgressBar::finish(std::uint64_t sent) {
  update(sent);
  if (tty_) out_ << "\n" << std::flush;
}

}  // namespace kiosk::ctl
