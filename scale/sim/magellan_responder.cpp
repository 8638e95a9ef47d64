#include "magellan_responder.h"

#include <fmt/format.h>

namespace kiosk::scale::sim {
namespace {
constexpr std::size_t kMaxPending = 256;     // bytes without a CR: line noise, dropped
constexpr std::int64_t kMaxGrams = 99'999;   // five digits
constexpr std::size_t kMaxQueuedScans = 32;  // the scanner's own buffer

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
}  // namespace

std::string MagellanResponder::status_frame(std::int64_t now_ms) {
  if (fault_ != DeviceFault::kNone) return "S140";  // the scale lost its zero: needs attention
  const Shown s = model_.sample(now_ms);
  if (s.overload) return "S142";
  if (s.underload) return "S145";
  if (!s.stable) return "S141";
  const std::int64_t grams = (s.net_mg + (s.net_mg >= 0 ? 500 : -500)) / 1000;
  if (grams < 0) return "S145";
  if (grams == 0) return "S143";
  if (grams > kMaxGrams) return "S142";
  return fmt::format("S144{:05}", grams);
}

std::string MagellanResponder::on_bytes(std::string_view in, std::int64_t now_ms) {
  if (model_.fault() == Fault::kOffline) return {};  // cable pulled: nothing comes back
  buf_.append(in);
  std::string out;
  for (std::size_t cr; (cr = buf_.find('\r')) != std::string::npos;) {
    std::string cmd = buf_.substr(0, cr);
    buf_.erase(0, cr + 1);
    while (!cmd.empty() && cmd.front() == '\n') cmd.erase(0, 1);
    if (cmd == "S14") {
      weight_wanted_ = false;
      out += status_frame(now_ms) + "\r";
    } else if (cmd == "S11") {
      weight_wanted_ = true;
    } else {
      weight_wanted_ = false;  // scanner commands and noise: no answer
    }
  }
  if (buf_.size() > kMaxPending) buf_.clear();
  return out + poll(now_ms);
}

std::string MagellanResponder::poll(std::int64_t now_ms) {
  if (model_.fault() == Fault::kOffline) {
    weight_wanted_ = false;
    return {};
  }
  std::string out;
  while (!scans_.empty()) {
    out += scans_.front() + "\r";
    scans_.pop_front();
  }
  if (weight_wanted_) {
    const std::string st = status_frame(now_ms);
    if (st.rfind("S144", 0) == 0) {
      out += "S11" + st.substr(4) + "\r";
      weight_wanted_ = false;
    }
  }
  return out;
}

Status MagellanResponder::scan(std::string_view code, std::string_view symbology) {
  std::string_view id;
  if (symbology.empty()) {
    if (digits(code) && code.size() == 13)
      symbology = "ean13";
    else if (digits(code) && code.size() == 8)
      symbology = "ean8";
    else if (digits(code) && code.size() == 12)
      symbology = "upca";
    else
      symbology = "code128";
  }
  if (symbology == "ean13")
    id = "F";
  else if (symbology == "ean8")
    id = "FF";
  else if (symbology == "upca")
    id = "A";
  else if (symbology == "upce")
    id = "E";
  else if (symbology == "code39")
    id = "B1";
  else if (symbology == "itf")
    id = "B2";
  else if (symbology == "code128")
    id = "B3";
  else
    return invalid_argument(
        fmt::format("unknown symbology '{}' (ean13, ean8, upca, upce, code128, code39, itf)", symbology));
  for (char c : code)
    if (c < 0x21 || c > 0x7e) return invalid_argument("a barcode is printable ASCII without spaces");
  if (code.empty()) return invalid_argument("empty barcode");
  if (scans_.size() >= kMaxQueuedScans) return failed_precondition("the scanner's buffer is full");
  scans_.push_back(fmt::format("S08{}{}", id, code));
  return Status::ok();
}

Status MagellanResponder::set_device_fault(DeviceFault f) {
  fault_ = f;  // every kind shows as S140: the single-cable status has no finer code
  return Status::ok();
}

}  // namespace kiosk::scale::sim
