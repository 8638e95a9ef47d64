#include "child_process.h"

#include <fstream>
#include <stdexcept>
#include <system_error>

namespace kiosk::test {
namespace {

std::uintmax_t size_of(const std::filesystem::path& p) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

kiosk::demo::Process spawn_or_throw(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  auto p = kiosk::demo::Process::spawn(argv, log);
  if (!p) throw std::runtime_error(p.error().message);
  return std::move(*p);
}

}  // namespace

// The log's size is taken before the spawn: earlier runs' lines in a shared log are skipped.
ChildProcess::ChildProcess(const std::vector<std::string>& argv, std::filesystem::path log)
    : log_(std::move(log)), offset_(size_of(log_)), process_(spawn_or_throw(argv, log_)) {}

std::string ChildProcess::wait_for_line(std::string_view prefix, std::chrono::milliseconds timeout) {
  std::string found;
  // Reads what was appended since the last call; true once a matching line is complete.
  const auto scan = [&] {
    std::ifstream in(log_, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    offset_ += chunk.size();
    partial_ += chunk;
    for (auto nl = partial_.find('\n'); nl != std::string::npos; nl = partial_.find('\n')) {
      std::string line = partial_.substr(0, nl);
      partial_.erase(0, nl + 1);
      if (line.starts_with(prefix)) {
        found = std::move(line);
        return true;
      }
    }
    return false;
  };
  // A child that exited writes nothing more: one last read, then give up.
  kiosk::demo::wait_until([&] { return scan() || !process_.running(); }, timeout);
  if (found.empty()) scan();
  return found;
}

int run_to_exit(const std::vector<std::string>& argv, const std::filesystem::path& log,
                std::chrono::milliseconds timeout) {
  auto p = kiosk::demo::Process::spawn(argv, log);
  if (!p) return -1;
  if (!kiosk::demo::wait_until([&] { return !p->running(); }, timeout)) {
    p->kill9();
    return -1;
  }
  return p->stop();  // already reaped: returns the recorded exit status
}

}  // namespace kiosk::test
