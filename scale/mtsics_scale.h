#pragma once
// MT-SICS scale on a serial line. Every call sends one command and waits for its answer; a missing
// answer or a vanished device closes the port and marks the scale OFFLINE, and later calls reopen it
// with exponential backoff (so unplugging and replugging the scale needs no restart).
// Not thread-safe: one caller at a time (the service's poll thread serialises access).
#include <chrono>
#include <optional>
#include <string>

#include "common/clock.h"
#include "mtsics.h"
#include "scale_device.h"
#include "serial_port.h"

namespace kiosk::scale {

struct MtSicsOptions {
  std::string device;  // e.g. /dev/ttyUSB0 or a scale-sim link
  int baud = 9600;
  std::chrono::milliseconds answer_timeout{800};   // for SI; Z, T and S may wait for stability
  std::chrono::milliseconds settle_timeout{4000};  // for commands that wait until stable
  std::chrono::milliseconds backoff_min{200};      // first reconnect delay
  std::chrono::milliseconds backoff_max{5000};     // delays double up to this
};

class MtSicsScale final : public ScaleDevice {
 public:
  MtSicsScale(MtSicsOptions options, const Clock& clock);

  Result<WeightSample> read_weight() override;  // SI
  Status zero() override;                       // Z
  Result<std::int64_t> tare() override;         // T
  DeviceStatus status() const override { return status_; }
  std::string name() const override { return options_.device; }

  // Sends any command line and returns the parsed answer (ES/ET/EL come back as a response with
  // `error` set, not as an Error: the device answered). Errors are transport or framing failures.
  Result<MtSicsResponse> command(std::string_view cmd, std::chrono::milliseconds timeout);

 private:
  Status ensure_open();
  void go_offline(const std::string& why);
  void set_status(DeviceState s, std::string detail);

  MtSicsOptions options_;
  const Clock& clock_;
  std::optional<SerialPort> port_;
  DeviceStatus status_{DeviceState::kOffline, "not opened yet"};
  std::chrono::milliseconds backoff_{0};
  std::chrono::steady_clock::time_point next_attempt_{};
};

}  // namespace kiosk::scale
