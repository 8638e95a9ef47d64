#pragma once
// A Datalogic Magellan scanner-scale on its single serial cable (9600 7O1, CR framed; magellan.h).
// Each read_weight() sends S14 and waits for the status answer; barcodes (S08) arrive whenever the
// scanner reads one, also in the middle of an answer, and are queued for take_scans(). A missing
// answer or a vanished device closes the port and marks the scale OFFLINE; later calls reopen it
// with backoff. Not thread-safe: one caller at a time (the engine's poll thread).
#include <chrono>
#include <deque>
#include <optional>
#include <string>

#include "common/clock.h"
#include "magellan.h"
#include "reconnect_backoff.h"
#include "scale_device.h"
#include "serial_port.h"

namespace kiosk::scale {

struct MagellanOptions {
  std::string device;  // e.g. /dev/ttyS0 or a scale-sim link
  int baud = 9600;
  MagellanUnits units = MagellanUnits::kMetric;   // as the scale is configured
  std::chrono::milliseconds answer_timeout{800};  // for S14
  std::chrono::milliseconds backoff_min{200};
  std::chrono::milliseconds backoff_max{5000};
};

class MagellanScale final : public ScaleDevice {
 public:
  MagellanScale(MagellanOptions options, const Clock& clock);

  Result<WeightSample> read_weight() override;  // S14
  // The single-cable protocol has no zero or tare command (the scale zeroes itself, or at its button).
  Status zero() override;
  Result<std::int64_t> tare() override;
  DeviceStatus status() const override { return status_; }
  std::string name() const override { return options_.device; }
  std::vector<ScannerScan> take_scans() override;

  // Sends one request (S11 or S14) and returns the first weight or status frame answering it.
  Result<MagellanFrame> request(std::string_view cmd, std::chrono::milliseconds timeout);

 private:
  Status ensure_open();
  void go_offline(const std::string& why);
  void set_status(DeviceState s, std::string detail);
  void queue_scan(ScannerScan scan);

  MagellanOptions options_;
  const Clock& clock_;
  ReconnectBackoff backoff_;
  std::optional<SerialPort> port_;
  DeviceStatus status_{DeviceState::kOffline, "not opened yet"};
  std::deque<ScannerScan> scans_;
  std::uint64_t scan_seq_ = 0;
};

}  // namespace kiosk::scale
