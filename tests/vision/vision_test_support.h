#pragma once
// Helpers for vision tests: where build/bin tools are, the demo codes, and making a camera-sim video.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "child_process.h"

namespace vision_test {

// KIOSK_BIN_DIR from the environment (ctest, CI) or the build's own bin folder.
inline std::filesystem::path bin_dir() {
  if (const char* d = std::getenv("KIOSK_BIN_DIR"); d && *d) return d;
  return KIOSK_BIN_DIR;
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

// Runs build/bin/camera-sim to write a short video of `codes` (its output in camera-sim.log beside the
// video); returns its exit code.
inline int make_video(const std::filesystem::path& out, const std::vector<std::string>& codes, int seed = 7) {
  std::string list;
  for (const auto& c : codes) list += (list.empty() ? "" : ",") + c;
  return kiosk::test::run_to_exit({(bin_dir() / "camera-sim").string(), "--out", out.string(), "--codes", list,
                                   "--gap-ms", "800", "--fps", "15", "--seed", std::to_string(seed)},
                                  out.parent_path() / "camera-sim.log");
}

}  // namespace vision_test
