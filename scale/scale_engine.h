#pragma once
// The scale service's core: a poll thread asks the device for its weight every poll period, feeds
// the stable detector and the bagging verifier, and publishes readings (on change only), verdicts,
// alerts and device status to subscribers. No gRPC here; scale_service.cpp adapts it to kiosk.v1.Scale.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

#include "bagging_verifier.h"
#include "common/clock.h"
#include "scale_device.h"
#include "stable_detector.h"

namespace kiosk::scale {

struct EngineOptions {
  std::chrono::milliseconds poll{100};  // SI period
  std::int64_t interval_mg = 1000;      // display interval e
  std::chrono::milliseconds stable{400};
  VerifierOptions verifier;
};

struct StatusEvent {
  DeviceStatus status;
  std::string device;
  std::int64_t interval_mg = 0;
};

// ScannerScan: a barcode from a scanner-scale (Magellan S08), passed through in order.
using ScaleEvent = std::variant<Reading, Verdict, Alert, StatusEvent, ScannerScan>;

class ScaleEngine;

// One watcher's queue of events. Destroying it unsubscribes.
class Subscription {
 public:
  ~Subscription();
  // Waits up to `timeout` for the next event; nullopt on timeout or once the engine stops.
  std::optional<ScaleEvent> next(std::chrono::milliseconds timeout);
  // True once the engine stopped and every queued event was taken.
  bool closed();

 private:
  friend class ScaleEngine;
  explicit Subscription(ScaleEngine& engine) : engine_(engine) {}
  void push(const ScaleEvent& e);
  void close();

  ScaleEngine& engine_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<ScaleEvent> queue_;
  bool closed_ = false;
};

class ScaleEngine {
 public:
  ScaleEngine(ScaleDevice& device, const Clock& clock, EngineOptions options);
  ~ScaleEngine();

  void start();  // the poll thread
  void stop();   // joins it and ends every subscription
  // One poll: SI, stability, verification, timeouts. The thread calls it; tests may too.
  void poll_once();

  // A new watcher; its queue starts with the status, the latest reading and the open alerts.
  std::unique_ptr<Subscription> subscribe();

  Result<std::int64_t> begin_session(const std::string& session_id);
  Result<std::int64_t> end_session(const std::string& session_id);
  Result<std::int64_t> expect_item(const std::string& id, std::int64_t expected_mg, std::int64_t spread_mg,
                                   bool no_weigh);
  Result<std::int64_t> expect_removal(const std::string& id, std::int64_t expected_mg, std::int64_t spread_mg);
  Status resolve_alert(const std::string& alert_id, Decision decision, const std::string& attendant_id);
  // Zeroes the scale; refused while a session is open (it would move every baseline).
  Status zero();

  StatusEvent status() const;

 private:
  friend class Subscription;
  void unsubscribe(Subscription* s);
  void publish(const ScaleEvent& e);
  void flush_verifier();  // with mu_ held
  void run();

  ScaleDevice& device_;
  const Clock& clock_;
  EngineOptions options_;

  std::mutex device_mu_;   // one command on the wire at a time (poll thread vs Zero)
  mutable std::mutex mu_;  // the state below
  StableDetector detector_;
  BaggingVerifier verifier_;
  DeviceStatus last_status_{DeviceState::kOffline, "not polled yet"};
  std::optional<Reading> last_reading_;
  std::optional<Reading> last_published_;

  std::mutex subs_mu_;
  std::list<Subscription*> subs_;

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kiosk::scale
