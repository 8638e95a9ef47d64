#include "scale_engine.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <cstdlib>

namespace kiosk::scale {
namespace {
constexpr std::size_t kMaxQueued = 1000;  // a stuck watcher loses its oldest events, not our memory
}

Subscription::~Subscription() {
  engine_.unsubscribe(this);
}

std::optional<ScaleEvent> Subscription::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return closed_ || !queue_.empty(); });
  if (queue_.empty()) return std::nullopt;
  ScaleEvent e = std::move(queue_.front());
  queue_.pop_front();
  return e;
}

std::optional<ScaleEvent> Subscription::try_next() {
  std::lock_guard lock(mu_);
  if (queue_.empty()) return std::nullopt;
  ScaleEvent e = std::move(queue_.front());
  queue_.pop_front();
  return e;
}

bool Subscription::closed() {
  std::lock_guard lock(mu_);
  return closed_ && queue_.empty();
}

void Subscription::push(const ScaleEvent& e) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= kMaxQueued) queue_.pop_front();
    queue_.push_back(e);
  }
  cv_.notify_all();
}

void Subscription::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

ScaleEngine::ScaleEngine(ScaleDevice& device, const Clock& clock, EngineOptions options, WeightLearner* learner,
                         AlertLog* log)
    : device_(device),
      clock_(clock),
      options_(options),
      log_(log),
      detector_({options.interval_mg, options.stable}),
      zero_(options.zero_tracking),
      verifier_(clock, options.verifier, learner) {}

ScaleEngine::~ScaleEngine() {
  stop();
}

