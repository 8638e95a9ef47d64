#include "checkout/peer_links.h"

#include <spdlog/spdlog.h>

#include "common/rpc.h"

namespace kiosk::checkout {
namespace {

std::chrono::system_clock::time_point deadline(std::chrono::milliseconds d) {
  return std::chrono::system_clock::now() + d;
}

bool final_outcome(v1::PaymentOutcome o) {
  return o != v1::PAYMENT_OUTCOME_IN_PROGRESS && o != v1::PAYMENT_OUTCOME_UNSPECIFIED;
}

}  // namespace

PeerLinks::PeerLinks(LaneCore& core, PeerSockets sockets, Options options)
    : core_(core), sockets_(std::move(sockets)), options_(std::move(options)) {
  catalog_ = v1::Catalog::NewStub(make_unix_channel(sockets_.catalog));
  lookups_ = std::make_unique<catalog::LookupClient>(
      make_unix_channel(sockets_.catalog),
      catalog::LookupClient::Options{.deadline = options_.lookup_deadline,
                                     .reopen_backoff = options_.reconnect_backoff});
  vision_ = v1::Vision::NewStub(make_unix_channel(sockets_.vision));
  scale_ = v1::Scale::NewStub(make_unix_channel(sockets_.scale));
  payment_ = v1::Payment::NewStub(make_unix_channel(sockets_.payment));
  core_.set_effect_sink([this](const std::vector<Effect>& fx) { perform(fx); });
}

PeerLinks::~PeerLinks() {
  core_.set_effect_sink(nullptr);
  stop();
}

void PeerLinks::start() {
  if (auto pay = core_.pending_payment()) {
    spdlog::info("resuming payment {} after a restart", pay->idempotency_key);
    std::lock_guard lock(mu_);
    payments_.emplace_back(*pay, true);
  }
  threads_.emplace_back([this] { vision_loop(); });
  threads_.emplace_back([this] { scale_loop(); });
  threads_.emplace_back([this] { effects_loop(); });
  threads_.emplace_back([this] { payment_loop(); });
  threads_.emplace_back([this] { prompt_loop(); });
  threads_.emplace_back([this] { pricing_loop(); });
  threads_.emplace_back([this] { stock_loop(); });
  threads_.emplace_back([this] { weigh_loop(); });
}

void PeerLinks::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  vision_call_.cancel();
  scale_call_.cancel();
  pay_call_.cancel();
  prompt_call_.cancel();
  price_call_.cancel();
  stock_call_.cancel();
  weigh_call_.cancel();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

bool PeerLinks::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [&] { return stopping_.load(); });
  return !stopping_.load();
}

void PeerLinks::perform(const std::vector<Effect>& effects) {
  {
    std::lock_guard lock(mu_);
    for (const auto& e : effects) {
      if (e.kind == Effect::Kind::kPaymentPay) {
        payments_.emplace_back(e, false);
      } else if (e.kind == Effect::Kind::kCatalogPriceBasket) {
        price_wake_ = true;  // the worker asks the core what to price: only the latest basket counts
      } else if (e.kind == Effect::Kind::kCatalogRecordSale) {
        stock_wake_ = true;  // the worker reads the journal's stock queue
      } else if (e.kind == Effect::Kind::kScaleWeighProduce) {
        weigh_wake_ = true;  // the worker reads Session.weighing
      } else {
        effects_.push_back(e);
      }
    }
  }
  cv_.notify_all();
}

void PeerLinks::apply(const Result<Outcome>& r, std::string_view what) {
  // The effects are already queued through the core's effect sink.
  if (!r) spdlog::debug("{}: {}", what, r.message());
}

Result<ScannedItem> PeerLinks::lookup(const std::string& code) {
  auto found = lookups_->lookup(code);
  if (!found) return found.error();
  v1::LookupResponse& resp = *found;
  ScannedItem item;
  item.product = std::move(*resp.mutable_product());
  item.code = code;
  if (resp.has_embedded_price_ore()) item.embedded_price_ore = resp.embedded_price_ore();
  if (resp.has_embedded_weight_mg()) item.embedded_weight_mg = resp.embedded_weight_mg();
  return item;
}

