// vision-decode: prints FILE<TAB>SYMBOLOGY<TAB>TEXT for every code in each image (or, for a video,
// each debounced scan), using the same decoder as visiond.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "common/logging.h"
#include "debouncer.h"
#include "decoder.h"

int main(int argc, char** argv) {
  CLI::App app{"vision-decode: decodes barcodes in image or video files"};
  std::vector<std::string> files;
  app.add_option("files", files, "image or video files")->required();
  CLI11_PARSE(app, argc, argv);
  kiosk::init_logging("vision-decode");

  auto decoder = kiosk::vision::make_zbar_decoder();
  int unreadable = 0;
  for (const auto& file : files) {
    auto print = [&](const kiosk::vision::Detection& d) {
      fmt::print("{}\t{}\t{}\n", file, kiosk::vision::symbology_name(d.symbology), d.text);
    };
    cv::Mat image = cv::imread(file, cv::IMREAD_GRAYSCALE);
    if (!image.empty()) {
      for (const auto& d : decoder->decode(image)) print(d);
      continue;
    }
    cv::VideoCapture cap(file);
    if (!cap.isOpened()) {
      spdlog::error("{}: not a readable image or video", file);
      ++unreadable;
      continue;
    }
    double fps = cap.get(cv::CAP_PROP_FPS);
    if (!(fps > 0)) fps = 15;
    kiosk::vision::Debouncer debouncer(std::chrono::milliseconds(1500));
    cv::Mat frame;
    for (std::int64_t i = 0; cap.read(frame); ++i) {
      const auto t = std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(i) * 1000.0 / fps));
      for (const auto& d : debouncer.update(decoder->decode(frame), t)) print(d);
    }
  }
  return unreadable == 0 ? 0 : 1;
}
