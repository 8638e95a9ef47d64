#pragma once
// Helpers for vision tests: a temp folder, running build/bin tools, and making a camera-sim video.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

extern char** environ;

namespace vision_test {

// KIOSK_BIN_DIR from the environment (ctest, CI) or the build's own bin folder.
inline std::filesystem::path bin_dir() {
  if (const char* d = std::getenv("KIOSK_BIN_DIR"); d && *d) return d;
  return KIOSK_BIN_DIR;
}

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("kiosk-vision-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Starts argv[0] with arguments; returns the pid, or -1.
inline pid_t spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  return pid;
}

// Waits for a child and returns its exit code (128 + signal if it was killed).
inline int wait_exit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

inline int run(const std::vector<std::string>& args) {
  const pid_t pid = spawn(args);
  return pid < 0 ? -1 : wait_exit(pid);
}

// The three demo codes used by the integration tests: EAN-13, EAN-8 and UPC-A.
inline const std::vector<std::string>& three_codes() {
  static const std::vector<std::string> codes = {"7310865004703", "96385074", "036000291452"};
  return codes;
}
inline const std::vector<std::string>& three_gtins() {
  static const std::vector<std::string> g = {"07310865004703", "00000096385074", "00036000291452"};
  return g;
}

// Runs build/bin/camera-sim to write a short video of `codes`; returns its exit code.
inline int make_video(const std::filesystem::path& out, const std::vector<std::string>& codes, int seed = 7) {
  std::string list;
  for (const auto& c : codes) list += (list.empty() ? "" : ",") + c;
  return run({(bin_dir() / "camera-sim").string(), "--out", out.string(), "--codes", list, "--gap-ms", "800", "--fps",
              "15", "--seed", std::to_string(seed)});
}

}  // namespace vision_test