void PeerLinks::handle_scan(const v1::ScanEvent& ev, ScanSource source) {
  const std::string code = ev.gtin14().empty() ? ev.text() : ev.gtin14();
  // Only camera scans advance the vision sequence used to resubscribe after a restart; a scanner-scale's
  // scans (Magellan S08) are numbered by the scale's driver and are not replayed.
  const bool camera = source == ScanSource::kCamera;
  const auto note_seq = [&] {
    if (camera) (void)core_.record_vision_seq(ev.seq());
  };
  // A loyalty card is no product: it never goes to the catalog, and its number is never logged.
  if (core_.is_member_card(code)) {
    auto r = core_.on_member_card(code, camera ? ev.seq() : 0);
    if (!r) {
      spdlog::info("loyalty card ignored: {}", r.message());
      note_seq();
    }
    return;
  }
  if (auto ok = core_.can_add_items(); !ok) {
    spdlog::info("scan {} ignored: {}", code, ok.message());
    note_seq();
    return;
  }
  auto item = lookup(code);
  if (item && camera) item->scan_seq = ev.seq();
  if (!item) {
    note_seq();
    spdlog::warn("scan {}: {}", code, item.message());
    const bool missing = item.error().code == ErrorCode::kNotFound || item.error().code == ErrorCode::kInvalidArgument;
    apply(core_.on_scan_failed(code, missing ? "item_not_found" : "lookup_failed"), "scan failure");
    return;
  }
  auto r = core_.on_scan(*item);
  if (!r) {
    spdlog::warn("scan {} not added: {}", code, r.message());
    note_seq();
    apply(core_.on_scan_failed(code, "item_not_added"), "scan not added");
    return;
  }
  spdlog::info("scan {} → line {} (revision {})", code, r->session.last_line_no(), r->session.revision());
}

void PeerLinks::vision_loop() {
  // Resubscribe after the last scan handled (journaled), so scans made while checkoutd restarted are
  // delivered once. Vision sends only later events; a restarted visiond sends its new ones.
  std::uint64_t last_seq = core_.vision_seq();
  bool was_up = true;
  while (!stopping_) {
    grpc::ClientContext ctx;
    vision_call_.set(&ctx);
    v1::ScansRequest req;
    req.set_after_seq(last_seq);
    auto reader = vision_->Scans(&ctx, req);
    v1::ScanEvent ev;
    while (reader->Read(&ev)) {
      if (!was_up) spdlog::info("vision: connected");
      was_up = true;
      last_seq = ev.seq();
      handle_scan(ev, ScanSource::kCamera);
    }
    const auto st = reader->Finish();
    vision_call_.set(nullptr);
    if (was_up && !stopping_) spdlog::warn("vision: stream ended ({}); reconnecting", st.error_message());
    was_up = false;
    if (!pause(options_.reconnect_backoff)) break;
  }
}

void PeerLinks::handle_scale_event(const v1::ScaleEvent& ev) {
  switch (ev.event_case()) {
    case v1::ScaleEvent::kVerdict:
      apply(core_.on_verdict(ev.verdict()), "verdict");
      break;
    case v1::ScaleEvent::kAlert:
      apply(core_.on_alert(ev.alert()), "alert");
      break;
    case v1::ScaleEvent::kScan:
      // A scanner-scale's barcode reader: the same as a camera scan for the shopper.
      handle_scan(ev.scan(), ScanSource::kScannerScale);
      break;
    case v1::ScaleEvent::kStatus:
      spdlog::info("scale status {} {}", v1::ScaleStatus::State_Name(ev.status().state()), ev.status().detail());
      break;
    default:
      break;
  }
}

