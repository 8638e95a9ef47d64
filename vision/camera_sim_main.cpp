// camera-sim: writes the simulated camera's video (MJPG AVI) of products passing with the given codes.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <filesystem>
#include <opencv2/videoio.hpp>

#include "camera_scene.h"
#include "common/logging.h"

namespace {

std::vector<std::string> split_codes(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"camera-sim: renders barcodes onto a camera-like MJPG AVI for visiond"};
  std::string out;
  std::string codes_arg;
  kiosk::vision::SceneOptions o;
  app.add_option("--out", out, "video file to write (.avi)")->required();
  app.add_option("--codes", codes_arg, "comma-separated EAN-13/EAN-8/UPC-A codes (or their GTIN-14), in order")
      ->required();
  app.add_option("--gap-ms", o.gap_ms, "empty scene after each code, ms")->capture_default_str();
  app.add_option("--show-ms", o.show_ms, "time each code is in view, ms")->capture_default_str();
  app.add_option("--lead-ms", o.lead_ms, "empty scene before the first code, ms")->capture_default_str();
  app.add_option("--fps", o.fps, "frames per second")->capture_default_str();
  app.add_option("--width", o.width, "frame width, px")->capture_default_str();
  app.add_option("--height", o.height, "frame height, px")->capture_default_str();
  app.add_option("--seed", o.seed, "random seed (placement, motion, noise)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  kiosk::init_logging("camera-sim");

  const auto codes = split_codes(codes_arg);
  if (auto s = kiosk::vision::validate_scene(codes, o); !s) {
    spdlog::error("{}", s.message());
    return 2;
  }
  // Written under a temporary name and renamed, so a reader never sees half a video.
  const std::filesystem::path final_path(out);
  const std::filesystem::path tmp_path = final_path.parent_path() / (final_path.stem().string() + ".partial.avi");
  cv::VideoWriter writer(tmp_path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), o.fps,
                         cv::Size(o.width, o.height), true);
  if (!writer.isOpened()) {
    spdlog::error("cannot write video {}", tmp_path.string());
    return 1;
  }
  std::uint64_t frames = 0;
  const kiosk::Status s = kiosk::vision::render_scene(codes, o, [&](const cv::Mat& frame) -> kiosk::Status {
    writer.write(frame);
    ++frames;
    return {};
  });
  writer.release();
  std::error_code ec;
  if (!s) {
    std::filesystem::remove(tmp_path, ec);
    spdlog::error("{}", s.message());
    return 1;
  }
  std::filesystem::rename(tmp_path, final_path, ec);
  if (ec) {
    spdlog::error("cannot move {} to {}: {}", tmp_path.string(), out, ec.message());
    return 1;
  }
  fmt::print("wrote {}: {} frames, {} codes, {:.1f} s\n", out, frames, codes.size(),
             static_cast<double>(frames) / o.fps);
  return 0;
}
