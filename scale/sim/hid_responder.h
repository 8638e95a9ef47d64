#pragma once
// The scale's side of a USB HID POS scale, as bytes on a stream: every 100 ms a 6-byte data report
// (report id 3, status, unit, signed exponent, 16-bit little-endian value; see scale/hid_pos.h),
// the weight in grams with as many decimals as fit 16 bits. The host's output report `02 xx` with
// bit 1 (Zero Scale) set zeroes the scale. An offline fault stops the reports.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "responder.h"
#include "weight_model.h"

namespace kiosk::scale::sim {

// The data report for a status and a net weight (encoded in g, or mg for tiny values).
std::array<std::uint8_t, 6> hid_report(std::uint8_t status, std::int64_t net_mg);

class HidResponder final : public Responder {
 public:
  explicit HidResponder(WeightModel& model) : model_(model) {}

  std::string on_bytes(std::string_view in, std::int64_t now_ms) override;
  std::string poll(std::int64_t now_ms) override;
  Status set_device_fault(DeviceFault f) override;
  std::string_view protocol() const override { return "hid"; }

  // The report for the present state.
  std::array<std::uint8_t, 6> report(std::int64_t now_ms);
  int zero_requests() const { return zero_requests_; }

 private:
  WeightModel& model_;
  DeviceFault fault_ = DeviceFault::kNone;
  std::string buf_;
  std::int64_t next_report_ms_ = 0;
  int zero_requests_ = 0;
};

}  // namespace kiosk::scale::sim
