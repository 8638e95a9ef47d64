// bench_vision: barcode decoding on the labelled photos and on whole camera frames, one core.
//   1. every image of tests/data/barcodes/manifest.tsv through the kiosk decoder (ZBar behind the
//      retries, the product time budget) and through plain ZBar, in the same run: per set images,
//      read correctly, misread, missed, median and p95 ms per image
//   2. whole gray frames 1280×720 and 1920×1080 with one EAN-13 and with none: median and p95 ms
// Prints tables, then, as its very last line, one JSON object for scripts:
//   {"frame720_ms":..,"frame1080_ms":..,"frame720_empty_ms":..,"frame1080_empty_ms":..,
//    "zbar_frame720_ms":..,...,"rate_<set>":..,"zbar_rate_<set>":..}
// Times are this thread's CPU time (one core's work, unaffected by other load on the machine).
// frame*_ms are medians with one code in view. Not run by ctest: run build/bin/bench_vision by hand.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

#include "vision/barcode_render.h"
#include "vision/cpu_time.h"
#include "vision/decoder.h"
#include "vision/localizer.h"
#include "vision/manifest.h"

namespace {

namespace kv = kiosk::vision;
using Clock = std::chrono::steady_clock;

// A camera-like frame: a mottled grey counter with sensor noise, optionally a printed EAN-13 label.
cv::Mat make_frame(int width, int height, bool with_code, std::mt19937& rng) {
  cv::Mat small(height / 40 + 1, width / 40 + 1, CV_8U);
  cv::randu(small, cv::Scalar(90), cv::Scalar(170));
  cv::Mat frame;
  cv::resize(small, frame, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  cv::Mat noise(height, width, CV_8S);
  cv::randn(noise, cv::Scalar(0), cv::Scalar(6));
  cv::add(frame, noise, frame, cv::noArray(), CV_8U);
  if (with_code) {
    auto code = kv::render_barcode(kv::Symbology::kEan13, "7310865004703", 3);
    if (code) {
      cv::Mat label;
      cv::copyMakeBorder(*code, label, 20, 20, 20, 20, cv::BORDER_CONSTANT, cv::Scalar(255));
      std::uniform_int_distribution<int> x(0, width - label.cols - 1);
      std::uniform_int_distribution<int> y(0, height - label.rows - 1);
      label.copyTo(frame(cv::Rect(x(rng), y(rng), label.cols, label.rows)));
    }
  }
  return frame;
}

std::string dump_dir;  // --dump: one generated frame of each kind is written here

struct FrameTiming {
  double median = 0;
  double p95 = 0;
  int reads = 0;
};

FrameTiming time_frames(kv::Decoder& decoder, int width, int height, bool with_code, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<double> ms;
  FrameTiming t;
  for (int i = 0; i < n; ++i) {
    const cv::Mat frame = make_frame(width, height, with_code, rng);
    const auto t0 = kv::thread_cpu_now();
    const auto found = decoder.decode(frame);
    ms.push_back(kv::cpu_ms_since(t0));
    t.reads += found.empty() ? 0 : 1;
    if (!with_code) {
      for (const auto& d : found) {
        fmt::print(stderr, "false read on an empty {}x{} frame: {} {}\n", width, height,
                   kv::symbology_name(d.symbology), kv::escape_text(kv::manifest_text(d)));
      }
    }
  }
  if (!dump_dir.empty()) {
    std::mt19937 again(seed);
    const cv::Mat frame = make_frame(width, height, with_code, again);
    cv::imwrite(fmt::format("{}/frame{}{}.png", dump_dir, height, with_code ? "" : "_empty"), frame);
  }
  t.median = kv::percentile(ms, 0.5);
  t.p95 = kv::percentile(ms, 0.95);
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_vision: barcode decoding on the labelled photos and on whole frames"};
  std::string manifest = std::string(KIOSK_TEST_DATA_DIR) + "/barcodes/manifest.tsv";
  int frames = 40;
  unsigned seed = 7;
  app.add_option("--manifest", manifest, "labelled photos (manifest.tsv)")->check(CLI::ExistingFile);
  app.add_option("--frames", frames, "frames per whole-frame case")->check(CLI::Range(1, 100000));
  app.add_option("--seed", seed, "seed of the generated frames");
  app.add_option("--dump", dump_dir, "write one generated frame of each kind to this folder");
  CLI11_PARSE(app, argc, argv);
  cv::setNumThreads(1);  // one core, as on the appliance's budget

  auto entries = kv::read_manifest(manifest);
  if (!entries) {
    fmt::print(stderr, "{}\n", entries.message());
    return 2;
  }
  auto kiosk_decoder = kv::make_default_decoder();
  auto zbar_decoder = kv::make_zbar_decoder();
  // visiond's per-frame decoder, with its default budget.
  auto frame_decoder = kv::make_located_decoder();
  const auto root = std::filesystem::path(manifest).parent_path();
  auto ours = kv::score_manifest(*entries, root, *kiosk_decoder);
  auto zbar = kv::score_manifest(*entries, root, *zbar_decoder);
  if (!ours || !zbar) {
    fmt::print(stderr, "{}\n", ours ? zbar.message() : ours.message());
    return 2;
  }

  std::string json;
  fmt::print("photos ({}): kiosk decoder | plain ZBar\n", manifest);
  fmt::print("{:<17}{:>6} | {:>5}{:>8}{:>7}{:>7}{:>8}{:>8} | {:>5}{:>8}{:>7}{:>7}{:>8}{:>8}\n", "set", "images", "read",
             "misread", "missed", "rate", "med_ms", "p95_ms", "read", "misread", "missed", "rate", "med_ms", "p95_ms");
  for (std::size_t i = 0; i < ours->sets.size(); ++i) {
    const auto& o = ours->sets[i];
    const auto& z = zbar->sets[i];
    fmt::print("{:<17}{:>6} | {:>5}{:>8}{:>7}{:>6.1f}%{:>8.2f}{:>8.2f} | {:>5}{:>8}{:>7}{:>6.1f}%{:>8.2f}{:>8.2f}\n",
               o.set, o.images, o.correct, o.misread, o.missed, 100 * o.rate(), kv::percentile(o.ms, 0.5),
               kv::percentile(o.ms, 0.95), z.correct, z.misread, z.missed, 100 * z.rate(), kv::percentile(z.ms, 0.5),
               kv::percentile(z.ms, 0.95));
    json += fmt::format(",\"rate_{}\":{:.4f},\"zbar_rate_{}\":{:.4f}", o.set, o.rate(), z.set, z.rate());
  }

  fmt::print("\nwhole frames ({} each, one core): visiond's region decoder | plain ZBar\n", frames);
  fmt::print("{:<22}{:>8}{:>8}{:>7} | {:>8}{:>8}{:>7}\n", "frame", "med_ms", "p95_ms", "reads", "med_ms", "p95_ms",
             "reads");
  std::string frame_json;
  // Localisation alone (locate_codes), the fixed cost of every frame.
  for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{1920, 1080}}) {
    std::mt19937 rng(seed);
    std::vector<double> ms;
    std::size_t regions = 0;
    for (int i = 0; i < frames; ++i) {
      const cv::Mat frame = make_frame(w, h, false, rng);
      const auto t0 = kv::thread_cpu_now();
      regions += kv::locate_codes(frame).size();
      ms.push_back(kv::cpu_ms_since(t0));
    }
    fmt::print("{:<22}{:>8.2f}{:>8.2f}{:>7.1f}   (localisation only, no code; last column: regions per frame)\n",
               fmt::format("{}x{} locate", w, h), kv::percentile(ms, 0.5), kv::percentile(ms, 0.95),
               static_cast<double>(regions) / frames);
  }
  for (const auto& [w, h, name] : {std::tuple{1280, 720, "720"}, std::tuple{1920, 1080, "1080"}}) {
    for (const bool with_code : {true, false}) {
      const auto o = time_frames(*frame_decoder, w, h, with_code, frames, seed);
      const auto z = time_frames(*zbar_decoder, w, h, with_code, frames, seed);
      fmt::print("{:<22}{:>8.2f}{:>8.2f}{:>7} | {:>8.2f}{:>8.2f}{:>7}\n",
                 fmt::format("{}x{} {}", w, h, with_code ? "one code" : "no code"), o.median, o.p95, o.reads, z.median,
                 z.p95, z.reads);
      const std::string key = with_code ? fmt::format("frame{}_ms", name) : fmt::format("frame{}_empty_ms", name);
      frame_json += fmt::format(",\"{}\":{:.3f},\"zbar_{}\":{:.3f}", key, o.median, key, z.median);
    }
  }
  fmt::print("{{{}{}}}\n", frame_json.substr(1), json);
  return 0;
}
