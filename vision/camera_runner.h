#pragma once
// The capture loop: frames from a source → decoder → debouncer → ScanLog, on its own thread.
// A live source that fails is reopened with backoff; a finite source that ends leaves the runner
// in kEnded (the service keeps serving its status and buffered scans).
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

enum class CameraState { kStarting, kRunning, kReconnecting, kEnded };

struct CameraStatus {
  CameraState state = CameraState::kStarting;
  std::string source;
  std::uint64_t frames_read = 0;
  double frames_per_s = 0;  // measured over the last second or so
  std::string last_error;
};

struct CameraRunnerOptions {
  std::chrono::milliseconds debounce{1500};
  std::chrono::milliseconds backoff_min{200};   // first wait before reopening a failed device
  std::chrono::milliseconds backoff_max{5000};  // the wait doubles up to this
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
  void set_state(CameraState s, std::string error = {});
  bool wait_stop(std::chrono::milliseconds d);  // true if stop was requested meanwhile

  std::unique_ptr<FrameSource> source_;
  std::unique_ptr<Decoder> decoder_;
  ScanLog& log_;
  const Clock& clock_;
  CameraRunnerOptions options_;
  Debouncer debouncer_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  CameraStatus status_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace kiosk::vision
