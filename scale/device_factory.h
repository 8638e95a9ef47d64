#pragma once
// Builds the scale driver that [scale] names:
//   protocol = "mtsics"   (default) MT-SICS on a serial port, 9600 8N1 CR LF
//   protocol = "magellan" a Datalogic Magellan scanner-scale, single cable, 9600 7O1 CR
//   protocol = "hid"      a USB HID POS scale on a hidraw device
//   device = PATH; baud (serial protocols), timeout_ms (answer / first report), hid_stale_ms
//   (HID: no report for this long means offline; 0 = never), magellan_units = "metric" | "pounds".
#include <memory>

#include "common/clock.h"
#include "common/config.h"
#include "common/result.h"
#include "scale_device.h"

namespace kiosk::scale {

Result<std::unique_ptr<ScaleDevice>> make_scale_device(const Config& config, const Clock& clock);

}  // namespace kiosk::scale
