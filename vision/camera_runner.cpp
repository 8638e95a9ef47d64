#include "camera_runner.h"

#include <spdlog/spdlog.h>

namespace kiosk::vision {

CameraRunner::CameraRunner(std::unique_ptr<FrameSource> source, std::unique_ptr<Decoder> decoder, ScanLog& log,
                           const Clock& clock, CameraRunnerOptions options)
    : source_(std::move(source)),
      decoder_(std::move(decoder)),
      log_(log),
      clock_(clock),
      options_(options),
      debouncer_(options.debounce) {
  status_.source = source_->describe();
}

CameraRunner::~CameraRunner() {
  stop();
}

void CameraRunner::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void CameraRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

CameraStatus CameraRunner::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

bool CameraRunner::wait_for_state(CameraState state, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mu_);
  return cv_.wait_until(lock, deadline, [&] { return status_.state == state; });
}

void CameraRunner::set_state(CameraState s, std::string error) {
  {
    std::lock_guard lock(mu_);
    status_.state = s;
    if (!error.empty()) status_.last_error = std::move(error);
  }
  cv_.notify_all();
}

bool CameraRunner::wait_stop(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, d, [&] { return stop_; });
}

void CameraRunner::run() {
  auto backoff = options_.backoff_min;
  bool open = false;
  std::uint64_t window_frames = 0;
  auto window_start = clock_.steady_now();
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
    if (!open) {
      if (Status s = source_->open(); !s) {
        spdlog::warn("{} (retrying in {} ms)", s.message(), backoff.count());
        set_state(CameraState::kReconnecting, s.message());
        if (wait_stop(backoff)) return;
        backoff = std::min(backoff * 2, options_.backoff_max);
        continue;
      }
      open = true;
      set_state(CameraState::kRunning);
    }
    auto frame = source_->read();
    if (!frame) {
      open = false;
      spdlog::warn("{}", frame.message());
      set_state(CameraState::kReconnecting, frame.message());
      continue;  // the reopen above waits with backoff if the device stays away
    }
    if (!*frame) {
      spdlog::info("{}: end of stream", source_->describe());
      set_state(CameraState::kEnded);
      return;
    }
    backoff = options_.backoff_min;
    const Frame& f = **frame;
    for (auto& code : debouncer_.update(decoder_->decode(f.image), f.stream_ms)) {
      ScanEvent e;
      e.code = std::move(code);
      e.frame_unix_ms = f.unix_ms;
      e.frame_index = f.index;
      e.source = source_->describe();
      e.event_unix_ms = clock_.now_unix_ms();
      const ScanEvent published = log_.publish(std::move(e));
      spdlog::info("scan #{}: {} {} (frame {})", published.seq, symbology_name(published.code.symbology),
                   published.code.text, published.frame_index);
    }
    // Frame rate over windows of about a second.
    ++window_frames;
    const auto now = clock_.steady_now();
    const double elapsed = std::chrono::duration<double>(now - window_start).count();
    std::lock_guard lock(mu_);
    ++status_.frames_read;
    if (elapsed >= 1.0) {
      status_.frames_per_s = static_cast<double>(window_frames) / elapsed;
      window_frames = 0;
      window_start = now;
    }
  }
}

}  // namespace kiosk::vision
