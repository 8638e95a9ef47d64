#pragma once
// The published events: numbers each scan, keeps the last `capacity` for subscribers that reconnect
// (ScansRequest.after_seq), and lets readers wait for new ones with a deadline. Beside the scans it
// keeps the camera's status changes (numbered apart, so scan seqs stay gap-free). Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "scan_event.h"

namespace kiosk::vision {

class ScanLog {
 public:
  explicit ScanLog(std::size_t capacity = 256) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Assigns the next seq, stores the event and wakes readers; returns the stored event.
  ScanEvent publish(ScanEvent e);
  std::uint64_t last_seq() const;

  // Buffered events with seq > after_seq, oldest first; waits until there is one, `deadline` passes
  // or the log is closed. Events already dropped from the buffer are skipped.
  std::vector<ScanEvent> wait_after(std::uint64_t after_seq, std::chrono::steady_clock::time_point deadline);

  // Camera status: assigns the next version, keeps the last few changes and wakes readers.
  CameraStatus publish_status(CameraStatus s);
  // The latest published status (version 0 before the first).
  CameraStatus status() const;

  struct Events {
    std::vector<CameraStatus> statuses;  // version > after_version, oldest first
    std::vector<ScanEvent> scans;        // seq > after_seq, oldest first
  };
  // Waits like wait_after for either kind of event.
  Events wait_events(std::uint64_t after_seq, std::uint64_t after_version,
                     std::chrono::steady_clock::time_point deadline);

  // Wakes every reader for good (process shutdown).
  void close();
  bool closed() const;

  // Readers currently inside a stream, so tests can wait for a subscriber before producing.
  void add_reader(int delta);
  int readers() const;

 private:
  // Status changes kept for readers that lag (a reconnect storm is a handful per backoff period).
  static constexpr std::size_t kStatusCapacity = 64;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<ScanEvent> buffer_;
  std::deque<CameraStatus> statuses_;
  std::size_t capacity_;
  std::uint64_t last_seq_ = 0;
  std::uint64_t last_version_ = 0;
  bool closed_ = false;
  int readers_ = 0;
};

}  // namespace kiosk::vision
