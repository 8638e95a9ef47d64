#pragma once
// A protocol frontend of scale-sim: the device side of one wire protocol over the pseudo-terminal.
// Bytes from the host go in, bytes for the host come out; time passes through poll(). The weight
// comes from the shared WeightModel; faults the model does not know (a hardware fault, a scale
// that needs calibration or re-zeroing) are set here, for the protocols that can report them.
//   mtsics   — MT-SICS, CR LF lines (mtsics_responder.h)
//   magellan — Datalogic Magellan single-cable S11/S14/S08, CR frames (magellan_responder.h)
//   hid      — USB HID POS scale reports as raw bytes (hid_responder.h)
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "mtsics_responder.h"
#include "weight_model.h"

namespace kiosk::scale::sim {

// Device states beyond the model's overload/underload/offline.
enum class DeviceFault { kNone, kHardware, kCalibration, kRezero };

class Responder {
 public:
  virtual ~Responder() = default;
  // Bytes the host wrote; returns the bytes to send back now.
  virtual std::string on_bytes(std::string_view in, std::int64_t now_ms) = 0;
  // Time passed; returns bytes the device sends on its own (repeats, deferred answers, reports).
  virtual std::string poll(std::int64_t now_ms) = 0;
  // A barcode read by the scanner (scanner-scales only).
  virtual Status scan(std::string_view code, std::string_view symbology);
  // Sets a device fault; an error for a protocol that cannot report it.
  virtual Status set_device_fault(DeviceFault f);
  virtual std::string_view protocol() const = 0;
};

struct ResponderOptions {
  Identity identity;                      // MT-SICS I1-I4 and @
  std::int64_t stable_timeout_ms = 3000;  // MT-SICS S/Z/T: wait this long for stability, then `I`
};

// "mtsics", "magellan" or "hid"; an error names the known ones.
Result<std::unique_ptr<Responder>> make_responder(std::string_view protocol, WeightModel& model,
                                                  ResponderOptions options);

}  // namespace kiosk::scale::sim
