#pragma once
// Scripted in-process gRPC peers of checkoutd on real Unix sockets (catalog, vision, scale, payment),
// and the lane/peer-link options the peer tests share.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "checkout/checkout_service.h"
#include "common/rpc.h"
#include "test_support.h"

namespace kiosk::checkout::test {

// A queue that a server stream drains until the call is cancelled.
template <typename T>
class Feed {
 public:
  void push(T v) {
    std::lock_guard l(mu_);
    q_.push_back(std::move(v));
    cv_.notify_all();
  }
  template <typename W>
  grpc::Status drain(grpc::ServerContext* ctx, W* writer) {
    while (!ctx->IsCancelled()) {
      std::unique_lock l(mu_);
      if (!cv_.wait_for(l, std::chrono::milliseconds(50), [&] { return !q_.empty(); })) continue;
      T v = std::move(q_.front());
      q_.pop_front();
      l.unlock();
      if (!writer->Write(v)) break;
    }
    return grpc::Status::OK;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> q_;
};

class Peers final {
 public:
  struct CatalogImpl final : v1::Catalog::Service {
    grpc::Status Lookup(grpc::ServerContext*, const v1::LookupRequest* req, v1::LookupResponse* resp) override {
      for (const auto& it : {milk(), card(), loose_bananas()}) {
        if (it.product.gtin14() == req->code() || it.product.gtin14().substr(1) == req->code() ||
            (!it.product.plu().empty() && it.product.plu() == req->code())) {
          *resp->mutable_product() = it.product;
          return grpc::Status::OK;
        }
      }
      return {grpc::StatusCode::NOT_FOUND, "no product " + req->code()};
    }
    // No promotions here (a real catalogd prices them in lane_catalog_test).
    grpc::Status PriceBasket(grpc::ServerContext*, const v1::PriceBasketRequest*,
                             v1::PriceBasketResponse* resp) override {
      resp->set_catalog_version(1);
      return grpc::Status::OK;
    }
    grpc::Status RecordSale(grpc::ServerContext*, const v1::RecordSaleRequest* req,
                            v1::RecordSaleResponse* resp) override {
      for (const auto& l : req->lines()) resp->add_lines()->set_line(l.line());
      return grpc::Status::OK;
    }
  };
  struct VisionImpl final : v1::Vision::Service {
    grpc::Status Scans(grpc::ServerContext* ctx, const v1::ScansRequest*,
                       grpc::ServerWriter<v1::ScanEvent>* w) override {
      return feed.drain(ctx, w);
    }
    Feed<v1::ScanEvent> feed;
  };
  struct ScaleImpl final : v1::Scale::Service {
    grpc::Status Watch(grpc::ServerContext* ctx, const v1::ScaleWatchRequest*,
                       grpc::ServerWriter<v1::ScaleEvent>* w) override {
      v1::ScaleEvent status;
      status.mutable_status()->set_state(v1::ScaleStatus::STATE_ONLINE);
      if (!w->Write(status)) return grpc::Status::OK;
      return feed.drain(ctx, w);
    }
    grpc::Status BeginSession(grpc::ServerContext*, const v1::BeginScaleSessionRequest* r,
                              v1::ScaleSessionResponse*) override {
      log("begin " + r->session_id());
      return grpc::Status::OK;
    }
    grpc::Status EndSession(grpc::ServerContext*, const v1::EndScaleSessionRequest* r,
                            v1::ScaleSessionResponse*) override {
      log("end " + r->session_id());
      return grpc::Status::OK;
    }
    grpc::Status ExpectItem(grpc::ServerContext*, const v1::ExpectItemRequest* r, v1::ExpectItemResponse*) override {
      log(fmt::format("expect {} {} spread {}", r->expectation_id(), r->expected_mg(), r->spread_mg()));
      return grpc::Status::OK;
    }
    // The produce weight once something stable above Min lies on the scale (set by the test).
    grpc::Status WeighProduce(grpc::ServerContext*, const v1::WeighProduceRequest* r,
                              v1::WeighProduceResponse* resp) override {
      std::lock_guard l(mu);
      ++weighings;
      if (!produce_mg) return {grpc::StatusCode::FAILED_PRECONDITION, "net weight 0 g is below the minimum load"};
      calls.push_back("weigh " + r->gtin14());
      resp->set_net_weight_mg(*produce_mg);
      resp->set_gross_mg(*produce_mg);
      resp->set_interval_mg(1000);
      return grpc::Status::OK;
    }
    void put_produce(std::int64_t mg) {
      std::lock_guard l(mu);
      produce_mg = mg;
    }
    std::optional<std::int64_t> produce_mg;
    int weighings = 0;
    void log(std::string s) {
      std::lock_guard l(mu);
      calls.push_back(std::move(s));
    }
    std::vector<std::string> seen() {
      std::lock_guard l(mu);
      return calls;
    }
    Feed<v1::ScaleEvent> feed;
    std::mutex mu;
    std::vector<std::string> calls;
  };
  // Records each key; declines amounts whose öre end in 124 (as the terminal does); holds a payment
  // while `hold` is set, leaving it IN_PROGRESS.
  struct PaymentImpl final : v1::Payment::Service {
    grpc::Status Pay(grpc::ServerContext* ctx, const v1::PayRequest* r, v1::PaymentResult* resp) override {
      std::unique_lock l(mu);
      keys.push_back(r->idempotency_key());
      cv.wait(l, [&] { return !hold || ctx->IsCancelled(); });
      if (ctx->IsCancelled()) return {grpc::StatusCode::CANCELLED, "cancelled"};
      v1::PaymentResult res;
      res.set_idempotency_key(r->idempotency_key());
      res.set_amount_ore(r->amount_ore());
      res.set_outcome(r->amount_ore() % 1000 == 124 ? v1::PAYMENT_OUTCOME_DECLINED : v1::PAYMENT_OUTCOME_APPROVED);
      if (res.outcome() == v1::PAYMENT_OUTCOME_DECLINED) res.set_refusal_reason("Refused");
      res.set_card_brand("mc");
      res.set_masked_pan("541333 **** 9999");
      res.set_poi_transaction_id("poi-" + r->idempotency_key());
      res.set_authorized_ore(r->amount_ore() - short_ore);  // short_ore > 0: a partial approval
      recorded[r->idempotency_key()] = res;
      *resp = res;
      return grpc::Status::OK;
    }
    grpc::Status GetPayment(grpc::ServerContext*, const v1::GetPaymentRequest* r, v1::PaymentResult* resp) override {
      std::lock_guard l(mu);
      get_keys.push_back(r->idempotency_key());
      auto it = recorded.find(r->idempotency_key());
      if (it == recorded.end()) return {grpc::StatusCode::NOT_FOUND, "unknown key"};
      *resp = it->second;
      return grpc::Status::OK;
    }
    grpc::Status Reverse(grpc::ServerContext*, const v1::ReverseRequest* r, v1::PaymentResult* resp) override {
      std::lock_guard l(mu);
      reversals.push_back(r->idempotency_key() + " " + r->reason());
      if (reverse_fails)
        return {grpc::StatusCode::UNAVAILABLE, "reversal of " + r->idempotency_key() + " has no answer"};
      auto it = recorded.find(r->idempotency_key());
      if (it == recorded.end()) return {grpc::StatusCode::NOT_FOUND, "unknown key"};
      it->second.set_outcome(v1::PAYMENT_OUTCOME_REVERSED);
      *resp = it->second;
      return grpc::Status::OK;
    }
    grpc::Status WatchPrompts(grpc::ServerContext* ctx, const v1::WatchPromptsRequest*,
                              grpc::ServerWriter<v1::TerminalPrompt>* w) override {
      return prompts.drain(ctx, w);
    }
    void release() {
      std::lock_guard l(mu);
      hold = false;
      cv.notify_all();
    }
    std::vector<std::string> reversals_seen() {
      std::lock_guard l(mu);
      return reversals;
    }
    Feed<v1::TerminalPrompt> prompts;
    std::int64_t short_ore = 0;
    bool reverse_fails = false;
    std::vector<std::string> reversals;
    std::mutex mu;
    std::condition_variable cv;
    bool hold = false;
    std::vector<std::string> keys, get_keys;
    std::map<std::string, v1::PaymentResult> recorded;
  };

