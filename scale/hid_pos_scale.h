#pragma once
// A USB HID POS scale read from a device path: a real /dev/hidrawN (one report per read), or in
// tests a pseudo-terminal or FIFO streaming report bytes. The scale sends data reports on its own;
// read_weight() takes every report waiting and answers with the newest. No report for
// `stale_timeout`, a hang-up or a read error closes the device and marks the scale OFFLINE; later
// calls reopen it with backoff. zero() writes the Zero Scale output report.
// Not thread-safe: one caller at a time (the engine's poll thread).
#include <chrono>
#include <optional>
#include <string>

#include "common/clock.h"
#include "hid_pos.h"
#include "reconnect_backoff.h"
#include "scale_device.h"

namespace kiosk::scale {

struct HidPosOptions {
  std::string device;                             // e.g. /dev/hidraw0 or a scale-sim link
  std::chrono::milliseconds answer_timeout{800};  // wait for the first report after opening
  std::chrono::milliseconds stale_timeout{2000};  // no report for this long: offline (0: never)
  std::chrono::milliseconds backoff_min{200};
  std::chrono::milliseconds backoff_max{5000};
};

class HidPosScale final : public ScaleDevice {
 public:
  HidPosScale(HidPosOptions options, const Clock& clock);
  ~HidPosScale() override;
  HidPosScale(const HidPosScale&) = delete;
  HidPosScale& operator=(const HidPosScale&) = delete;

  Result<WeightSample> read_weight() override;
  Status zero() override;                // the Zero Scale output report
  Result<std::int64_t> tare() override;  // HID POS scales have no tare
  DeviceStatus status() const override { return status_; }
  std::string name() const override { return options_.device; }

  // The newest report, for diagnostics and tests.
  const std::optional<HidScaleReport>& last_report() const { return last_; }
  std::size_t rejected_bytes() const { return splitter_.rejected_bytes(); }

 private:
  Status ensure_open();
  void close();
  void go_offline(const std::string& why);
  void set_status(DeviceState s, std::string detail);
  // Reads what is waiting (up to `wait` for the first byte). Errors: the device went away.
  Status drain(std::chrono::milliseconds wait);

  HidPosOptions options_;
  ReconnectBackoff backoff_;
  int fd_ = -1;
  bool aligned_ = false;  // a hidraw device: one report per read
  HidReportSplitter splitter_;
  std::optional<HidScaleReport> last_;
  std::chrono::steady_clock::time_point last_at_{};
  DeviceStatus status_{DeviceState::kOffline, "not opened yet"};
};

}  // namespace kiosk::scale
