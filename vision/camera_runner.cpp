#include "camera_runner.h"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <cmath>

namespace kiosk::vision {

CameraRunner::CameraRunner(std::unique_ptr<FrameSource> source, std::unique_ptr<Decoder> decoder, ScanLog& log,
                           const Clock& clock, CameraRunnerOptions options)
    : source_(std::move(source)),
      decoder_(std::move(decoder)),
      log_(log),
      clock_(clock),
      options_(options),
      confirmer_(options.confirm),
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

void CameraRunner::set_state(CameraState s, std::string error, std::uint32_t attempt,
                             std::chrono::milliseconds backoff) {
  {
    std::lock_guard lock(mu_);
    status_.state = s;
    if (!error.empty()) status_.last_error = std::move(error);
    status_.reconnect_attempt = attempt;
    status_.backoff = backoff;
    if (s != CameraState::kRunning) status_.frames_per_s = 0;
    publish_locked();
  }
  cv_.notify_all();
}

void CameraRunner::publish_locked() {
  status_.unix_ms = clock_.now_unix_ms();
  status_ = log_.publish_status(status_);
  published_fps_ = status_.frames_per_s;
  published_at_ = clock_.steady_now();
}

bool CameraRunner::retry_after(const std::string& error, std::uint32_t attempt, std::chrono::milliseconds& backoff) {
  spdlog::warn("{} (attempt {}, retrying in {} ms)", error, attempt, backoff.count());
  set_state(CameraState::kReconnecting, error, attempt, backoff);
  if (wait_stop(backoff)) return false;
  backoff = std::min(backoff * 2, options_.backoff_max);
  return true;
}

bool CameraRunner::wait_stop(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, d, [&] { return stop_; });
}

void CameraRunner::run() {
  auto backoff = options_.backoff_min;
  std::uint32_t failed_opens = 0;
  bool open = false;
  bool got_frame = false;  // since the last open
  std::uint64_t window_frames = 0;
  auto window_start = clock_.steady_now();
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
    if (!open) {
      if (Status s = source_->open(); !s) {
        if (!retry_after(s.message(), ++failed_opens, backoff)) return;
        continue;
      }
      open = true;
      got_frame = false;
    }
    auto frame = source_->read();
    if (!frame) {
      open = false;
      if (!got_frame) {
        // Opened but never delivered (a device that opens and then stalls): back off as for a failed open
        // rather than spin.
        if (!retry_after(frame.message(), ++failed_opens, backoff)) return;
        continue;
      }
      spdlog::warn("{}", frame.message());
      set_state(CameraState::kDisconnected, frame.message());
      continue;  // the reopen above waits with backoff if the device stays away
    }
    if (!*frame) {
      spdlog::info("{}: end of stream", source_->describe());
      set_state(CameraState::kEnded);
      return;
    }
    bool first = false;
    if (!got_frame) {
      // Running once frames flow, not merely once the device opened. The rate is counted from here.
      got_frame = first = true;
      if (failed_opens > 0) spdlog::info("{}: reconnected after {} failed attempts", source_->describe(), failed_opens);
      failed_opens = 0;
      window_frames = 0;
      window_start = clock_.steady_now();
      set_state(CameraState::kRunning);
    }
    backoff = options_.backoff_min;
    const Frame& f = **frame;
    const auto confirmed = confirmer_.update(decoder_->decode(f.image), f.stream_ms);
    for (auto& code : debouncer_.update(confirmed, f.stream_ms)) {
      ScanEvent e;
      e.code = std::move(code);
      e.frame_unix_ms = f.unix_ms;
      e.frame_index = f.index;
      e.source = source_->describe();
      e.event_unix_ms = clock_.now_unix_ms();
      const ScanEvent published = log_.publish(std::move(e));
      // A code may be a shopper's loyalty card or carry personal data (QR): the info log keeps its last
      // four characters, the whole text is for debugging only.
      const std::string& text = published.code.text;
      spdlog::info(
          "scan #{}: {} …{} ({} characters, frame {})", published.seq, symbology_name(published.code.symbology),
          text.substr(text.size() - std::min<std::size_t>(text.size(), 4)), text.size(), published.frame_index);
      spdlog::debug("scan #{}: {}", published.seq, text);
    }
    // Frame rate over windows of about a second: frames after the window's first, over its duration.
    if (!first) ++window_frames;
    const auto now = clock_.steady_now();
    const double elapsed = std::chrono::duration<double>(now - window_start).count();
    std::lock_guard lock(mu_);
    ++status_.frames_read;
    if (elapsed >= 1.0) {
      status_.frames_per_s = static_cast<double>(window_frames) / elapsed;
      window_frames = 0;
      window_start = now;
      const bool moved = std::abs(status_.frames_per_s - published_fps_) > 0.1 * std::max(published_fps_, 1.0);
      if (moved || now - published_at_ >= options_.status_interval) publish_locked();
    }
  }
}

}  // namespace kiosk::vision