void PeerLinks::scale_loop() {
  bool was_up = true;
  while (!stopping_) {
    grpc::ClientContext ctx;
    scale_call_.set(&ctx);
    auto reader = scale_->Watch(&ctx, v1::ScaleWatchRequest());
    v1::ScaleEvent ev;
    bool first = true;
    while (reader->Read(&ev)) {
      if (first) {
        // (Re)connected: the scale may have missed expectations while it was away; they are idempotent.
        if (!was_up) spdlog::info("scale: connected");
        was_up = true;
        first = false;
        core_.resend_expectations();
      }
      handle_scale_event(ev);
    }
    const auto st = reader->Finish();
    scale_call_.set(nullptr);
    if (was_up && !stopping_) spdlog::warn("scale: stream ended ({}); reconnecting", st.error_message());
    was_up = false;
    if (!pause(options_.reconnect_backoff)) break;
  }
}

Status PeerLinks::perform_now(const Effect& e) {
  grpc::ClientContext ctx;
  ctx.set_deadline(deadline(options_.call_deadline));
  grpc::Status st;
  switch (e.kind) {
    case Effect::Kind::kScaleBeginSession: {
      v1::BeginScaleSessionRequest req;
      req.set_session_id(e.session_id);
      v1::ScaleSessionResponse resp;
      st = scale_->BeginSession(&ctx, req, &resp);
      break;
    }
    case Effect::Kind::kScaleEndSession: {
      v1::EndScaleSessionRequest req;
      req.set_session_id(e.session_id);
      v1::ScaleSessionResponse resp;
      st = scale_->EndSession(&ctx, req, &resp);
      break;
    }
    case Effect::Kind::kScaleExpectItem:
    case Effect::Kind::kScaleExpectRemoval: {
      v1::ExpectItemRequest req;
      req.set_expectation_id(e.expectation_id);
      req.set_gtin14(e.gtin14);
      req.set_expected_mg(e.expected_mg);
      req.set_spread_mg(e.spread_mg);
      req.set_no_weigh(e.no_weigh);
      v1::ExpectItemResponse resp;
      st = e.kind == Effect::Kind::kScaleExpectItem ? scale_->ExpectItem(&ctx, req, &resp)
                                                    : scale_->ExpectRemoval(&ctx, req, &resp);
      break;
    }
    case Effect::Kind::kScaleResolveAlert: {
      v1::ResolveAlertRequest req;
      req.set_alert_id(e.alert_id);
      req.set_decision(e.decision);
      req.set_attendant_id(e.attendant_id);
      v1::ResolveAlertResponse resp;
      st = scale_->ResolveAlert(&ctx, req, &resp);
      break;
    }
    case Effect::Kind::kPaymentAbort: {
      v1::AbortRequest req;
      req.set_idempotency_key(e.idempotency_key);
      v1::AbortResponse resp;
      st = payment_->Abort(&ctx, req, &resp);
      break;
    }
    case Effect::Kind::kPaymentPay:
      return internal_error("Pay belongs to the payment worker");
    case Effect::Kind::kCatalogPriceBasket:
    case Effect::Kind::kCatalogRecordSale:
    case Effect::Kind::kScaleWeighProduce:
      return internal_error("pricing, stock and weighing have their own workers");
  }
  if (!st.ok()) return from_grpc_status(st, "peer call");
  return Status::ok();
}

void PeerLinks::effects_loop() {
  constexpr int kAttempts = 5;
  while (true) {
    Effect e;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.tick_period, [&] { return stopping_.load() || !effects_.empty(); });
      if (stopping_) return;
      if (effects_.empty()) {
        lock.unlock();
        apply(core_.tick(), "tick");
        continue;
      }
      e = std::move(effects_.front());
      effects_.pop_front();
    }
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      const Status st = perform_now(e);
      if (st) break;
      // Only an unreachable peer is worth retrying; a refusal will not change.
      const bool retry = st.error().code == ErrorCode::kUnavailable || st.error().code == ErrorCode::kDeadlineExceeded;
      spdlog::warn("effect {} ({}{}) failed (attempt {}): {}", static_cast<int>(e.kind), e.expectation_id, e.alert_id,
                   attempt, st.message());
      if (!retry || !pause(options_.reconnect_backoff * attempt)) break;
    }
  }
}

void PeerLinks::payment_loop() {
  while (true) {
    std::pair<Effect, bool> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_.load() || !payments_.empty(); });
      if (stopping_) return;
      job = std::move(payments_.front());
      payments_.pop_front();
    }
    settle_payment(job.first, job.second);
  }
}

