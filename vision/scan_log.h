#pragma once
// The published scans: numbers each event, keeps the last `capacity` for subscribers that reconnect
// (ScansRequest.after_seq), and lets readers wait for new ones with a deadline. Thread-safe.
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

  // Wakes every reader for good (process shutdown).
  void close();
  bool closed() const;

  // Readers currently inside a stream, so tests can wait for a subscriber before producing.
  void add_reader(int delta);
  int readers() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<ScanEvent> buffer_;
  std::size_t capacity_;
  std::uint64_t last_seq_ = 0;
  bool closed_ = false;
  int readers_ = 0;
};

}  // namespace kiosk::vision
