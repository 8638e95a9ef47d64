// bench_vision: barcode decoding on the labelled photos and on whole camera frames, one core.
//   1. every image of tests/data/barcodes/manifest.tsv through the kiosk decoder (ZBar behind the
//      retries, the product time budget) and through plain ZBar, in the same run: per set images,
//      read correctly, misread, missed, median and p95 ms per image; with label_notes.tsv beside the
//      manifest also the invalid labels, the label errors (reads of a photo whose label is wrong) and
//      the rate against the labels a conforming reader can read (invalid_gs1 images left out,
//      label_error images judged by the text the photo shows)
//   2. whole gray frames 1280×720 and 1920×1080 with one EAN-13 and with none: median and p95 ms
// Prints tables, then, as its very last line, one JSON object for scripts:
//   {"frame720_ms":..,"frame1080_ms":..,"frame720_empty_ms":..,"frame1080_empty_ms":..,
//    "zbar_frame720_ms":..,...,"rate_<set>":..,"zbar_rate_<set>":..,"rate_valid_<set>":..,
//    "zbar_rate_valid_<set>":..,"reads":..,"misreads":..,"misreads_against_photo":..,"label_disputes":..}
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

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "common/rpc.h"
#include "kiosk/v1/vision.grpc.pb.h"
#include "vision/barcode_render.h"
#include "vision/camera_runner.h"
#include "vision/cpu_time.h"
#include "vision/decoder.h"
#include "vision/ean_fit.h"
#include "vision/localizer.h"
#include "vision/manifest.h"
#include "vision/vision_service.h"

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

