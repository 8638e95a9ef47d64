#pragma once
// A scripted shopper: watches the lane's session over gRPC like the kiosk UI does, puts each scanned
// item on the simulated bagging scale (its real weight, through scale-sim's control socket), taps Pay
// and takes the receipt. The demo and the end-to-end tests use it to drive the real processes.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "appliance.h"
#include "kiosk/v1/checkout.grpc.pb.h"

namespace kiosk::demo {

class ScriptedShopper {
 public:
  explicit ScriptedShopper(Appliance& appliance);
  ~ScriptedShopper();

  // The latest session snapshot the lane published.
  v1::Session session();
  // Waits until `pred` holds for a published snapshot; returns it, or an error after `timeout`
  // that shows the last snapshot seen.
  Result<v1::Session> wait_for(const std::function<bool(const v1::Session&)>& pred, std::chrono::milliseconds timeout,
                               const std::string& what);
  // Puts every scanned item in the bagging area as the lane asks for it, until the basket holds
  // `lines` bagged lines and the lane is back in SCANNING.
  Result<v1::Session> scan_and_bag(std::size_t lines, std::chrono::milliseconds timeout);
  // One intent, as the UI sends it.
  Result<v1::Session> act(v1::ActRequest request);
  // Taps Pay and waits for the terminal's verdict: RECEIPT when approved, SCANNING when not.
  Result<v1::Session> pay(std::chrono::milliseconds timeout);
  // Takes the receipt (no print) and waits for the lane to be idle again.
  Result<v1::Session> finish(std::chrono::milliseconds timeout);

  v1::Checkout::Stub& stub() { return *stub_; }

 private:
  void watch_loop();
  Status bag_pending(const v1::Session& s);

  Appliance& appliance_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Checkout::Stub> stub_;
  std::mutex mu_;
  std::condition_variable cv_;
  v1::Session latest_;
  bool stopping_ = false;
  grpc::ClientContext* watch_ctx_ = nullptr;
  std::set<std::string> placed_;  // "<session>/<line_no>" already put on the scale
  std::uint64_t request_seq_ = 0;
  std::thread watcher_;
};

}  // namespace kiosk::demo
