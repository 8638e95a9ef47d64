#include "mtsics_scale.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <algorithm>

namespace kiosk::scale {

std::string_view to_string(DeviceState s) {
  switch (s) {
    case DeviceState::kOnline:
      return "online";
    case DeviceState::kOffline:
      return "offline";
    case DeviceState::kError:
      return "error";
  }
  return "?";
}

MtSicsScale::MtSicsScale(MtSicsOptions options, const Clock& clock) : options_(std::move(options)), clock_(clock) {}

void MtSicsScale::set_status(DeviceState s, std::string detail) {
  if (status_.state != s) spdlog::info("scale {}: {} ({})", options_.device, to_string(s), detail);
  status_ = {s, std::move(detail)};
}

void MtSicsScale::go_offline(const std::string& why) {
  port_.reset();
  backoff_ = backoff_.count() == 0 ? options_.backoff_min : std::min(backoff_ * 2, options_.backoff_max);
  next_attempt_ = clock_.steady_now() + backoff_;
  set_status(DeviceState::kOffline, why);
}

Status MtSicsScale::ensure_open() {
  if (port_) return Status::ok();
  const auto now = clock_.steady_now();
  if (now < next_attempt_) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - now);
    return unavailable(
        fmt::format("scale {} offline ({}); next attempt in {} ms", options_.device, status_.detail, wait.count()));
  }
  auto port = SerialPort::open(options_.device, options_.baud);
  if (!port) {
    go_offline(port.message());
    return port.error();
  }
  port_.emplace(std::move(*port));
  return Status::ok();
}

Result<MtSicsResponse> MtSicsScale::command(std::string_view cmd, std::chrono::milliseconds timeout) {
  if (auto s = ensure_open(); !s) return s.error();
  port_->discard_input();
  if (auto s = port_->write_line(cmd); !s) {
    go_offline(s.message());
    return s.error();
  }
  // The answer's id is the command's, except that SI/SIR answer as S and @ answers as I4.
  std::string want(cmd.substr(0, cmd.find(' ')));
  if (want == "SI" || want == "SIR") want = "S";
  if (want == "@") want = "I4";
  // I/O deadlines are real time (the injected clock paces only reconnect backoff).
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto line = port_->read_line(std::max(left, std::chrono::milliseconds(1)));
    if (!line) {
      if (line.error().code == ErrorCode::kInvalidArgument) continue;  // line noise; keep listening
      go_offline(line.message());
      return line.error();
    }
    auto r = parse_mtsics_response(*line);
    if (!r) {
      spdlog::warn("scale {}: {}", options_.device, r.message());
      if (std::chrono::steady_clock::now() >= deadline) return r.error();
      continue;
    }
    if (r->error || r->id == want) {
      backoff_ = std::chrono::milliseconds(0);
      if (status_.state == DeviceState::kOffline) set_status(DeviceState::kOnline, "answering");
      return r;
    }
    // A late answer to an earlier command (e.g. after a timeout): not ours, skip it.
    spdlog::debug("scale {}: skipping '{}' while waiting for {}", options_.device, *line, want);
  }
}

Result<WeightSample> MtSicsScale::read_weight() {
  auto r = command("SI", options_.answer_timeout);
  if (!r) return r.error();
  if (r->error) return unavailable(fmt::format("scale {} answered SI with {}", options_.device, to_string(*r->error)));
  switch (r->status) {
    case MtSicsStatus::kStable:
    case MtSicsStatus::kDynamic:
      set_status(DeviceState::kOnline, "answering");
      return WeightSample{*r->weight_mg, r->status == MtSicsStatus::kStable};
    case MtSicsStatus::kOverload:
      set_status(DeviceState::kError, "overload: the load is above the scale's capacity");
      return unavailable(fmt::format("scale {}: overload", options_.device));
    case MtSicsStatus::kUnderload:
      set_status(DeviceState::kError, "underload: the weight is below the zero range (platform lifted?)");
      return unavailable(fmt::format("scale {}: underload", options_.device));
    default:
      return unavailable(fmt::format("scale {}: busy (SI answered {})", options_.device, to_string(r->status)));
  }
}

Status MtSicsScale::zero() {
  auto r = command("Z", options_.settle_timeout);
  if (!r) return r.error();
  if (r->error) return failed_precondition(fmt::format("scale refused Z: {}", to_string(*r->error)));
  switch (r->status) {
    case MtSicsStatus::kDone:
      return Status::ok();
    case MtSicsStatus::kOverload:
      return failed_precondition("cannot zero: load above the zero range (Z +)");
    case MtSicsStatus::kUnderload:
      return failed_precondition("cannot zero: load below the zero range (Z -)");
    default:
      return failed_precondition("cannot zero now: the weight is not stable (Z I)");
  }
}

Result<std::int64_t> MtSicsScale::tare() {
  auto r = command("T", options_.settle_timeout);
  if (!r) return r.error();
  if (r->error) return failed_precondition(fmt::format("scale refused T: {}", to_string(*r->error)));
  switch (r->status) {
    case MtSicsStatus::kStable:
      return *r->weight_mg;
    case MtSicsStatus::kOverload:
      return failed_precondition("cannot tare: above the tare range (T +)");
    case MtSicsStatus::kUnderload:
      return failed_precondition("cannot tare: below the tare range (T -)");
    default:
      return failed_precondition("cannot tare now: the weight is not stable (T I)");
  }
}

}  // namespace kiosk::scale
