#include "scan_log.h"

namespace kiosk::vision {

const char* camera_state_name(CameraState s) {
  switch (s) {
    case CameraState::kStarting:
      return "starting";
    case CameraState::kRunning:
      return "running";
    case CameraState::kDisconnected:
      return "disconnected";
    case CameraState::kReconnecting:
      return "reconnecting";
    case CameraState::kEnded:
      return "ended";
  }
  return "unknown";
}

ScanEvent ScanLog::publish(ScanEvent e) {
  {
    std::lock_guard lock(mu_);
    e.seq = ++last_seq_;
    buffer_.push_back(e);
    while (buffer_.size() > capacity_) buffer_.pop_front();
  }
  cv_.notify_all();
  return e;
}

std::uint64_t ScanLog::last_seq() const {
  std::lock_guard lock(mu_);
  return last_seq_;
}

std::vector<ScanEvent> ScanLog::wait_after(std::uint64_t after_seq, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [&] { return closed_ || last_seq_ > after_seq; });
  std::vector<ScanEvent> out;
  for (const auto& e : buffer_) {
    if (e.seq > after_seq) out.push_back(e);
  }
  return out;
}

CameraStatus ScanLog::publish_status(CameraStatus s) {
  {
    std::lock_guard lock(mu_);
    s.version = ++last_version_;
    statuses_.push_back(s);
    while (statuses_.size() > kStatusCapacity) statuses_.pop_front();
  }
  cv_.notify_all();
  return s;
}

CameraStatus ScanLog::status() const {
  std::lock_guard lock(mu_);
  return statuses_.empty() ? CameraStatus{} : statuses_.back();
}

ScanLog::Events ScanLog::wait_events(std::uint64_t after_seq, std::uint64_t after_version,
                                     std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [&] { return closed_ || last_seq_ > after_seq || last_version_ > after_version; });
  Events out;
  for (const auto& s : statuses_) {
    if (s.version > after_version) out.statuses.push_back(s);
  }
  for (const auto& e : buffer_) {
    if (e.seq > after_seq) out.scans.push_back(e);
  }
  return out;
}

void ScanLog::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool ScanLog::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

void ScanLog::add_reader(int delta) {
  std::lock_guard lock(mu_);
  readers_ += delta;
}

int ScanLog::readers() const {
  std::lock_guard lock(mu_);
  return readers_;
}

}  // namespace kiosk::vision
