#include "responder_control.h"

#include <fmt/format.h>
#include <vector>

namespace kiosk::scale::sim {
namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> w;
  for (std::size_t i = 0; i < line.size();) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\r') ++i;
    if (i > start) w.push_back(line.substr(start, i - start));
  }
  return w;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<FrontendReply> handle_frontend_control(std::string_view line, Responder& responder) {
  const auto w = words(line);
  if (w.empty()) return std::nullopt;
  auto reply = [](Status s) { return FrontendReply{s ? "ok" : "err " + s.message(), {}}; };
  if (w[0] == "scan") {
    if (w.size() < 2 || w.size() > 3) return FrontendReply{"err usage: scan <code> [symbology]", {}};
    return reply(responder.scan(w[1], w.size() == 3 ? w[2] : std::string_view{}));
  }
  if (w[0] == "fault" && w.size() == 2) {
    if (w[1] == "hardware") return reply(responder.set_device_fault(DeviceFault::kHardware));
    if (w[1] == "calibration") return reply(responder.set_device_fault(DeviceFault::kCalibration));
    if (w[1] == "rezero") return reply(responder.set_device_fault(DeviceFault::kRezero));
    if (w[1] == "none") (void)responder.set_device_fault(DeviceFault::kNone);
    return std::nullopt;  // the model's faults
  }
  if (w[0] == "inject") {
    std::string bytes;
    for (std::size_t i = 1; i < w.size(); ++i) {
      const std::string_view h = w[i];
      if (h.size() % 2 != 0) return FrontendReply{fmt::format("err '{}' is not whole hex bytes", h), {}};
      for (std::size_t j = 0; j < h.size(); j += 2) {
        const int hi = hex_digit(h[j]), lo = hex_digit(h[j + 1]);
        if (hi < 0 || lo < 0) return FrontendReply{fmt::format("err '{}' is not hex", h), {}};
        bytes += static_cast<char>(hi * 16 + lo);
      }
    }
    if (bytes.empty()) return FrontendReply{"err usage: inject <hex bytes>", {}};
    return FrontendReply{fmt::format("ok {}", bytes.size()), bytes};
  }
  return std::nullopt;
}

}  // namespace kiosk::scale::sim
