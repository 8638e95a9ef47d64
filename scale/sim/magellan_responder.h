#pragma once
// The scale's side of the Datalogic Magellan single-cable protocol (CR framed; see scale/magellan.h
// for the frames and sources). S14 is answered at once with the status digit (and the weight in
// grams, 5 digits, with status 4); S11 is answered when a stable non-zero weight is on the platform
// (until then it waits, as the scale does; a later command replaces it). Barcodes handed to scan()
// go out as S08<label id><data>. Scanner commands (S334 beep, S01/S02 ...) are taken silently.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "responder.h"
#include "weight_model.h"

namespace kiosk::scale::sim {

class MagellanResponder final : public Responder {
 public:
  explicit MagellanResponder(WeightModel& model) : model_(model) {}

  std::string on_bytes(std::string_view in, std::int64_t now_ms) override;
  std::string poll(std::int64_t now_ms) override;
  // symbology: ean13, ean8, upca, upce, code128, code39, itf, or empty to choose by length.
  Status scan(std::string_view code, std::string_view symbology) override;
  Status set_device_fault(DeviceFault f) override;
  std::string_view protocol() const override { return "magellan"; }

  // `S14<status>[weight]` for the present state (what S14 answers).
  std::string status_frame(std::int64_t now_ms);

 private:
  WeightModel& model_;
  DeviceFault fault_ = DeviceFault::kNone;
  std::string buf_;
  bool weight_wanted_ = false;  // an S11 waits for a stable non-zero weight
  std::deque<std::string> scans_;
};

}  // namespace kiosk::scale::sim
