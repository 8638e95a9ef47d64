#pragma once
// A helper executable started for a test (kiosk::demo::Process: stdout and stderr in a log file,
// SIGTERM when destroyed), and its ready line read back from that log.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "process.h"

namespace kiosk::test {

class ChildProcess {
 public:
  // argv[0] is the executable path; output is appended to `log`. Throws if it cannot start.
  ChildProcess(const std::vector<std::string>& argv, std::filesystem::path log);

  // The next log line starting with `prefix`, or "" if none came within `timeout` (or the child
  // exited). Only output written since this child started counts, so a log can be shared by restarts.
  std::string wait_for_line(std::string_view prefix, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  pid_t pid() const { return process_.pid(); }
  bool running() { return process_.running(); }
  // SIGTERM and wait: the exit code, or -signal.
  int stop() { return process_.stop(); }
  // SIGKILL and reap (a crash); false if no child was left to kill.
  bool kill9() {
    const bool had_child = process_.pid() > 0;
    process_.kill9();
    return had_child;
  }

 private:
  std::filesystem::path log_;
  std::uintmax_t offset_ = 0;  // log bytes already read
  std::string partial_;        // an unfinished last line
  kiosk::demo::Process process_;
};

// Runs argv to its end with output in `log`: the exit code (-signal if killed), or -1 if it could not
// start or was still running after `timeout` (it is killed then).
int run_to_exit(const std::vector<std::string>& argv, const std::filesystem::path& log,
                std::chrono::milliseconds timeout = std::chrono::minutes(5));

}  // namespace kiosk::test