void PeerLinks::settle_payment(const Effect& pay, bool recover) {
  const std::string& key = pay.idempotency_key;
  while (!stopping_) {
    const auto s = core_.session();
    if (s.state() != v1::SESSION_STATE_PAYING || s.payment().idempotency_key() != key) return;  // settled
    v1::PaymentResult result;
    grpc::Status st;
    if (recover) {
      // After a restart or a lost call: the recorded outcome first, never a new key.
      grpc::ClientContext ctx;
      ctx.set_deadline(deadline(options_.call_deadline));
      v1::GetPaymentRequest req;
      req.set_idempotency_key(key);
      st = payment_->GetPayment(&ctx, req, &result);
      if (st.ok() && final_outcome(result.outcome())) {
        deliver_outcome(result);
        continue;
      }
      if (!st.ok() && st.error_code() != grpc::StatusCode::NOT_FOUND) {
        spdlog::warn("payment {}: GetPayment: {}; retrying", key, st.error_message());
        if (!pause(options_.reconnect_backoff * 4)) return;
        continue;
      }
    }
    {
      grpc::ClientContext ctx;
      ctx.set_deadline(deadline(options_.pay_deadline));
      pay_call_.set(&ctx);
      v1::PayRequest req;
      req.set_idempotency_key(key);
      req.set_amount_ore(pay.amount_ore);
      req.set_currency(options_.currency);
      req.set_sale_reference(pay.session_id);
      spdlog::info("payment {}: Pay {} öre", key, pay.amount_ore);
      st = payment_->Pay(&ctx, req, &result);
      pay_call_.set(nullptr);
    }
    if (st.ok() && final_outcome(result.outcome())) {
      spdlog::info("payment {}: {}", key, v1::PaymentOutcome_Name(result.outcome()));
      deliver_outcome(result);
      continue;
    }
    if (!st.ok() && (st.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                     st.error_code() == grpc::StatusCode::FAILED_PRECONDITION)) {
      // paymentd refused the request itself: nothing was charged; the attendant sees why.
      result.Clear();
      result.set_idempotency_key(key);
      result.set_outcome(v1::PAYMENT_OUTCOME_FAILED);
      result.set_refusal_reason(st.error_message());
      apply(core_.on_payment(result), "payment refused");
      continue;
    }
    spdlog::warn("payment {}: outcome not known yet ({}); asking again with the same key", key,
                 st.ok() ? "in progress" : st.error_message());
    recover = true;
    if (!pause(options_.reconnect_backoff * 4)) return;
  }
}

}  // namespace kiosk::checkout

namespace kiosk::checkout {

void PeerLinks::deliver_outcome(const v1::PaymentResult& result) {
  auto r = core_.on_payment(result);
  if (r || result.outcome() != v1::PAYMENT_OUTCOME_APPROVED) {
    apply(r, "payment outcome");
    return;
  }
  // Approved, but no sale came of it (the approval does not match the basket, or the sale could not
  // be journaled): the shopper must not pay for nothing.
  const auto s = core_.session();
  if (s.state() != v1::SESSION_STATE_PAYING || s.payment().idempotency_key() != result.idempotency_key()) return;
  spdlog::error("payment {}: approved but the sale cannot complete ({}); reversing it", result.idempotency_key(),
                r.message());
  reverse_unsold(result.idempotency_key(), r.message());
}

void PeerLinks::reverse_unsold(const std::string& key, const std::string& why) {
  std::string last_error;
  for (int attempt = 1; attempt <= options_.reverse_attempts && !stopping_; ++attempt) {
    grpc::ClientContext ctx;
    ctx.set_deadline(deadline(options_.reverse_deadline));
    pay_call_.set(&ctx);
    v1::ReverseRequest req;
    req.set_idempotency_key(key);
    req.set_reason("Malfunction");
    v1::PaymentResult out;
    const auto st = payment_->Reverse(&ctx, req, &out);
    pay_call_.set(nullptr);
    if (st.ok() && out.outcome() == v1::PAYMENT_OUTCOME_REVERSED) {
      spdlog::info("payment {}: reversed ({})", key, why);
      apply(core_.on_payment(out), "payment reversed");
      return;
    }
    last_error = st.ok() ? "the payment is " + v1::PaymentOutcome_Name(out.outcome()) : st.error_message();
    spdlog::warn("payment {}: reversal attempt {} failed: {}", key, attempt, last_error);
    // The terminal refused: asking again will not change its mind.
    if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION) break;
    if (attempt < options_.reverse_attempts && !pause(options_.reconnect_backoff * attempt)) return;
  }
  if (stopping_) return;  // resumed after the restart: the approval is found again and reversed
  spdlog::critical("payment {}: approved, sale not completed, reversal failed ({}): calling the attendant", key,
                   last_error);
  apply(core_.on_reversal_failed(key, last_error), "reversal failed");
}

