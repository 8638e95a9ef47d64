#include "magellan.h"

#include <fmt/format.h>

#include "common/gtin.h"

namespace kiosk::scale {
namespace {

constexpr std::int64_t kMicrogramsPerPound = 453'592'370;  // 1 lb = 453.59237 g exactly

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

struct LabelId {
  std::string_view prefix;
  ScanSymbology symbology;
  std::size_t base_digits;  // 0: variable-length text
  bool upce;
};

// Longest prefix first: FF (EAN-8) before F (EAN-13).
constexpr LabelId kLabels[] = {
    {"FF", ScanSymbology::kEan8, 8, false},    {"F", ScanSymbology::kEan13, 13, false},
    {"A", ScanSymbology::kUpcA, 12, false},    {"E", ScanSymbology::kUpcE, 8, true},
    {"B1", ScanSymbology::kCode39, 0, false},  {"B2", ScanSymbology::kItf, 0, false},
    {"B3", ScanSymbology::kCode128, 0, false},
};

Result<ScannerScan> parse_scan(std::string_view body) {
  for (const auto& l : kLabels) {
    if (body.substr(0, l.prefix.size()) != l.prefix) continue;
    const std::string_view data = body.substr(l.prefix.size());
    ScannerScan scan;
    scan.symbology = l.symbology;
    scan.text = std::string(data);
    if (l.base_digits == 0) {
      if (data.empty()) return invalid_argument(fmt::format("label id {} without data (partial frame?)", l.prefix));
      return scan;
    }
    // EAN/UPC: the base code, optionally followed by a 2- or 5-digit supplement.
    const std::size_t n = data.size();
    if (!all_digits(data) || (n != l.base_digits && n != l.base_digits + 2 && n != l.base_digits + 5))
      return invalid_argument(
          fmt::format("label id {} needs {} digits (+2 or +5 supplement), got '{}'", l.prefix, l.base_digits, data));
    auto gtin = normalize_gtin(data.substr(0, l.base_digits), l.upce);
    if (!gtin) return invalid_argument(fmt::format("label '{}': {}", data, gtin.message()));
    scan.gtin14 = *gtin;
    return scan;
  }
  return invalid_argument(fmt::format("unknown label id in '{}'", body.substr(0, 2)));
}

}  // namespace

std::string_view to_string(MagellanStatus s) {
  switch (s) {
    case MagellanStatus::kNoZero:
      return "cannot find zero (power-cycle or calibrate the scale)";
    case MagellanStatus::kMotion:
      return "in motion";
    case MagellanStatus::kOverCapacity:
      return "over capacity";
    case MagellanStatus::kStableZero:
      return "stable at zero";
    case MagellanStatus::kStable:
      return "stable";
    case MagellanStatus::kUnderZero:
      return "under zero";
  }
  return "?";
}

std::string_view to_string(ScanSymbology s) {
  switch (s) {
    case ScanSymbology::kUnknown:
      return "unknown";
    case ScanSymbology::kEan13:
      return "EAN-13";
    case ScanSymbology::kEan8:
      return "EAN-8";
    case ScanSymbology::kUpcA:
      return "UPC-A";
    case ScanSymbology::kUpcE:
      return "UPC-E";
    case ScanSymbology::kCode128:
      return "Code 128";
    case ScanSymbology::kCode39:
      return "Code 39";
    case ScanSymbology::kItf:
      return "Interleaved 2 of 5";
  }
  return "?";
}

Result<std::int64_t> parse_magellan_weight(std::string_view digits, MagellanUnits units) {
  const std::size_t want = units == MagellanUnits::kMetric ? 5 : 4;
  if (digits.size() != want || !all_digits(digits))
    return invalid_argument(fmt::format("weight '{}' is not {} digits ({} mode)", digits, want,
                                        units == MagellanUnits::kMetric ? "metric" : "pounds"));
  std::int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  if (units == MagellanUnits::kMetric) return v * 1000;  // grams
  return (v * kMicrogramsPerPound / 100 + 500) / 1000;   // 0.01 lb, to the nearest mg
}

Result<MagellanFrame> parse_magellan_frame(std::string_view frame, MagellanUnits units) {
  std::string_view s = frame;
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f) return invalid_argument(fmt::format("Magellan frame: byte 0x{:02x} at offset {}", c, i));
  }
  auto error = [&](std::string_view why) { return invalid_argument(fmt::format("Magellan frame '{}': {}", s, why)); };
  if (s.size() < 3) return error("shorter than a frame id (partial frame?)");
  const std::string_view id = s.substr(0, 3), body = s.substr(3);
  MagellanFrame f;
  if (id == "S08") {
    auto scan = parse_scan(body);
    if (!scan) return error(scan.message());
    f.kind = MagellanFrame::Kind::kScan;
    f.scan = std::move(*scan);
    return f;
  }
  if (id == "S11") {
    auto mg = parse_magellan_weight(body, units);
    if (!mg) return error(mg.message());
    f.kind = MagellanFrame::Kind::kWeight;
    f.status = MagellanStatus::kStable;
    f.weight_mg = *mg;
    return f;
  }
  if (id == "S14") {
    if (body.empty()) return error("status digit missing (partial frame?)");
    if (body[0] < '0' || body[0] > '5') return error(fmt::format("unknown scale status '{}' (0-5)", body[0]));
    f.kind = MagellanFrame::Kind::kStatus;
    f.status = static_cast<MagellanStatus>(body[0] - '0');
    const std::string_view rest = body.substr(1);
    if (f.status == MagellanStatus::kStable) {
      if (rest.empty()) return error("status 4 without its weight (partial frame?)");
      auto mg = parse_magellan_weight(rest, units);
      if (!mg) return error(mg.message());
      if (*mg == 0) return error("status 4 (stable non-zero) with a zero weight");
      f.weight_mg = *mg;
    } else {
      if (!rest.empty()) return error(fmt::format("unexpected '{}' after status {}", rest, body[0]));
      if (f.status == MagellanStatus::kStableZero) f.weight_mg = 0;
    }
    return f;
  }
  return error(fmt::format("unknown frame id '{}' (expected S08, S11 or S14)", id));
}

}  // namespace kiosk::scale
