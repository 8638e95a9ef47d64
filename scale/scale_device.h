#pragma once
// The bagging-area scale as the service sees it, whatever its wire protocol (MT-SICS here;
// Magellan S11/S14 and USB HID POS scales implement the same interface).
#include <cstdint>
#include <string>

#include "common/result.h"

namespace kiosk::scale {

// One weight from the device.
struct WeightSample {
  std::int64_t weight_mg = 0;  // displayed (net) weight
  bool device_stable = false;  // the device's own stability flag
};

enum class DeviceState {
  kOnline,   // answering with weights
  kOffline,  // missing or not answering; the driver reconnects with backoff
  kError,    // answering, but with an error state (overload, underload, ...)
};

struct DeviceStatus {
  DeviceState state = DeviceState::kOffline;
  std::string detail;  // why, for logs and the attendant view
  bool operator==(const DeviceStatus&) const = default;
};

class ScaleDevice {
 public:
  virtual ~ScaleDevice() = default;
  // The present weight (stable or not). Errors: kUnavailable when offline or in an error state.
  virtual Result<WeightSample> read_weight() = 0;
  // Sets the zero point (the scale itself decides whether the load is within its zero range).
  virtual Status zero() = 0;
  // Tares the present load; returns the tare weight in mg.
  virtual Result<std::int64_t> tare() = 0;
  virtual DeviceStatus status() const = 0;
  // The device path or name, for status messages.
  virtual std::string name() const = 0;
};

std::string_view to_string(DeviceState s);

}  // namespace kiosk::scale