// A camera in memory for the event path: each of `codes` in view for `hold` frames, then `gap` empty
// frames, paced at `fps`; remembers when each frame was handed to the capture loop.
class PacedSource final : public kv::FrameSource {
 public:
  PacedSource(std::vector<cv::Mat> with_code, cv::Mat empty, int cycles, int hold, int gap, double fps)
      : with_code_(std::move(with_code)),
        empty_(std::move(empty)),
        cycles_(cycles),
        hold_(hold),
        gap_(gap),
        period_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / fps))) {}
  kiosk::Status open() override {
    next_ = Clock::now();
    return {};
  }
  kiosk::Result<std::optional<kv::Frame>> read() override {
    const int per_cycle = hold_ + gap_;
    if (index_ >= static_cast<std::uint64_t>(cycles_ * per_cycle)) return std::optional<kv::Frame>{};
    std::this_thread::sleep_until(next_);
    next_ += period_;
    const auto cycle = static_cast<int>(index_ / static_cast<std::uint64_t>(per_cycle));
    const bool code = static_cast<int>(index_ % static_cast<std::uint64_t>(per_cycle)) < hold_;
    kv::Frame f;
    f.image = code ? with_code_[static_cast<std::size_t>(cycle) % with_code_.size()] : empty_;
    f.index = index_++;
    f.unix_ms = kiosk::SystemClock().now_unix_ms();
    f.stream_ms = std::chrono::milliseconds(static_cast<std::int64_t>(f.index) * 1000 / 30);
    std::lock_guard lock(mu_);
    handed_[f.index] = Clock::now();
    return std::optional<kv::Frame>{std::move(f)};
  }
  bool is_live() const override { return false; }
  std::string describe() const override { return "bench frames"; }
  std::optional<Clock::time_point> handed(std::uint64_t index) {
    std::lock_guard lock(mu_);
    auto it = handed_.find(index);
    if (it == handed_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::vector<cv::Mat> with_code_;
  cv::Mat empty_;
  int cycles_, hold_, gap_;
  Clock::duration period_;
  Clock::time_point next_;
  std::uint64_t index_ = 0;
  std::mutex mu_;
  std::map<std::uint64_t, Clock::time_point> handed_;
};

struct EventTiming {
  std::vector<double> ms;  // frame handed to the capture loop → ScanEvent read by the gRPC client
  int expected = 0;
};

// visiond's path in one process: PacedSource → CameraRunner (region decoder, debouncer) → ScanLog →
// VisionService on a Unix socket → a gRPC client reading Scans.
EventTiming time_events(int cycles, unsigned seed) {
  EventTiming t;
  std::mt19937 rng(seed);
  static const char* kCodes[] = {"7310865004703", "7318690499534", "5000213101025", "9780201752847"};
  std::vector<cv::Mat> frames;
  for (const char* code : kCodes) {
    cv::Mat frame = make_frame(1280, 720, false, rng);
    auto label = kv::render_barcode(kv::Symbology::kEan13, code, 3);
    if (!label) continue;
    cv::Mat padded;
    cv::copyMakeBorder(*label, padded, 20, 20, 20, 20, cv::BORDER_CONSTANT, cv::Scalar(255));
    padded.copyTo(frame(cv::Rect(300, 200, padded.cols, padded.rows)));
    frames.push_back(frame);
  }
  // Each code held for 3 frames, then 6 empty frames (200 ms); at 30 frames/s, with a debounce gap of
  // 150 ms, each hold counts once.
  auto source = std::make_unique<PacedSource>(frames, make_frame(1280, 720, false, rng), cycles, 3, 6, 30.0);
  PacedSource* src = source.get();
  kiosk::SystemClock clock;
  kv::ScanLog log;
  kv::CameraRunner runner(std::move(source), kv::make_located_decoder(), log, clock,
                          {.debounce = std::chrono::milliseconds(150)});
  kv::VisionService service(log, [&runner] { return runner.status(); });
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("bench_vision_{}", ::getpid());
  std::filesystem::create_directories(dir);
  const auto socket = dir / "vision.sock";
  auto server = kiosk::start_unix_server(socket, {&service});
  if (!server) {
    fmt::print(stderr, "{}\n", server.message());
    return t;
  }
  auto stub = kiosk::v1::Vision::NewStub(kiosk::make_unix_channel(socket));
  grpc::ClientContext ctx;
  kiosk::v1::ScansRequest req;
  auto reader = stub->Scans(&ctx, req);
  while (log.readers() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  t.expected = cycles;
  runner.start();
  kiosk::v1::ScanEvent ev;
  for (int i = 0; i < cycles && reader->Read(&ev); ++i) {
    const auto now = Clock::now();
    if (auto handed = src->handed(ev.frame_index())) {
      t.ms.push_back(std::chrono::duration<double, std::milli>(now - *handed).count());
    }
  }
  ctx.TryCancel();
  reader->Finish();
  runner.stop();
  log.close();
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  std::filesystem::remove_all(dir);
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
  int events_n = 100;
  app.add_option("--events", events_n, "scan events timed through gRPC")->check(CLI::Range(1, 100000));
  app.add_option("--dump", dump_dir, "write one generated frame of each kind to this folder");
  CLI11_PARSE(app, argc, argv);
  cv::setNumThreads(1);  // one core, as on the appliance's budget

  auto entries = kv::read_manifest(manifest);
  if (!entries) {
    fmt::print(stderr, "{}\n", entries.message());
    return 2;
  }
  auto kiosk_decoder = kv::make_default_decoder();
  auto zbar_decoder = kv::make_zbar_decoder({.scan_density = 2, .check_bars = false});
  // visiond's per-frame decoder, with its default budget.
  auto frame_decoder = kv::make_located_decoder();
  const auto root = std::filesystem::path(manifest).parent_path();
  // The notes on doubtful labels beside the manifest, if there are any.
  const auto notes_file = root / kv::kLabelNotesFile;
  kv::LabelNotes notes;
  if (std::filesystem::exists(notes_file)) {
    auto read = kv::read_label_notes(notes_file, &*entries);
    if (!read) {
      fmt::print(stderr, "{}\n", read.message());
      return 2;
    }
    notes = std::move(*read);
  }
  auto ours = kv::score_manifest(*entries, root, *kiosk_decoder, &notes);
  auto zbar = kv::score_manifest(*entries, root, *zbar_decoder, &notes);
  if (!ours || !zbar) {
    fmt::print(stderr, "{}\n", ours ? zbar.message() : ours.message());
    return 2;
  }

  std::string json;
  fmt::print("photos ({}, {} label notes): kiosk decoder | plain ZBar\n", manifest, notes.size());
  fmt::print(
      "  inval: labels no conforming reader reads (invalid_gs1); lab_err: reads of a photo whose label is wrong; "
      "valid: rate against the valid labels, label errors judged by what the photo shows\n");
  fmt::print("{:<17}{:>6}{:>6} | {:>5}{:>8}{:>8}{:>7}{:>7}{:>7}{:>8}{:>8} | {:>5}{:>8}{:>8}{:>7}{:>7}{:>7}{:>8}{:>8}\n",
             "set", "images", "inval", "read", "misread", "lab_err", "missed", "rate", "valid", "med_ms", "p95_ms",
             "read", "misread", "lab_err", "missed", "rate", "valid", "med_ms", "p95_ms");
  for (std::size_t i = 0; i < ours->sets.size(); ++i) {
    const auto& o = ours->sets[i];
    const auto& z = zbar->sets[i];
    fmt::print(
        "{:<17}{:>6}{:>6} | {:>5}{:>8}{:>8}{:>7}{:>6.1f}%{:>6.1f}%{:>8.2f}{:>8.2f} | "
        "{:>5}{:>8}{:>8}{:>7}{:>6.1f}%{:>6.1f}%"
        "{:>8.2f}{:>8.2f}\n",
        o.set, o.images, o.invalid_labels, o.correct, o.misread, o.label_errors, o.missed, 100 * o.rate(),
        100 * o.rate_valid(), kv::percentile(o.ms, 0.5), kv::percentile(o.ms, 0.95), z.correct, z.misread,
        z.label_errors, z.missed, 100 * z.rate(), 100 * z.rate_valid(), kv::percentile(z.ms, 0.5),
        kv::percentile(z.ms, 0.95));
    json += fmt::format(",\"rate_{}\":{:.4f},\"zbar_rate_{}\":{:.4f}", o.set, o.rate(), z.set, z.rate());
    json += fmt::format(",\"rate_valid_{}\":{:.4f},\"zbar_rate_valid_{}\":{:.4f}", o.set, o.rate_valid(), z.set,
                        z.rate_valid());
  }
  // Misreads against the labels (the limit is 1 per 500 reads), split into those against what
  // the photo shows and those where a label_error note says the label is wrong and the read is what the
  // photo shows (label disputes). Falsepositives are left out here: the table shows their reads.
  struct MisreadCount {
    int reads = 0, misreads = 0, against_photo = 0, disputes = 0;
    int wrong_label_reads = 0;  // label_error images read as their wrong label: right by it, wrong by the photo
  };
  auto count = [](const kv::ManifestScore& score, bool print) {
    MisreadCount c;
    for (const auto& img : score.images) {
      if (img.entry->set == kv::kNoCodeSet) continue;
      c.reads += img.read.empty() ? 0 : 1;
      c.misreads += img.outcome == kv::Outcome::kMisread ? 1 : 0;
      c.against_photo += img.photo_outcome == kv::Outcome::kMisread ? 1 : 0;
      c.disputes += img.label_dispute() ? 1 : 0;
      c.wrong_label_reads += img.outcome == kv::Outcome::kCorrect && img.photo_outcome == kv::Outcome::kMisread ? 1 : 0;
      if (!print || (img.outcome != kv::Outcome::kMisread && img.photo_outcome != kv::Outcome::kMisread)) continue;
      std::string read;
      for (const auto& r : img.read) read += (read.empty() ? "" : " | ") + kv::escape_text(r);
      std::string why = "against the photo";
      if (img.label_dispute()) {
        why = fmt::format("against a wrong label ({}: {})", kv::note_kind_name(img.note->kind), img.note->reason);
      } else if (img.note != nullptr && img.note->kind == kv::NoteKind::kLabelError) {
        why = fmt::format("against the photo, which shows {}", kv::escape_text(img.note->printed));
      }
      fmt::print("misread {}: expected {}, read {}: {}\n", img.entry->path, kv::escape_text(img.entry->expected), read,
                 why);
    }
    return c;
  };
  const auto om = count(*ours, true);
  const auto zm = count(*zbar, false);
  // Against the photos: the misreads not explained by a label_error note, and the reads that match
  // only a wrong label (the photo shows more or else).
  auto against = [](const MisreadCount& c) {
    return fmt::format("{} against the photo{}, {} against a wrong label", c.against_photo,
                       c.wrong_label_reads == 0
                           ? std::string()
                           : fmt::format(" ({} of them reads of just the wrong label)", c.wrong_label_reads),
                       c.disputes);
  };
  auto per500 = [](int n, int reads) { return reads == 0 ? 0.0 : 500.0 * n / reads; };
  fmt::print(
      "reads {} (falsepositives excluded), misreads {}: {:.2f} per 500 reads against the labels, {:.2f} against the "
      "photos; {}\n",
      om.reads, om.misreads, per500(om.misreads, om.reads), per500(om.against_photo, om.reads), against(om));
  fmt::print("plain ZBar: reads {}, misreads {}; {}\n", zm.reads, zm.misreads, against(zm));
  json += fmt::format(",\"reads\":{},\"misreads\":{},\"misreads_against_photo\":{},\"label_disputes\":{}", om.reads,
                      om.misreads, om.against_photo, om.disputes);

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
  // The EAN-13 bar fit (ean_fit.h) on single lines without a code, its worst case: one line's fit
  // cannot be cut short by a frame's budget, so its time on busy lines bounds a frame's overrun.
  fmt::print("\nbar fit on one line without a code (one core): median / max ms over {} lines\n", frames);
  for (const int n : {400, 1600}) {
    std::mt19937 rng(seed);
    std::vector<double> noise_ms, stripe_ms;
    std::uniform_int_distribution<int> grey(0, 255), width(1, 6);
    for (int i = 0; i < frames; ++i) {
      std::vector<float> line(static_cast<std::size_t>(n));
      for (auto& v : line) v = static_cast<float>(grey(rng));
      auto t0 = kv::thread_cpu_now();
      (void)kv::fit_ean13_line(line);
      noise_ms.push_back(kv::cpu_ms_since(t0));
      bool dark = false;
      for (std::size_t x = 0; x < line.size(); dark = !dark) {
        for (int w = width(rng); w > 0 && x < line.size(); --w) line[x++] = dark ? 40.0f : 210.0f;
      }
      t0 = kv::thread_cpu_now();
      (void)kv::fit_ean13_line(line);
      stripe_ms.push_back(kv::cpu_ms_since(t0));
    }
    fmt::print("{:>5} px: noise {:.2f} / {:.2f}, random stripes {:.2f} / {:.2f}\n", n, kv::percentile(noise_ms, 0.5),
               kv::percentile(noise_ms, 1.0), kv::percentile(stripe_ms, 0.5), kv::percentile(stripe_ms, 1.0));
    frame_json += fmt::format(",\"fit_line{}_max_ms\":{:.2f}", n,
                              std::max(kv::percentile(noise_ms, 1.0), kv::percentile(stripe_ms, 1.0)));
  }

  const auto events = time_events(events_n, seed);
  const double event_p50 = kv::percentile(events.ms, 0.5), event_p99 = kv::percentile(events.ms, 0.99);
  fmt::print(
      "\nframe in -> ScanEvent out through gRPC (1280x720, 30 frames/s, wall time): {} of {} events, "
      "p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms\n",
      events.ms.size(), events.expected, event_p50, event_p99, kv::percentile(events.ms, 1.0));
  frame_json += fmt::format(",\"event_p50_ms\":{:.3f},\"event_p99_ms\":{:.3f}", event_p50, event_p99);
  fmt::print("{{{}{}}}\n", frame_json.substr(1), json);
  return 0;
}
