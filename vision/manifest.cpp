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
                                     Decoder& decoder) {
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
    if (e.set == kNoCodeSet) {
      s.outcome = s.read.empty() ? Outcome::kCorrect : Outcome::kMisread;
    } else if (s.read.empty()) {
      s.outcome = Outcome::kMissed;
    } else {
      const bool hit = std::find(s.read.begin(), s.read.end(), e.expected) != s.read.end();
      s.outcome = hit ? Outcome::kCorrect : Outcome::kMisread;
    }
    SetScore& set = sets[e.set];
    set.set = e.set;
    ++set.images;
    set.correct += s.outcome == Outcome::kCorrect ? 1 : 0;
    set.misread += s.outcome == Outcome::kMisread ? 1 : 0;
    set.missed += s.outcome == Outcome::kMissed ? 1 : 0;
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
