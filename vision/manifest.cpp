#include "manifest.h"

#include "cpu_time.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <opencv2/imgcodecs.hpp>

namespace kiosk::vision {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> cols;
  for (;;) {
    const auto tab = line.find('\t');
    cols.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return cols;
}

// An image's outcome when the photo holds `expected` (empty: no code) and `read` was reported.
Outcome judge(const std::vector<std::string>& read, const std::string& expected, bool no_code) {
  if (no_code) return read.empty() ? Outcome::kCorrect : Outcome::kMisread;
  if (read.empty()) return Outcome::kMissed;
  return std::find(read.begin(), read.end(), expected) != read.end() ? Outcome::kCorrect : Outcome::kMisread;
}

}  // namespace

std::string escape_text(std::string_view raw) {
  std::string out;
  for (const char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::string> unescape_text(std::string_view escaped) {
  std::string out;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '\\') {
      out += escaped[i];
      continue;
    }
    if (i + 1 >= escaped.size()) return invalid_argument(fmt::format("lone backslash at the end of '{}'", escaped));
    const char e = escaped[++i];
    if (e == '\\') {
      out += '\\';
    } else if (e == 't') {
      out += '\t';
    } else if (e == 'n') {
      out += '\n';
    } else if (e == 'r') {
      out += '\r';
    } else if (e == 'x' && i + 2 < escaped.size() && hex_value(escaped[i + 1]) >= 0 && hex_value(escaped[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(escaped[i + 1]) * 16 + hex_value(escaped[i + 2]));
      i += 2;
    } else {
      return invalid_argument(fmt::format("bad escape at byte {} of '{}'", i - 1, escaped));
    }
  }
  return out;
}

Result<std::vector<ManifestEntry>> read_manifest(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return not_found(fmt::format("{}: cannot open", file.string()));
  std::vector<ManifestEntry> entries;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto cols = split_tabs(line);
    if (n == 1 && !cols.empty() && cols[0] == "path") continue;  // header
    if (cols.size() < 3) {
      return invalid_argument(fmt::format("{}:{}: expected path, symbology, text (tab-separated), found {} column(s)",
                                          file.string(), n, cols.size()));
    }
    if (cols[0].empty() || cols[1].empty()) {
      return invalid_argument(fmt::format("{}:{}: empty path or symbology", file.string(), n));
    }
    auto text = unescape_text(cols[2]);
    if (!text) return invalid_argument(fmt::format("{}:{}: {}", file.string(), n, text.message()));
    if (cols[1] != kNoCodeSet && text->empty()) {
      return invalid_argument(fmt::format("{}:{}: empty expected text for a {} image", file.string(), n, cols[1]));
    }
    entries.push_back({std::string(cols[0]), std::string(cols[1]), std::move(*text)});
  }
  return entries;
}

std::string_view note_kind_name(NoteKind kind) {
  return kind == NoteKind::kInvalidGs1 ? "invalid_gs1" : "label_error";
}

Result<LabelNotes> parse_label_notes(std::istream& in, std::string_view name,
                                     const std::vector<ManifestEntry>* manifest) {
  std::map<std::string_view, const ManifestEntry*> labels;
  if (manifest != nullptr) {
    for (const auto& e : *manifest) labels.emplace(e.path, &e);
  }
  LabelNotes notes;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto cols = split_tabs(line);
    if (n == 1 && cols[0] == "path") continue;  // header
    const auto where = fmt::format("{}:{}", name, n);
    if (cols.size() < 3 || cols.size() > 4) {
      return invalid_argument(fmt::format(
          "{}: expected path, kind, reason[, printed] (tab-separated), found {} column(s)", where, cols.size()));
    }
    if (cols[0].empty() || cols[2].empty()) return invalid_argument(fmt::format("{}: empty path or reason", where));
    LabelNote note;
    if (cols[1] == "invalid_gs1") {
      note.kind = NoteKind::kInvalidGs1;
    } else if (cols[1] == "label_error") {
      note.kind = NoteKind::kLabelError;
    } else {
      return invalid_argument(
          fmt::format("{}: unknown kind '{}' (expected invalid_gs1 or label_error)", where, cols[1]));
    }
    note.reason = std::string(cols[2]);
    if (cols.size() == 4) {
      auto printed = unescape_text(cols[3]);
      if (!printed) return invalid_argument(fmt::format("{}: printed text: {}", where, printed.message()));
      note.printed = std::move(*printed);
    }
    if (note.kind == NoteKind::kLabelError && note.printed.empty()) {
      return invalid_argument(
          fmt::format("{}: a label_error needs the printed text the photo shows (4th column)", where));
    }
    if (note.kind == NoteKind::kInvalidGs1 && !note.printed.empty()) {
      return invalid_argument(fmt::format(
          "{}: an invalid_gs1 label has no printed text to read (a conforming reader reports nothing)", where));
    }
    const std::string path(cols[0]);
    if (manifest != nullptr) {
      const auto it = labels.find(path);
      if (it == labels.end())
        return invalid_argument(fmt::format("{}: {} is not an image of the manifest", where, path));
      if (note.kind == NoteKind::kLabelError && note.printed == it->second->expected) {
        return invalid_argument(fmt::format("{}: the printed text of {} is its label: no label error", where, path));
      }
    }
    if (!notes.emplace(path, std::move(note)).second) {
      return invalid_argument(fmt::format("{}: a second note for {}", where, path));
    }
  }
  return notes;
}

