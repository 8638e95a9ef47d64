// The scan log numbers events, replays what a reconnecting reader missed and wakes readers.
#include <catch2/catch.hpp>
#include <thread>

#include "vision/scan_log.h"

using kiosk::vision::ScanEvent;
using kiosk::vision::ScanLog;
using namespace std::chrono_literals;

namespace {
ScanEvent event(const std::string& text) {
  ScanEvent e;
  e.code.text = text;
  return e;
}
auto soon() {
  return std::chrono::steady_clock::now() + 5s;
}
auto past() {
  return std::chrono::steady_clock::now() - 1ms;
}
}  // namespace

TEST_CASE("events get consecutive seq numbers from 1", "[vision][scanlog]") {
  ScanLog log;
  CHECK(log.last_seq() == 0);
  CHECK(log.publish(event("a")).seq == 1);
  CHECK(log.publish(event("b")).seq == 2);
  CHECK(log.last_seq() == 2);
}

TEST_CASE("after_seq replays the buffered events after it", "[vision][scanlog]") {
  ScanLog log(3);
  for (const char* t : {"a", "b", "c", "d", "e"}) (void)log.publish(event(t));
  auto after3 = log.wait_after(3, past());
  REQUIRE(after3.size() == 2);
  CHECK(after3[0].seq == 4);
  CHECK(after3[1].code.text == "e");
  // Only 3 are kept: asking from 0 gets 3..5.
  auto all = log.wait_after(0, past());
  REQUIRE(all.size() == 3);
  CHECK(all.front().seq == 3);
  CHECK(log.wait_after(5, past()).empty());
}

TEST_CASE("a waiting reader wakes on publish and on close", "[vision][scanlog]") {
  ScanLog log;
  std::vector<ScanEvent> got;
  std::thread reader([&] { got = log.wait_after(0, soon()); });
  // Publish only once the reader is inside; the wait returns as soon as the event exists anyway.
  (void)log.publish(event("a"));
  reader.join();
  REQUIRE(got.size() == 1);
  CHECK(got[0].seq == 1);

  bool woke = false;
  std::thread closer_wait([&] {
    (void)log.wait_after(1, soon());
    woke = log.closed();
  });
  log.close();
  closer_wait.join();
  CHECK(woke);
}

TEST_CASE("camera statuses are numbered apart from scans, replayed to a lagging reader and wake waiters",
          "[vision][scanlog]") {
  using kiosk::vision::CameraState;
  using kiosk::vision::CameraStatus;
  ScanLog log;
  CHECK(log.status().version == 0);
  CHECK(log.status().state == CameraState::kStarting);
  CameraStatus running;
  running.state = CameraState::kRunning;
  CHECK(log.publish_status(running).version == 1);
  (void)log.publish(event("a"));
  CameraStatus lost;
  lost.state = CameraState::kDisconnected;
  lost.last_error = "no frame";
  CHECK(log.publish_status(lost).version == 2);
  CHECK(log.last_seq() == 1);  // scan seqs stay gap-free
  CHECK(log.status().state == CameraState::kDisconnected);

  auto all = log.wait_events(0, 0, past());
  REQUIRE(all.statuses.size() == 2);
  CHECK(all.statuses[0].state == CameraState::kRunning);
  CHECK(all.statuses[1].last_error == "no frame");
  REQUIRE(all.scans.size() == 1);
  CHECK(log.wait_events(1, 2, past()).statuses.empty());

  // A waiter for statuses only wakes on the next status.
  std::vector<CameraStatus> got;
  std::thread reader([&] { got = log.wait_events(1, 2, soon()).statuses; });
  CameraStatus back;
  back.state = CameraState::kRunning;
  (void)log.publish_status(back);
  reader.join();
  REQUIRE(got.size() == 1);
  CHECK(got[0].version == 3);
}