void ScaleEngine::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void ScaleEngine::stop() {
  {
    std::lock_guard lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(subs_mu_);
  for (auto* s : subs_) s->close();
}

void ScaleEngine::run() {
  std::unique_lock lock(stop_mu_);
  while (!stopping_) {
    lock.unlock();
    poll_once();
    lock.lock();
    stop_cv_.wait_for(lock, options_.poll, [&] { return stopping_; });
  }
}

void ScaleEngine::publish(const ScaleEvent& e) {
  std::lock_guard lock(subs_mu_);
  for (auto* s : subs_) s->push(e);
}

void ScaleEngine::record(AlertRecord r) {
  if (!log_) return;
  r.at_unix_ms = clock_.now_unix_ms();
  r.session_id = verifier_.session_id();
  if (auto s = log_->append(std::move(r)); !s) spdlog::error("alert log: {}", s.message());
}

void ScaleEngine::flush_verifier() {
  for (auto& e : verifier_.take_events()) {
    if (const auto* a = std::get_if<Alert>(&e)) {
      AlertRecord r;
      r.event = a->open ? AlertRecord::Event::kRaised : AlertRecord::Event::kClosed;
      r.alert = *a;
      r.detail = a->detail;
      record(std::move(r));
    }
    std::visit([&](auto& v) { publish(v); }, e);
  }
}

void ScaleEngine::poll_once() {
  DeviceStatus st;
  std::vector<ScannerScan> scans;
  Result<WeightSample> sample = [&] {
    std::lock_guard dl(device_mu_);
    auto w = device_.read_weight();
    st = device_.status();
    scans = device_.take_scans();
    return w;
  }();
  for (const auto& scan : scans) publish(scan);
  std::lock_guard lock(mu_);
  if (!(st == last_status_)) {
    last_status_ = st;
    publish(StatusEvent{st, device_.name(), options_.interval_mg});
    if (st.state != DeviceState::kOnline) {
      detector_.reset();
      verifier_.on_device(false, st.detail);
    } else {
      verifier_.on_device(true, st.detail);
    }
  }
  if (sample) {
    // Zero tracking corrects every reading, and follows only stable weights near zero.
    const std::int64_t weight_mg = zero_.apply(sample->weight_mg);
    const auto stable_mg = detector_.update(weight_mg, sample->device_stable, clock_.steady_now());
    zero_.update(stable_mg, clock_.now_unix_ms());
    const Reading r{weight_mg, stable_mg.has_value(), clock_.now_unix_ms()};
    verifier_.on_reading(weight_mg, stable_mg);
    last_reading_ = r;
    // Readings go out only when they say something new: a change of at least one interval, or of stability.
    if (!last_published_ || last_published_->stable != r.stable ||
        std::llabs(last_published_->weight_mg - r.weight_mg) >= options_.interval_mg) {
      last_published_ = r;
      publish(r);
    }
  }
  verifier_.tick();
  flush_verifier();
  polled_cv_.notify_all();
}

std::unique_ptr<Subscription> ScaleEngine::subscribe() {
  std::unique_ptr<Subscription> s(new Subscription(*this));
  std::lock_guard lock(mu_);
  s->push(StatusEvent{last_status_, device_.name(), options_.interval_mg});
  if (last_reading_) s->push(*last_reading_);
  for (const auto& a : verifier_.open_alerts()) s->push(a);
  std::lock_guard sl(subs_mu_);
  subs_.push_back(s.get());
  return s;
}

void ScaleEngine::unsubscribe(Subscription* s) {
  std::lock_guard lock(subs_mu_);
  subs_.remove(s);
}

StatusEvent ScaleEngine::status() const {
  std::lock_guard lock(mu_);
  return StatusEvent{last_status_, device_.name(), options_.interval_mg};
}

Result<std::int64_t> ScaleEngine::begin_session(const std::string& session_id) {
  std::lock_guard lock(mu_);
  auto r = verifier_.begin_session(session_id);
  flush_verifier();
  return r;
}

Result<std::int64_t> ScaleEngine::end_session(const std::string& session_id) {
  std::lock_guard lock(mu_);
  auto r = verifier_.end_session(session_id);
  flush_verifier();
  return r;
}

Result<std::int64_t> ScaleEngine::expect_item(const std::string& id, std::int64_t expected_mg, std::int64_t spread_mg,
                                              bool no_weigh, const std::string& gtin14) {
  std::lock_guard lock(mu_);
  auto r = verifier_.expect_item(id, expected_mg, spread_mg, no_weigh, gtin14);
  flush_verifier();
  return r;
}

Result<std::int64_t> ScaleEngine::expect_removal(const std::string& id, std::int64_t expected_mg,
                                                 std::int64_t spread_mg, const std::string& gtin14) {
  std::lock_guard lock(mu_);
  auto r = verifier_.expect_removal(id, expected_mg, spread_mg, gtin14);
  flush_verifier();
  return r;
}

Status ScaleEngine::resolve_alert(const std::string& alert_id, Decision decision, const std::string& attendant_id) {
  std::lock_guard lock(mu_);
  std::optional<Alert> before;
  for (const auto& a : verifier_.open_alerts())
    if (a.alert_id == alert_id) before = a;
  auto r = verifier_.resolve_alert(alert_id, decision, attendant_id);
  if (r && before) {
    // The decision is recorded before the closing it causes.
    AlertRecord rec;
    rec.event = AlertRecord::Event::kDecision;
    rec.alert = *before;
    rec.decision = decision;
    rec.attendant_id = attendant_id;
    rec.detail = fmt::format("{} by attendant {}", to_string(decision), attendant_id);
    record(std::move(rec));
  }
  flush_verifier();
  return r;
}

ProduceScaleState ScaleEngine::produce_state() const {
  ProduceScaleState st;
  st.online = last_status_.state == DeviceState::kOnline && last_reading_.has_value();
  st.stable_mg = detector_.stable_mg();
  st.tare_mg = verifier_.session_open() ? verifier_.baseline_mg() : 0;
  return st;
}

ProduceRules ScaleEngine::produce_rules() const {
  return ProduceRules{options_.interval_mg, options_.produce_min_load_e, options_.capacity_mg};
}

Result<ProduceWeight> ScaleEngine::weigh_produce() {
  std::lock_guard lock(mu_);
  return scale::weigh_produce(produce_rules(), produce_state());
}

Result<ProduceWeight> ScaleEngine::weigh_produce_waiting(std::chrono::milliseconds max_wait) {
  const auto deadline = std::chrono::steady_clock::now() + max_wait;
  std::unique_lock lock(mu_);
  for (;;) {
    const auto st = produce_state();
    // Only "not stable yet" may change by waiting for the next polls.
    if (!st.online || st.stable_mg || std::chrono::steady_clock::now() >= deadline)
      return scale::weigh_produce(produce_rules(), st);
    polled_cv_.wait_until(lock, deadline);
  }
}

Result<std::vector<AlertRecord>> ScaleEngine::alert_records(std::uint64_t after, std::size_t limit) const {
  if (!log_) return std::vector<AlertRecord>{};
  return log_->list(after, limit);
}

std::vector<Alert> ScaleEngine::open_alerts() const {
  std::lock_guard lock(mu_);
  return verifier_.open_alerts();
}

std::int64_t ScaleEngine::zero_offset_mg() const {
  std::lock_guard lock(mu_);
  return zero_.offset_mg();
}

Status ScaleEngine::zero() {
  {
    std::lock_guard lock(mu_);
    if (verifier_.session_open()) return failed_precondition("cannot zero the scale while a shopper session is open");
  }
  std::lock_guard dl(device_mu_);
  auto s = device_.zero();
  if (s) {
    std::lock_guard lock(mu_);
    detector_.reset();
    zero_.reset();
  }
  return s;
}

}  // namespace kiosk::scale