void PeerLinks::prompt_loop() {
  while (!stopping_) {
    grpc::ClientContext ctx;
    prompt_call_.set(&ctx);
    auto reader = payment_->WatchPrompts(&ctx, v1::WatchPromptsRequest());
    v1::TerminalPrompt p;
    while (reader->Read(&p)) {
      auto r = core_.on_payment_prompt(p.idempotency_key(), p.kind(), p.text());
      if (r) spdlog::info("payment {}: terminal prompt {}", p.idempotency_key(), r->session.payment().prompt());
    }
    (void)reader->Finish();
    prompt_call_.set(nullptr);
    if (!pause(options_.reconnect_backoff)) break;
  }
}

}  // namespace kiosk::checkout

namespace kiosk::checkout {

bool PeerLinks::wait_flag(bool& flag, std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [&] { return stopping_.load() || flag; });
  flag = false;
  return !stopping_.load();
}

Status PeerLinks::price(const PricingRequest& q, std::chrono::milliseconds deadline_after) {
  v1::PriceBasketResponse resp;
  grpc::Status st;
  if (q.request.lines_size() == 0) {
    resp.set_catalog_version(0);  // nothing to price (every line removed or label-priced)
  } else {
    grpc::ClientContext ctx;
    ctx.set_deadline(deadline(deadline_after));
    price_call_.set(&ctx);
    st = catalog_->PriceBasket(&ctx, q.request, &resp);
    price_call_.set(nullptr);
  }
  if (!st.ok()) return from_grpc_status(st, "catalog PriceBasket");
  auto r = core_.on_pricing(q, resp);
  if (!r) return r.error();
  if (resp.total_discount_ore() > 0) {
    spdlog::info("basket {} change {}: {} öre of promotions (catalog version {})", q.session_id, q.basket_change,
                 resp.total_discount_ore(), resp.catalog_version());
  }
  return Status::ok();
}

void PeerLinks::reprice_now() {
  auto q = core_.pricing_request();
  if (!q) return;
  if (auto st = price(*q, options_.lookup_deadline); !st) {
    spdlog::warn("pricing before payment: {}; paying with the discounts held ({} öre)", st.message(),
                 core_.session().totals().discount_ore());
  }
}

void PeerLinks::pricing_loop() {
  auto backoff = options_.reconnect_backoff;
  bool wake = true;  // a restart may have left the basket unpriced
  while (!stopping_) {
    if (!wake && !wait_flag(price_wake_, options_.tick_period)) return;
    wake = false;
    auto q = core_.pricing_request();
    if (!q) continue;
    const Status st = price(*q, options_.lookup_deadline);
    if (st) {
      backoff = options_.reconnect_backoff;
      continue;
    }
    if (st.error().code == ErrorCode::kFailedPrecondition) {
      wake = true;  // the basket changed meanwhile: price the new one
      continue;
    }
    spdlog::warn("promotions for basket {}: {}; retrying in {} ms", q->session_id, st.message(), backoff.count());
    // A basket change asks again at once (the catalog may be back); otherwise after the backoff.
    if (!wait_flag(price_wake_, backoff)) return;
    backoff = std::min(backoff * 2, options_.stock_backoff_max);
    wake = true;
  }
}

