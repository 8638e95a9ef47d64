// vision-decode: prints FILE<TAB>SYMBOLOGY<TAB>TEXT for every code in each image (or, for a video,
// each debounced scan), using the same decoder as visiond. TEXT is escaped as in the test manifest
// (EAN/UPC as GTIN-13 with any add-on appended). `--manifest FILE` scores labelled photos instead.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>
#include <optional>

#include "common/logging.h"
#include "debouncer.h"
#include "decoder.h"
#include "manifest.h"

namespace {

const char* outcome_name(kiosk::vision::Outcome o) {
  switch (o) {
    case kiosk::vision::Outcome::kCorrect:
      return "correct";
    case kiosk::vision::Outcome::kMisread:
      return "misread";
    case kiosk::vision::Outcome::kMissed:
      return "missed";
  }
  return "?";
}

// Prints every image not read correctly, then per set: images, correct, misread, missed, rate. With a
// label_notes.tsv beside the manifest, also the invalid labels, label errors and the rate on valid labels.
int score(const std::string& manifest_file, kiosk::vision::Decoder& decoder) {
  namespace kv = kiosk::vision;
  auto entries = kv::read_manifest(manifest_file);
  if (!entries) {
    spdlog::error("{}", entries.message());
    return 2;
  }
  const auto root = std::filesystem::path(manifest_file).parent_path();
  const auto notes_file = root / kv::kLabelNotesFile;
  std::optional<kv::LabelNotes> notes;
  if (std::filesystem::exists(notes_file)) {
    auto read = kv::read_label_notes(notes_file, &*entries);
    if (!read) {
      spdlog::error("{}", read.message());
      return 2;
    }
    notes = std::move(*read);
  }
  auto score = kv::score_manifest(*entries, root, decoder, notes ? &*notes : nullptr);
  if (!score) {
    spdlog::error("{}", score.message());
    return 2;
  }
  for (const auto& img : score->images) {
    if (img.outcome == kv::Outcome::kCorrect && img.photo_outcome == kv::Outcome::kCorrect) continue;
    std::string read;
    for (const auto& r : img.read) read += (read.empty() ? "" : " | ") + kv::escape_text(r);
    std::string note;
    if (img.note != nullptr) {
      note = fmt::format("\tphoto={}\tnote={}: {}", outcome_name(img.photo_outcome), kv::note_kind_name(img.note->kind),
                         img.note->reason);
    }
    fmt::print("{}\t{}\texpected={}\tread={}{}\n", outcome_name(img.outcome), img.entry->path,
               kv::escape_text(img.entry->expected), read, note);
  }
  if (!notes) {
    fmt::print("{:<18}{:>7}{:>9}{:>9}{:>8}{:>8}\n", "set", "images", "correct", "misread", "missed", "rate");
    for (const auto& s : score->sets) {
      fmt::print("{:<18}{:>7}{:>9}{:>9}{:>8}{:>7.1f}%\n", s.set, s.images, s.correct, s.misread, s.missed,
                 100.0 * s.rate());
    }
    return 0;
  }
  // inval: invalid_gs1 labels; lab_err: reads of photos whose label is wrong; valid: the rate against
  // the labels a conforming reader can read.
  fmt::print("{:<18}{:>7}{:>9}{:>9}{:>8}{:>8}{:>7}{:>9}{:>8}\n", "set", "images", "correct", "misread", "missed",
             "rate", "inval", "lab_err", "valid");
  for (const auto& s : score->sets) {
    fmt::print("{:<18}{:>7}{:>9}{:>9}{:>8}{:>7.1f}%{:>7}{:>9}{:>7.1f}%\n", s.set, s.images, s.correct, s.misread,
               s.missed, 100.0 * s.rate(), s.invalid_labels, s.label_errors, 100.0 * s.rate_valid());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vision-decode: decodes barcodes in image or video files"};
  std::vector<std::string> files;
  std::string manifest;
  auto* files_opt = app.add_option("files", files, "image or video files");
  auto* manifest_opt = app.add_option("--manifest", manifest, "score the labelled images of this manifest.tsv")
                           ->check(CLI::ExistingFile);
  files_opt->excludes(manifest_opt);
  bool plain = false;
  app.add_flag("--plain", plain, "ZBar alone: no localisation, no retries, no check of EAN/UPC bars");
  std::string regions_dir;
  app.add_option("--regions", regions_dir, "write the code regions the localiser finds in each image to this folder");
  bool located = false;
  app.add_flag("--located", located, "the region decoder alone (visiond's per-frame decoder)");
  app.callback([&] {
    if (files.empty() && manifest.empty()) throw CLI::RequiredError("files or --manifest");
  });
  CLI11_PARSE(app, argc, argv);
  kiosk::init_logging("vision-decode");

  auto decoder = plain     ? kiosk::vision::make_zbar_decoder({.scan_density = 2, .check_bars = false})
                 : located ? kiosk::vision::make_located_decoder()
                           : kiosk::vision::make_default_decoder();
  if (!manifest.empty()) return score(manifest, *decoder);
  int unreadable = 0;
  for (const auto& file : files) {
    auto print = [&](const kiosk::vision::Detection& d) {
      fmt::print("{}\t{}\t{}\n", file, kiosk::vision::symbology_name(d.symbology),
                 kiosk::vision::escape_text(kiosk::vision::manifest_text(d)));
    };
    cv::Mat image = cv::imread(file, cv::IMREAD_GRAYSCALE);
    if (!image.empty() && !regions_dir.empty()) {
      const auto regions = kiosk::vision::locate_codes(image);
      int i = 0;
      for (const auto& r : regions) {
        const auto name = fmt::format("{}/{}-{}.png", regions_dir, std::filesystem::path(file).stem().string(), i++);
        cv::imwrite(name, kiosk::vision::extract_region(image, r, 1.0));
        fmt::print("{}\t{}\t{:.0f},{:.0f}\tangle={:.1f}\t{:.0f}x{:.0f}\tscore={:.0f}\n", name,
                   r.shape == kiosk::vision::RegionShape::kLinear ? "linear" : "matrix", r.center.x, r.center.y,
                   r.angle * 57.2958, r.length, r.height, r.score);
      }
    }
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
