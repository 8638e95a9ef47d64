#pragma once
// A child process of the appliance harness: started with its output in a log file, stopped with
// SIGTERM (clean) or SIGKILL (crash), waited for without leaving zombies.
#include <sys/types.h>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace kiosk::demo {

class Process {
 public:
  Process() = default;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  Process(Process&& o) noexcept;
  Process& operator=(Process&& o) noexcept;
  ~Process();  // SIGTERM, then SIGKILL after a grace period

  // argv[0] is the executable path. stdout and stderr go to `log` (appended).
  static Result<Process> spawn(const std::vector<std::string>& argv, const std::filesystem::path& log,
                               const std::map<std::string, std::string>& extra_env = {});

  pid_t pid() const { return pid_; }
  bool running();
  // SIGTERM and wait; returns the exit status (or -signal).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // SIGKILL and reap: a crash.
  void kill9();
  const std::string& name() const { return name_; }

 private:
  pid_t pid_ = -1;
  std::string name_;
  int exit_status_ = 0;
};

// Polls `done` every 20 ms until it returns true or `timeout` passes.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

}  // namespace kiosk::demo