Result<LabelNotes> read_label_notes(const std::filesystem::path& file, const std::vector<ManifestEntry>* manifest) {
  std::ifstream in(file);
  if (!in) return not_found(fmt::format("{}: cannot open", file.string()));
  return parse_label_notes(in, file.string(), manifest);
}

std::string manifest_text(const Detection& d) {
  switch (d.symbology) {
    case Symbology::kEan13:
    case Symbology::kUpcA:
    case Symbology::kUpcE:
      if (d.gtin14.size() == 14) return d.gtin14.substr(1) + d.addon;
      break;
    case Symbology::kEan8:
      if (d.gtin14.size() == 14) return d.gtin14.substr(6) + d.addon;
      break;
    default:
      break;
  }
  return d.text + d.addon;
}

Result<ManifestScore> score_manifest(const std::vector<ManifestEntry>& entries, const std::filesystem::path& root,
                                     Decoder& decoder, const LabelNotes* notes) {
  ManifestScore score;
  std::map<std::string, SetScore> sets;
  for (const auto& e : entries) {
    const auto file = root / e.path;
    const cv::Mat image = cv::imread(file.string(), cv::IMREAD_GRAYSCALE);
    if (image.empty()) return not_found(fmt::format("{}: not a readable image", file.string()));
    ImageScore s;
    s.entry = &e;
    const auto t0 = thread_cpu_now();
    const auto found = decoder.decode(image);
    s.ms = cpu_ms_since(t0);
    for (const auto& d : found) s.read.push_back(manifest_text(d));
    const bool no_code = e.set == kNoCodeSet;
    s.outcome = judge(s.read, e.expected, no_code);
    s.photo_outcome = s.outcome;
    if (notes != nullptr) {
      const auto it = notes->find(e.path);
      if (it != notes->end()) s.note = &it->second;
    }
    const bool label_error = s.note != nullptr && s.note->kind == NoteKind::kLabelError;
    if (label_error) s.photo_outcome = judge(s.read, s.note->printed, no_code);
    SetScore& set = sets[e.set];
    set.set = e.set;
    ++set.images;
    set.correct += s.outcome == Outcome::kCorrect ? 1 : 0;
    set.misread += s.outcome == Outcome::kMisread ? 1 : 0;
    set.missed += s.outcome == Outcome::kMissed ? 1 : 0;
    set.label_errors += label_error && s.outcome == Outcome::kMisread ? 1 : 0;
    set.invalid_labels += s.invalid_label() ? 1 : 0;
    set.misread_photo += s.photo_outcome == Outcome::kMisread ? 1 : 0;
    set.correct_valid += !s.invalid_label() && s.photo_outcome == Outcome::kCorrect ? 1 : 0;
    set.ms.push_back(s.ms);
    score.images.push_back(std::move(s));
  }
  for (auto& [name, set] : sets) score.sets.push_back(std::move(set));
  return score;
}

double percentile(std::vector<double> ms, double p) {
  if (ms.empty()) return 0;
  std::sort(ms.begin(), ms.end());
  const auto i = static_cast<std::size_t>(std::clamp(p, 0.0, 1.0) * static_cast<double>(ms.size() - 1) + 0.5);
  return ms[std::min(i, ms.size() - 1)];
}

}  // namespace kiosk::vision
