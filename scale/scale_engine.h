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

#include "alert_log.h"
#include "bagging_verifier.h"
#include "common/clock.h"
#include "produce_weighing.h"
#include "scale_device.h"
#include "stable_detector.h"
#include "weight_learning.h"
#include "zero_tracker.h"

namespace kiosk::scale {

struct EngineOptions {
  std::chrono::milliseconds poll{50};  // SI period (one SI exchange at 9600 baud takes ~25 ms)
  std::int64_t interval_mg = 1000;     // display interval e
  std::chrono::milliseconds stable{400};
  std::int64_t capacity_mg = 30'000'000;  // Max
  std::int64_t produce_min_load_e = 20;   // Min for produce weighing
  ZeroTrackingOptions zero_tracking;
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
  // The next event if one is queued, without waiting.
  std::optional<ScaleEvent> try_next();
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
  // `learner` and `log` may be null (no learning; alerts not recorded). They must outlive the engine.
  ScaleEngine(ScaleDevice& device, const Clock& clock, EngineOptions options, WeightLearner* learner = nullptr,
              AlertLog* log = nullptr);
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
                                   bool no_weigh, const std::string& gtin14 = {});
  Result<std::int64_t> expect_removal(const std::string& id, std::int64_t expected_mg, std::int64_t spread_mg,
                                      const std::string& gtin14 = {});
  // An attendant's decision (refused without attendant_id); recorded in the alert log.
  Status resolve_alert(const std::string& alert_id, Decision decision, const std::string& attendant_id);
  // Produce weighing by the metrology rules, on the present state (net of the session's baseline).
  Result<ProduceWeight> weigh_produce();
  // The same, waiting up to `max_wait` (real time) for the weight to become stable.
  Result<ProduceWeight> weigh_produce_waiting(std::chrono::milliseconds max_wait);
  // The alert log (records with seq > after, at most limit; 0 = all). Empty without a log.
  Result<std::vector<AlertRecord>> alert_records(std::uint64_t after, std::size_t limit) const;
  std::int64_t zero_offset_mg() const;
  // Zeroes the scale; refused while a session is open (it would move every baseline).
  Status zero();

  StatusEvent status() const;
  std::vector<Alert> open_alerts() const;

 private:
  friend class Subscription;
  void unsubscribe(Subscription* s);
  void publish(const ScaleEvent& e);
  void flush_verifier();                    // with mu_ held
  void record(AlertRecord r);               // with mu_ held
  ProduceScaleState produce_state() const;  // with mu_ held
  ProduceRules produce_rules() const;
  void run();

  ScaleDevice& device_;
  const Clock& clock_;
  EngineOptions options_;

  std::mutex device_mu_;   // one command on the wire at a time (poll thread vs Zero)
  mutable std::mutex mu_;  // the state below
  AlertLog* log_;
  StableDetector detector_;
  ZeroTracker zero_;
  BaggingVerifier verifier_;
  std::condition_variable polled_cv_;  // each poll (produce weighing waits for stability)
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