void PeerLinks::stock_loop() {
  auto backoff = options_.reconnect_backoff;
  while (!stopping_) {
    auto pending = core_.pending_stock(32);
    if (!pending) {
      spdlog::error("stock queue: {}", pending.message());
      if (!pause(backoff)) return;
      continue;
    }
    if (pending->empty()) {
      if (!wait_flag(stock_wake_, options_.tick_period * 10)) return;
      continue;
    }
    bool away = false;
    for (const auto& rec : *pending) {
      grpc::ClientContext ctx;
      ctx.set_deadline(deadline(options_.call_deadline));
      stock_call_.set(&ctx);
      v1::RecordSaleResponse resp;
      const auto st = catalog_->RecordSale(&ctx, rec.request, &resp);
      stock_call_.set(nullptr);
      if (st.ok()) {
        std::size_t again = 0;
        for (const auto& l : resp.lines()) again += l.already_recorded() ? 1 : 0;
        spdlog::info("stock: sale {} recorded ({} lines, {} already recorded)", rec.request.receipt_number(),
                     resp.lines_size(), again);
      } else if (st.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                 st.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        // The catalog will refuse it again every time (a line recorded before with another product):
        // store IT must count that stock; the sale itself stands.
        spdlog::error("stock: the catalog refused sale {} for good: {}", rec.request.receipt_number(),
                      st.error_message());
      } else {
        if (!stopping_) {
          spdlog::warn("stock: sale {} not recorded yet ({}); retrying in {} ms", rec.request.receipt_number(),
                       st.error_message(), backoff.count());
        }
        away = true;
        break;
      }
      if (auto done = core_.stock_recorded(rec.receipt_number); !done) {
        spdlog::error("stock: sale {}: {}", rec.receipt_number, done.message());
        away = true;
        break;
      }
    }
    if (away) {
      if (!pause(backoff)) return;
      backoff = std::min(backoff * 2, options_.stock_backoff_max);
    } else {
      backoff = options_.reconnect_backoff;
    }
  }
}

void PeerLinks::weigh_loop() {
  std::string last_problem;
  while (!stopping_) {
    const auto s = core_.session();
    const std::string gtin = s.weighing().gtin14();
    // Only with nothing else on its way to the bag: the scale weighs what came since the last accepted
    // weight, and a scanned item still to be bagged would be weighed with the produce.
    const bool can_weigh =
        s.state() == v1::SESSION_STATE_SCANNING || (s.state() == v1::SESSION_STATE_NEEDS_ATTENDANT &&
                                                    s.attendant().reason() == v1::ATTENDANT_REASON_UNEXPECTED_ITEM);
    if (gtin.empty() || !can_weigh) {
      last_problem.clear();
      if (!wait_flag(weigh_wake_, options_.tick_period)) return;
      continue;
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(deadline(options_.weigh_deadline));
    weigh_call_.set(&ctx);
    v1::WeighProduceRequest req;
    req.set_gtin14(gtin);
    v1::WeighProduceResponse resp;
    const auto st = scale_->WeighProduce(&ctx, req, &resp);
    weigh_call_.set(nullptr);
    if (st.ok()) {
      auto r = core_.on_weighed(gtin, resp.net_weight_mg());
      if (r) {
        spdlog::info("weighed {}: {} mg (gross {} mg, tare {} mg, e {} mg) → line {}", gtin, resp.net_weight_mg(),
                     resp.gross_mg(), resp.tare_mg(), resp.interval_mg(), r->session.last_line_no());
      } else {
        spdlog::info("weighed {}: {}", gtin, r.message());
        if (!pause(options_.weigh_retry)) return;
      }
      continue;
    }
    // Not stable yet, below the minimum load (nothing put down yet), or the scale away: the shopper
    // reads "place_on_scale" meanwhile; ask again.
    if (st.error_message() != last_problem) {
      spdlog::info("weighing {}: {}", gtin, st.error_message());
      last_problem = st.error_message();
    }
    const bool away = st.error_code() != grpc::StatusCode::FAILED_PRECONDITION;
    if (!pause(away ? options_.reconnect_backoff : options_.weigh_retry)) return;
  }
}

}  // namespace kiosk::checkout