  // Without `with_catalog` the test brings its own catalog (a real catalogd) on catalog.sock.
  explicit Peers(const std::filesystem::path& dir, bool with_catalog = true) {
    std::vector<std::pair<const char*, grpc::Service*>> services{
        {"vision", &vision}, {"scale", &scale}, {"payment", &payment}};
    if (with_catalog) services.emplace_back("catalog", &catalog);
    for (auto [name, svc] : services) {
      auto s = start_unix_server(dir / fmt::format("{}.sock", name), {svc});
      REQUIRE(s);
      servers.push_back(std::move(*s));
    }
  }
  ~Peers() {
    payment.release();
    for (auto& s : servers) s->Shutdown(std::chrono::system_clock::now());
  }

  CatalogImpl catalog;
  VisionImpl vision;
  ScaleImpl scale;
  PaymentImpl payment;
  std::vector<std::unique_ptr<grpc::Server>> servers;
};

inline PeerSockets sockets(const std::filesystem::path& d) {
  return {d / "catalog.sock", d / "vision.sock", d / "scale.sock", d / "payment.sock"};
}

inline LaneCore::Options lane_options() {
  LaneCore::Options opts;
  opts.lane = {1, "Exempelbutiken", "Storgatan 1", "556000-0000", "SEK"};
  return opts;
}

inline PeerLinks::Options peer_options() {
  PeerLinks::Options popts;
  popts.reconnect_backoff = std::chrono::milliseconds(50);
  popts.stock_backoff_max = std::chrono::milliseconds(400);
  return popts;
}

// Polls the core's real state until `pred` holds (5 s at most).
template <typename P>
bool eventually(LaneCore& core, P pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    if (pred(core.session())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred(core.session());
}

inline v1::ScanEvent scan(std::uint64_t seq, const std::string& gtin) {
  v1::ScanEvent e;
  e.set_seq(seq);
  e.set_gtin14(gtin);
  e.set_text(gtin.substr(1));
  return e;
}

inline v1::ScaleEvent accepted(const std::string& expectation) {
  v1::ScaleEvent e;
  e.mutable_verdict()->set_expectation_id(expectation);
  e.mutable_verdict()->set_kind(v1::BaggingVerdict::KIND_ACCEPTED);
  return e;
}

}  // namespace kiosk::checkout::test
