#pragma once
// checkoutd's connections to its peers. Threads with reconnect loops subscribe to Vision.Scans and
// Scale.Watch and feed the LaneCore; an effects worker performs scale/payment calls in order; a
// payment worker runs Payment.Pay off the state machine (retrying with the SAME idempotency key until
// the outcome is known); a pricing worker asks Catalog.PriceBasket after each basket change; a stock
// worker reports journaled sales with Catalog.RecordSale until the catalog answers; a weighing worker
// asks Scale.WeighProduce while the session waits for a per-kg item. A peer that is down is retried;
// it never blocks or crashes checkoutd.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catalog/lookup_client.h"
#include "checkout/lane_core.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "kiosk/v1/payment.grpc.pb.h"
#include "kiosk/v1/scale.grpc.pb.h"
#include "kiosk/v1/vision.grpc.pb.h"

namespace kiosk::checkout {

struct PeerSockets {
  std::filesystem::path catalog, vision, scale, payment;
};

class PeerLinks {
 public:
  struct Options {
    std::chrono::milliseconds lookup_deadline{2000};
    std::chrono::milliseconds call_deadline{3000};    // scale calls, GetPayment, Abort
    std::chrono::milliseconds pay_deadline{180'000};  // longer than the terminal's own timeout
    std::chrono::milliseconds reconnect_backoff{500};
    std::chrono::milliseconds tick_period{1000};         // LaneCore::tick (receipt timeout)
    std::chrono::milliseconds reverse_deadline{60'000};  // one Payment.Reverse (a terminal exchange)
    int reverse_attempts = 3;                            // before the attendant is called about an approval that stands
    std::string currency = "SEK";
    std::chrono::milliseconds stock_backoff_max{30'000};  // RecordSale retries back off from reconnect_backoff to this
    std::chrono::milliseconds weigh_retry{250};  // between WeighProduce calls while nothing weighable is on the scale
    std::chrono::milliseconds weigh_deadline{6000};  // one WeighProduce (the scale waits up to 3 s to settle)
  };
  // Registers itself as `core`'s effect sink; must be destroyed before the core.
  PeerLinks(LaneCore& core, PeerSockets sockets, Options options);
  ~PeerLinks();
  PeerLinks(const PeerLinks&) = delete;
  PeerLinks& operator=(const PeerLinks&) = delete;

  // Starts the threads; resumes a payment that was in flight when checkoutd stopped.
  void start();
  // Stops every thread promptly (cancels calls in flight). Idempotent.
  void stop();

  // Queues effects (scale calls in order; Pay on the payment worker). Registered as the core's effect
  // sink, so every commit's effects arrive here in commit order.
  void perform(const std::vector<Effect>& effects);
  // The catalog's product for a scanned or typed code: on the lookup stream kept open to catalogd
  // (Catalog.LookupStream; Lookup when no stream opens), within lookup_deadline.
  Result<ScannedItem> lookup(const std::string& code);
  // How lookups went (on the stream, unary, streams opened): for tests and diagnostics.
  catalog::LookupClient::Counts lookup_counts() const { return lookups_->counts(); }
  // Before paying: asks the catalog for the promotions of the basket as it is now, if they are not up
  // to date yet, and hands them to the core. When the catalog does not answer within lookup_deadline
  // the sale goes on with the discounts the core holds (see Session.priced_change).
  void reprice_now();

 private:
  // A call in flight that stop() can cancel.
  class CancelSlot {
   public:
    // A context set after cancel() is cancelled at once (gRPC cancels it when the call starts).
    void set(grpc::ClientContext* c) {
      std::lock_guard l(mu_);
      ctx_ = c;
      if (ctx_ && cancelled_) ctx_->TryCancel();
    }
    void cancel() {
      std::lock_guard l(mu_);
      cancelled_ = true;
      if (ctx_) ctx_->TryCancel();
    }

   private:
    std::mutex mu_;
    grpc::ClientContext* ctx_ = nullptr;
    bool cancelled_ = false;
  };

  void vision_loop();
  void scale_loop();
  void effects_loop();
  void payment_loop();
  // Mirrors Payment.WatchPrompts onto the session while it is paying (the core ignores the rest).
  void prompt_loop();
  // Catalog.PriceBasket after every basket change (retried while the catalog is away).
  void pricing_loop();
  // Catalog.RecordSale for every journaled sale until the catalog answers; backs off while it is away.
  void stock_loop();
  // Scale.WeighProduce while the session waits for a per-kg item on the scale.
  void weigh_loop();
  // One PriceBasket call and its delivery to the core.
  Status price(const PricingRequest& q, std::chrono::milliseconds deadline_after);
  // Waits until `flag` is set (and clears it), `d` passes or stop(); false once stopping.
  bool wait_flag(bool& flag, std::chrono::milliseconds d);
  enum class ScanSource { kCamera, kScannerScale };
  void handle_scan(const v1::ScanEvent& ev, ScanSource source);
  void handle_scale_event(const v1::ScaleEvent& ev);
  // Pays (or recovers) one payment key until the core has its final outcome.
  void settle_payment(const Effect& pay, bool recover);
  // Hands a final outcome to the core; an approval the core cannot turn into a sale is reversed.
  void deliver_outcome(const v1::PaymentResult& result);
  // Reverses an approved payment whose sale could not complete (reason Malfunction); when that
  // fails, the core calls the attendant.
  void reverse_unsold(const std::string& key, const std::string& why);
  Status perform_now(const Effect& e);
  void apply(const Result<Outcome>& r, std::string_view what);
  // Waits `d` or until stop(); false once stopping.
  bool pause(std::chrono::milliseconds d);

  LaneCore& core_;
  PeerSockets sockets_;
  Options options_;
  std::unique_ptr<v1::Catalog::Stub> catalog_;
  std::unique_ptr<catalog::LookupClient> lookups_;
  std::unique_ptr<v1::Vision::Stub> vision_;
  std::unique_ptr<v1::Scale::Stub> scale_;
  std::unique_ptr<v1::Payment::Stub> payment_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  std::deque<Effect> effects_;
  std::deque<std::pair<Effect, bool>> payments_;                       // (Pay effect, recover first)
  bool price_wake_ = false, stock_wake_ = false, weigh_wake_ = false;  // under mu_
  CancelSlot vision_call_, scale_call_, pay_call_, prompt_call_, price_call_, stock_call_, weigh_call_;
  std::vector<std::thread> threads_;
};

}  // namespace kiosk::checkout
