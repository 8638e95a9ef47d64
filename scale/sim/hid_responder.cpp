#include "hid_responder.h"

namespace kiosk::scale::sim {
namespace {
constexpr std::int64_t kReportMs = 100;  // the interrupt report period
constexpr std::size_t kMaxPending = 64;  // host bytes that are not output reports: dropped
constexpr std::uint8_t kStatusFault = 1, kStatusZero = 2, kStatusMotion = 3, kStatusStable = 4, kStatusUnder = 5,
                       kStatusOver = 6, kStatusCalibrate = 7, kStatusRezero = 8;
constexpr std::uint8_t kUnitGram = 2;
}  // namespace

std::array<std::uint8_t, 6> hid_report(std::uint8_t status, std::int64_t net_mg) {
  // Start at mg resolution (g × 10^-3) and give up decimals until the value fits 16 bits.
  std::int64_t v = net_mg < 0 ? 0 : net_mg;
  int exponent = -3;
  while (v > 0xFFFE) {
    v = (v + 5) / 10;
    ++exponent;
  }
  while (exponent < 0 && v % 10 == 0) {  // no needless decimals: 878 g is 878 × 10^0
    v /= 10;
    ++exponent;
  }
  if (v == 0) exponent = 0;
  return {3,
          status,
          kUnitGram,
          static_cast<std::uint8_t>(static_cast<std::int8_t>(exponent)),
          static_cast<std::uint8_t>(v & 0xFF),
          static_cast<std::uint8_t>((v >> 8) & 0xFF)};
}

std::array<std::uint8_t, 6> HidResponder::report(std::int64_t now_ms) {
  switch (fault_) {
    case DeviceFault::kHardware:
      return hid_report(kStatusFault, 0);
    case DeviceFault::kCalibration:
      return hid_report(kStatusCalibrate, 0);
    case DeviceFault::kRezero:
      return hid_report(kStatusRezero, 0);
    case DeviceFault::kNone:
      break;
  }
  const Shown s = model_.sample(now_ms);
  if (s.overload) return hid_report(kStatusOver, 0);
  if (s.underload || s.net_mg < 0) return hid_report(kStatusUnder, 0);
  if (!s.stable) return hid_report(kStatusMotion, s.net_mg);
  return hid_report(s.net_mg == 0 ? kStatusZero : kStatusStable, s.net_mg);
}

std::string HidResponder::on_bytes(std::string_view in, std::int64_t now_ms) {
  if (model_.fault() == Fault::kOffline) return {};
  buf_.append(in);
  // Output reports: [2][bits]; bit 1 = Zero Scale, bit 0 = Enforced Zero Return (nothing to do here).
  while (buf_.size() >= 2) {
    if (static_cast<std::uint8_t>(buf_[0]) != 2) {
      buf_.erase(0, 1);
      continue;
    }
    const auto bits = static_cast<std::uint8_t>(buf_[1]);
    buf_.erase(0, 2);
    if (bits & 0x02) {
      ++zero_requests_;
      model_.zero(now_ms);
    }
  }
  if (buf_.size() > kMaxPending) buf_.clear();
  return {};
}

std::string HidResponder::poll(std::int64_t now_ms) {
  if (model_.fault() == Fault::kOffline || now_ms < next_report_ms_) return {};
  next_report_ms_ = now_ms + kReportMs;
  const auto r = report(now_ms);
  return std::string(reinterpret_cast<const char*>(r.data()), r.size());
}

Status HidResponder::set_device_fault(DeviceFault f) {
  fault_ = f;
  return Status::ok();
}

}  // namespace kiosk::scale::sim
