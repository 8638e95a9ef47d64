#include "device_factory.h"

#include <fmt/format.h>

#include "hid_pos_scale.h"
#include "magellan_scale.h"
#include "mtsics_scale.h"

namespace kiosk::scale {

Result<std::unique_ptr<ScaleDevice>> make_scale_device(const Config& c, const Clock& clock) {
  using namespace std::chrono_literals;
  auto protocol = c.get_string("scale", "protocol", "mtsics");
  auto device = c.get_path("scale", "device", "/dev/ttyUSB0");
  auto baud = c.get_int("scale", "baud", 9600);
  auto timeout = c.get_ms("scale", "timeout_ms", 800ms);
  auto stale = c.get_ms("scale", "hid_stale_ms", 2000ms);
  auto units = c.get_string("scale", "magellan_units", "metric");
  for (const Status& s :
       {protocol.status(), device.status(), baud.status(), timeout.status(), stale.status(), units.status()})
    if (!s) return s.error();
  if (*units != "metric" && *units != "pounds")
    return invalid_argument(fmt::format("[scale] magellan_units = \"{}\" (metric or pounds)", *units));
  if (timeout->count() <= 0 || stale->count() < 0)
    return invalid_argument("[scale] timeout_ms must be > 0 and hid_stale_ms ≥ 0");
  if (*protocol == "mtsics") {
    MtSicsOptions o;
    o.device = device->string();
    o.baud = static_cast<int>(*baud);
    o.answer_timeout = *timeout;
    return std::unique_ptr<ScaleDevice>(new MtSicsScale(o, clock));
  }
  if (*protocol == "magellan") {
    MagellanOptions o;
    o.device = device->string();
    o.baud = static_cast<int>(*baud);
    o.answer_timeout = *timeout;
    o.units = *units == "metric" ? MagellanUnits::kMetric : MagellanUnits::kPounds;
    return std::unique_ptr<ScaleDevice>(new MagellanScale(o, clock));
  }
  if (*protocol == "hid") {
    HidPosOptions o;
    o.device = device->string();
    o.answer_timeout = *timeout;
    o.stale_timeout = *stale;
    return std::unique_ptr<ScaleDevice>(new HidPosScale(o, clock));
  }
  return invalid_argument(
      fmt::format("[scale] protocol = \"{}\" is not supported (supported: mtsics, magellan, hid)", *protocol));
}

}  // namespace kiosk::scale
