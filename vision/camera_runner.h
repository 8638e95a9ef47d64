#pragma once
// The capture loop: frames from a source → decoder → confirmer → debouncer → ScanLog, on its own
// thread. A source that fails is reopened with backoff; a finite source that ends leaves the runner
// in kEnded (the service keeps serving its status and buffered scans). Each status change (and, while
// running, the measured frame rate when it moves or every status_interval) is published to the ScanLog
// for the event stream and the health service.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "debouncer.h"
#include "decoder.h"
#include "frame_source.h"
#include "scan_log.h"

namespace kiosk::vision {

struct CameraRunnerOptions {
  std::chrono::milliseconds debounce{1500};
  std::chrono::milliseconds backoff_min{200};   // first wait before reopening a failed device
  std::chrono::milliseconds backoff_max{5000};  // the wait doubles up to this
  ConfirmOptions confirm{};                     // doubtful reads: agreeing frames needed, window
  // While running, the frame rate is republished when it moves by more than a tenth, and at least this
  // often (a heartbeat for dashboards).
  std::chrono::milliseconds status_interval{10000};
};

class CameraRunner {
 public:
  CameraRunner(std::unique_ptr<FrameSource> source, std::unique_ptr<Decoder> decoder, ScanLog& log, const Clock& clock,
               CameraRunnerOptions options = {});
  ~CameraRunner();
  CameraRunner(const CameraRunner&) = delete;
  CameraRunner& operator=(const CameraRunner&) = delete;

  void start();  // runs the loop on a new thread
  void stop();   // asks the loop to end and joins it; idempotent
  CameraStatus status() const;
  // Blocks until the state is `state` or `deadline` passes; true if reached. For tests and tools.
  bool wait_for_state(CameraState state, std::chrono::steady_clock::time_point deadline) const;

 private:
  void run();
  // Sets and publishes a new state; `error` replaces last_error when not empty.
  void set_state(CameraState s, std::string error = {}, std::uint32_t attempt = 0,
                 std::chrono::milliseconds backoff = {});
  void publish_locked();  // publishes status_ (mu_ held)
  bool wait_stop(std::chrono::milliseconds d);
  // Publishes kReconnecting for failed attempt `attempt`, waits `backoff` and doubles it (up to
  // backoff_max); false if stop was requested meanwhile.
  bool retry_after(const std::string& error, std::uint32_t attempt,
                   std::chrono::milliseconds& backoff);  // true if stop was requested meanwhile

  std::unique_ptr<FrameSource> source_;
  std::unique_ptr<Decoder> decoder_;
  ScanLog& log_;
  const Clock& clock_;
  CameraRunnerOptions options_;
  Confirmer confirmer_;
  Debouncer debouncer_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  CameraStatus status_;
  double published_fps_ = 0;
  std::chrono::steady_clock::time_point published_at_{};
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace kiosk::vision
