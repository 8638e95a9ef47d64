#include "shopper.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/rpc.h"

namespace kiosk::demo {
namespace {
std::string describe(const v1::Session& s) {
  return fmt::format("state {} revision {} lines {} notice '{}'", v1::SessionState_Name(s.state()), s.revision(),
                     s.lines_size(), s.notice());
}
}  // namespace

ScriptedShopper::ScriptedShopper(Appliance& appliance)
    : appliance_(appliance),
      channel_(make_unix_channel(appliance.socket("checkout"))),
      stub_(v1::Checkout::NewStub(channel_)),
      watcher_([this] { watch_loop(); }) {}

ScriptedShopper::~ScriptedShopper() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (watch_ctx_ != nullptr) watch_ctx_->TryCancel();
  }
  cv_.notify_all();
  watcher_.join();
}

void ScriptedShopper::watch_loop() {
  // Reconnects whenever the stream ends (checkoutd restarted), as the kiosk UI does.
  while (true) {
    grpc::ClientContext ctx;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      watch_ctx_ = &ctx;
    }
    auto reader = stub_->Watch(&ctx, v1::WatchRequest());
    v1::Session s;
    while (reader->Read(&s)) {
      {
        std::lock_guard lock(mu_);
        latest_ = s;
      }
      cv_.notify_all();
    }
    reader->Finish();
    {
      std::unique_lock lock(mu_);
      watch_ctx_ = nullptr;
      if (stopping_) return;
      cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stopping_; });
    }
  }
}

v1::Session ScriptedShopper::session() {
  std::lock_guard lock(mu_);
  return latest_;
}

Result<v1::Session> ScriptedShopper::wait_for(const std::function<bool(const v1::Session&)>& pred,
                                              std::chrono::milliseconds timeout, const std::string& what) {
  std::unique_lock lock(mu_);
  if (cv_.wait_for(lock, timeout, [&] { return pred(latest_); })) return latest_;
  return Error{ErrorCode::kDeadlineExceeded,
               fmt::format("timed out waiting for {}; last seen: {}", what, describe(latest_))};
}

Status ScriptedShopper::bag_pending(const v1::Session& s) {
  for (const auto& line : s.lines()) {
    const std::string key = fmt::format("{}/{}", s.session_id(), line.line_no());
    if (line.bagged() || line.voided() || line.expected_weight_mg() <= 0 || placed_.contains(key)) continue;
    auto r = appliance_.scale_command(fmt::format("place {}", line.expected_weight_mg()));
    if (!r) return r.error();
    spdlog::info("shopper: put '{}' ({} g) in the bagging area", line.name_sv(), line.expected_weight_mg() / 1000);
    placed_.insert(key);
  }
  return {};
}

Result<v1::Session> ScriptedShopper::scan_and_bag(std::size_t lines, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    // Either something new to bag, or done.
    auto s = wait_for(
        [&](const v1::Session& x) {
          if (x.state() == v1::SESSION_STATE_WAITING_FOR_BAGGING) return true;
          return x.state() == v1::SESSION_STATE_SCANNING && static_cast<std::size_t>(x.lines_size()) >= lines;
        },
        std::max(left, std::chrono::milliseconds(0)), fmt::format("{} scanned and bagged items", lines));
    if (!s) return s;
    if (s->state() == v1::SESSION_STATE_SCANNING) {
      bool all_bagged = true;
      for (const auto& l : s->lines()) all_bagged = all_bagged && (l.bagged() || l.voided());
      if (all_bagged) return s;
    }
    if (auto b = bag_pending(*s); !b) return b.error();
    // Wait for the lane to move on from this snapshot before looking again.
    const auto rev = s->revision();
    auto next = wait_for(
        [rev](const v1::Session& x) { return x.revision() > rev; },
        std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()),
                 std::chrono::milliseconds(0)),
        "the lane to react to the bagged item");
    if (!next) return next;
  }
}

Result<v1::Session> ScriptedShopper::act(v1::ActRequest request) {
  request.set_request_id(fmt::format("shopper-{}-{}", ::getpid(), ++request_seq_));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::Session out;
  const grpc::Status st = stub_->Act(&ctx, request, &out);
  if (!st.ok()) return from_grpc_status(st, "Checkout.Act");
  return out;
}

Result<v1::Session> ScriptedShopper::pay(std::chrono::milliseconds timeout) {
  v1::ActRequest req;
  req.mutable_pay();
  auto started = act(req);
  if (!started) return started;
  const auto attempt = started->payment().attempt();
  return wait_for(
      [attempt](const v1::Session& s) {
        if (s.state() == v1::SESSION_STATE_RECEIPT || s.state() == v1::SESSION_STATE_NEEDS_ATTENDANT) return true;
        // Back to scanning with this attempt's outcome: declined, aborted or failed.
        return s.state() == v1::SESSION_STATE_SCANNING && s.payment().attempt() >= attempt &&
               s.payment().outcome() != v1::PAYMENT_OUTCOME_IN_PROGRESS &&
               s.payment().outcome() != v1::PAYMENT_OUTCOME_UNSPECIFIED;
      },
      timeout, "the payment outcome");
}

Result<v1::Session> ScriptedShopper::finish(std::chrono::milliseconds timeout) {
  v1::ActRequest req;
  req.mutable_finish_receipt()->set_choice(v1::ActRequest::FinishReceipt::CHOICE_NONE);
  auto done = act(req);
  if (!done) return done;
  return wait_for([](const v1::Session& s) { return s.state() == v1::SESSION_STATE_IDLE; }, timeout,
                  "the lane to return to the welcome screen");
}

}  // namespace kiosk::demo
