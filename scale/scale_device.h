#pragma once
// The bagging-area scale as the service sees it, whatever its wire protocol: MT-SICS (mtsics_scale.h),
// a Datalogic Magellan scanner-scale (magellan_scale.h) or a USB HID POS scale (hid_pos_scale.h).
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace kiosk::scale {

// One weight from the device.
struct WeightSample {
  std::int64_t weight_mg = 0;  // displayed (net) weight
  bool device_stable = false;  // the device's own stability flag
};

// Barcode symbologies a scanner-scale reports (the subset of kiosk.v1.Symbology it can name).
enum class ScanSymbology { kUnknown, kEan13, kEan8, kUpcA, kUpcE, kCode128, kCode39, kItf };

// A barcode read by the scanner half of a scanner-scale (Magellan S08), for checkout to treat like
// a camera scan.
struct ScannerScan {
  ScanSymbology symbology = ScanSymbology::kUnknown;
  std::string text;    // the label data as read (UPC-E as sent, supplements appended)
  std::string gtin14;  // set for EAN/UPC codes with a valid check digit
  std::int64_t at_unix_ms = 0;
  std::uint64_t seq = 0;  // 1, 2, ... per driver
  std::string source;     // the device it came from
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
  // The present weight (stable or not). Errors: kUnavailable when offline or in an error state
  // (status() says which); kUnavailable with status() still ONLINE when the device answers but has
  // no weight to give now (a Magellan scale in motion sends no value).
  virtual Result<WeightSample> read_weight() = 0;
  // Sets the zero point (the scale itself decides whether the load is within its zero range).
  virtual Status zero() = 0;
  // Tares the present load; returns the tare weight in mg.
  virtual Result<std::int64_t> tare() = 0;
  virtual DeviceStatus status() const = 0;
  // The device path or name, for status messages.
  virtual std::string name() const = 0;
  // Barcodes read since the last call, oldest first (only scanner-scales have any).
  virtual std::vector<ScannerScan> take_scans() { return {}; }
};

std::string_view to_string(ScanSymbology s);

std::string_view to_string(DeviceState s);

}  // namespace kiosk::scale
