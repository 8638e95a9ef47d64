#include "magellan_scale.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <algorithm>

namespace kiosk::scale {
namespace {
constexpr std::size_t kMaxQueuedScans = 100;  // nobody collecting: keep the newest
const LineFormat kMagellanLine{7, 'O', "\r"};
}  // namespace

MagellanScale::MagellanScale(MagellanOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock), backoff_(clock, options_.backoff_min, options_.backoff_max) {}

void MagellanScale::set_status(DeviceState s, std::string detail) {
  if (status_.state != s || status_.detail != detail)
    spdlog::info("scale {}: {} ({})", options_.device, to_string(s), detail);
  status_ = {s, std::move(detail)};
}

void MagellanScale::go_offline(const std::string& why) {
  port_.reset();
  backoff_.failed();
  set_status(DeviceState::kOffline, why);
}

Status MagellanScale::ensure_open() {
  if (port_) return Status::ok();
  if (const auto wait = backoff_.wait(); wait.count() > 0)
    return unavailable(
        fmt::format("scale {} offline ({}); next attempt in {} ms", options_.device, status_.detail, wait.count()));
  auto port = SerialPort::open(options_.device, options_.baud, kMagellanLine);
  if (!port) {
    go_offline(port.message());
    return port.error();
  }
  port_.emplace(std::move(*port));
  return Status::ok();
}

void MagellanScale::queue_scan(ScannerScan scan) {
  scan.at_unix_ms = clock_.now_unix_ms();
  scan.seq = ++scan_seq_;
  scan.source = options_.device;
  spdlog::info("scale {}: scanned {} {}", options_.device, to_string(scan.symbology), scan.text);
  if (scans_.size() >= kMaxQueuedScans) scans_.pop_front();
  scans_.push_back(std::move(scan));
}

std::vector<ScannerScan> MagellanScale::take_scans() {
  // Barcodes read since the last poll are already waiting in the line: collect them too.
  if (port_) {
    for (;;) {
      auto line = port_->read_line(std::chrono::milliseconds(0));
      if (!line) {
        if (line.error().code == ErrorCode::kUnavailable) go_offline(line.message());
        break;
      }
      auto f = parse_magellan_frame(*line, options_.units);
      if (f && f->kind == MagellanFrame::Kind::kScan) queue_scan(std::move(f->scan));
      if (!f) spdlog::warn("scale {}: {}", options_.device, f.message());
    }
  }
  std::vector<ScannerScan> out(std::make_move_iterator(scans_.begin()), std::make_move_iterator(scans_.end()));
  scans_.clear();
  return out;
}

Result<MagellanFrame> MagellanScale::request(std::string_view cmd, std::chrono::milliseconds timeout) {
  if (auto s = ensure_open(); !s) return s.error();
  // No discard_input here: unread input may hold barcodes. Late answers are skipped below.
  if (auto s = port_->write_line(cmd); !s) {
    go_offline(s.message());
    return s.error();
  }
  const bool want_status = cmd == "S14";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool heard = false;  // something came back, if only noise: the scale is there
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto line = port_->read_line(std::max(left, std::chrono::milliseconds(1)));
    if (!line) {
      if (line.error().code == ErrorCode::kInvalidArgument) {  // an overlong run of noise
        heard = true;
        continue;
      }
      // A garbled answer (noise glued to it) costs this request, not the connection.
      if (line.error().code == ErrorCode::kDeadlineExceeded && heard)
        return unavailable(fmt::format("scale {}: no valid answer to {} (line noise)", options_.device, cmd));
      go_offline(line.message());
      return line.error();
    }
    heard = true;
    auto f = parse_magellan_frame(*line, options_.units);
    if (!f) {
      spdlog::warn("scale {}: {}", options_.device, f.message());
      continue;
    }
    if (f->kind == MagellanFrame::Kind::kScan) {
      queue_scan(std::move(f->scan));
      continue;
    }
    backoff_.succeeded();
    if ((f->kind == MagellanFrame::Kind::kStatus) == want_status) return f;
    // A late S11 answer while waiting for S14 (or the reverse): not ours.
    spdlog::debug("scale {}: skipping '{}' while waiting for {}", options_.device, *line, cmd);
  }
}

Result<WeightSample> MagellanScale::read_weight() {
  auto f = request("S14", options_.answer_timeout);
  if (!f) return f.error();
  switch (f->status) {
    case MagellanStatus::kStable:
    case MagellanStatus::kStableZero:
      set_status(DeviceState::kOnline, "answering");
      return WeightSample{*f->weight_mg, true};
    case MagellanStatus::kMotion:
      // The scale answers but sends no value while moving.
      set_status(DeviceState::kOnline, "answering");
      return unavailable(fmt::format("scale {}: in motion (S141), no weight", options_.device));
    case MagellanStatus::kOverCapacity:
      set_status(DeviceState::kError, "over capacity (S142): the load is above the scale's capacity");
      break;
    case MagellanStatus::kUnderZero:
      set_status(DeviceState::kError, "under zero (S145): the weight is below zero (platform lifted?)");
      break;
    case MagellanStatus::kNoZero:
      set_status(DeviceState::kError, "cannot find zero (S140): power-cycle or calibrate the scale");
      break;
  }
  return unavailable(fmt::format("scale {}: {}", options_.device, status_.detail));
}

Status MagellanScale::zero() {
  return failed_precondition(
      fmt::format("scale {}: the Magellan single-cable protocol has no zero command; zero at the scale", name()));
}

Result<std::int64_t> MagellanScale::tare() {
  return failed_precondition(fmt::format("scale {}: a Magellan scanner-scale has no tare", name()));
}

}  // namespace kiosk::scale
