#include "checkout/lane_core.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>

#include "common/stockholm_time.h"

namespace kiosk::checkout {
namespace {

using v1::Session;
using S = v1::SessionState;

bool has_unbagged(const Session& s) {
  for (const auto& l : s.lines()) {
    if (!l.voided() && !l.bagged()) return true;
  }
  return false;
}

std::string expectation_id(const Session& s, std::uint32_t line_no) {
  return fmt::format("{}/{}", s.session_id(), line_no);
}

// "<session_id>/<line_no>" → line_no when it belongs to this session, else 0.
std::uint32_t line_of_expectation(const Session& s, const std::string& id) {
  const std::string prefix = s.session_id() + "/";
  if (s.session_id().empty() || id.rfind(prefix, 0) != 0) return 0;
  std::uint32_t n = 0;
  const char* b = id.data() + prefix.size();
  const char* e = id.data() + id.size();
  auto [p, ec] = std::from_chars(b, e, n);
  return (ec == std::errc() && p == e) ? n : 0;
}

v1::BasketLine* find_line(Session& s, std::uint32_t line_no) {
  for (auto& l : *s.mutable_lines()) {
    if (l.line_no() == line_no) return &l;
  }
  return nullptr;
}

v1::AttendantReason reason_for(v1::ScaleAlert::Kind k) {
  switch (k) {
    case v1::ScaleAlert::KIND_WEIGHT_MISMATCH:
      return v1::ATTENDANT_REASON_WEIGHT_MISMATCH;
    case v1::ScaleAlert::KIND_UNEXPECTED_ITEM:
      return v1::ATTENDANT_REASON_UNEXPECTED_ITEM;
    case v1::ScaleAlert::KIND_ITEM_REMOVED:
      return v1::ATTENDANT_REASON_ITEM_REMOVED;
    case v1::ScaleAlert::KIND_DEVICE_FAULT:
      return v1::ATTENDANT_REASON_DEVICE_FAULT;
    default:
      return v1::ATTENDANT_REASON_UNSPECIFIED;
  }
}

bool active(S s) {
  return s == v1::SESSION_STATE_SCANNING || s == v1::SESSION_STATE_WAITING_FOR_BAGGING;
}

Error refused(std::string why) {
  return failed_precondition(std::move(why));
}

}  // namespace

std::string state_name(v1::SessionState s) {
  std::string n = v1::SessionState_Name(s);
  return n.rfind("SESSION_STATE_", 0) == 0 ? n.substr(14) : n;
}

LaneCore::LaneCore(std::unique_ptr<Journal> journal, Options options, const Clock& clock,
                   AttendantDirectory* attendants)
    : journal_(std::move(journal)), options_(std::move(options)), clock_(clock), attendants_(attendants) {}

Result<std::unique_ptr<LaneCore>> LaneCore::open(const std::filesystem::path& dir, Options options, const Clock& clock,
                                                 AttendantDirectory* attendants) {
  auto j = Journal::open(dir);
  if (!j) return j.error();
  auto snap = (*j)->load();
  if (!snap) return snap.error();
  std::unique_ptr<LaneCore> core(new LaneCore(std::move(*j), std::move(options), clock, attendants));
  if (*snap) {
    core->session_ = (*snap)->session;
    core->lane_ = (*snap)->lane;
  } else {
    core->session_.set_state(v1::SESSION_STATE_IDLE);
  }
  core->session_.set_lane(core->options_.lane.lane);
  return core;
}

void LaneCore::set_observer(std::function<void(const v1::Session&)> observer) {
  std::lock_guard lock(mu_);
  observer_ = std::move(observer);
  if (observer_) observer_(session_);  // the watcher starts from the present session
}

void LaneCore::set_effect_sink(std::function<void(const std::vector<Effect>&)> sink) {
  std::lock_guard lock(mu_);
  sink_ = std::move(sink);
}

void LaneCore::resend_expectations() {
  auto fx = pending_expectations();
  std::lock_guard lock(mu_);
  // Only if no commit slipped in between: otherwise that commit's effects are already queued.
  if (sink_ && !fx.empty() && fx.front().session_id == session_.session_id()) sink_(fx);
}

v1::Session LaneCore::session() const {
  std::lock_guard lock(mu_);
  return session_;
}

Day LaneCore::today() const {
  const std::int64_t now = clock_.now_unix_ms();
  return stockholm_day_from_unix_ms(now);
}

void LaneCore::refresh(Session& s, const LaneState& lane) const {
  follow_items(*s.mutable_lines());
  apply_discounts(*s.mutable_lines(), *s.mutable_discounts());
  *s.mutable_totals() = basket_totals(s.lines());
  std::uint32_t pending = 0;
  for (const auto& l : s.lines()) {
    if (!l.voided() && l.age_limit() > 0 && l.line_no() > lane.age_approved_through) ++pending;
  }
  s.set_pending_age_checks(pending);
  s.set_lane(options_.lane.lane);
}

// Back to the shopper: WAITING_FOR_BAGGING while a line still waits for the scale, else SCANNING.
v1::Session LaneCore::open_session(LaneState& lane) const {
  const std::int64_t now = clock_.now_unix_ms();
  ++lane.session_seq;
  lane.age_approved_through = 0;
  Session next;
  next.set_revision(session_.revision());
  next.set_session_id(fmt::format("L{}-{}-{}", options_.lane.lane, now, lane.session_seq));
  next.set_started_unix_ms(now);
  next.set_state(v1::SESSION_STATE_SCANNING);
  return next;
}

void LaneCore::leave_attendant(Session& s) const {
  s.set_state(has_unbagged(s) ? v1::SESSION_STATE_WAITING_FOR_BAGGING : v1::SESSION_STATE_SCANNING);
  s.clear_attendant();
  s.set_resume_state(v1::SESSION_STATE_UNSPECIFIED);
}

Result<Outcome> LaneCore::commit(Session next, LaneState lane, std::string event, std::vector<Effect> effects,
                                 v1::Sale* sale, const std::string& request_id) {
  next.set_revision(session_.revision() + 1);
  refresh(next, lane);
  Journal::Transition t;
  t.session = &next;
  t.lane = &lane;
  t.event = std::move(event);
  t.sale = sale;
  t.request_id = request_id;
  if (auto st = journal_->commit(t); !st) return st.error();
  session_ = std::move(next);
  lane_ = lane;
  if (observer_) observer_(session_);
  if (sink_ && !effects.empty()) sink_(effects);
  return Outcome{session_, std::move(effects)};
}

Result<std::optional<v1::Session>> LaneCore::replayed(const std::string& request_id) const {
  if (request_id.empty()) return std::optional<v1::Session>();
  std::lock_guard lock(mu_);
  return journal_->find_request(request_id);
}

Status LaneCore::can_add_items() const {
  std::lock_guard lock(mu_);
  const S st = session_.state();
  if (st == v1::SESSION_STATE_IDLE || active(st)) return Status::ok();
  return refused(fmt::format("items cannot be added while the session is {}", state_name(st)));
}

Result<Outcome> LaneCore::on_scan(const ScannedItem& item) {
  std::lock_guard lock(mu_);
  return add_item(item, {}, fmt::format("scan {}", item.code));
}

Result<Outcome> LaneCore::add_item(const ScannedItem& item, const std::string& request_id, const std::string& cause) {
  const S st = session_.state();
  if (st != v1::SESSION_STATE_IDLE && !active(st)) {
    return refused(fmt::format("items cannot be added while the session is {}", state_name(st)));
  }
  ScanChange change = scan_change(item.scan_seq);
  const std::string& deposit_code = item.product.deposit_code();
  if (!deposit_code.empty() && !options_.deposits.amount(deposit_code)) {
    return refuse_unknown_deposit(std::move(change), item, request_id, cause);
  }
  auto& [next, lane, effects] = change;
  if (needs_weighing(item)) {
    // Sold per kg with no weight of its own: the shopper puts it on the scale, the lane weighs it.
    const v1::Product& p = item.product;
    const int vc = static_cast<int>(p.vat_class());
    if (vc < 1 || vc > 4) return failed_precondition(fmt::format("product {} has no VAT class", p.gtin14()));
    if (p.price_ore() < 0) return invalid_argument(fmt::format("product {} has a negative price", p.gtin14()));
    auto* w = next.mutable_weighing();
    w->Clear();
    w->set_code(item.code);
    w->set_gtin14(p.gtin14());
    w->set_name_sv(p.name_sv());
    w->set_name_en(p.name_en());
    w->set_price_per_kg_ore(p.price_ore());
    w->set_image(p.image());
    w->set_since_unix_ms(clock_.now_unix_ms());
    w->set_vat_class(p.vat_class());
    w->set_age_limit(p.age_limit());
    w->set_deposit_code(p.deposit_code());
    next.set_notice("place_on_scale");
    effects.push_back(
        {.kind = Effect::Kind::kScaleWeighProduce, .session_id = next.session_id(), .gtin14 = p.gtin14()});
    return commit(std::move(next), lane, fmt::format("{}: weigh {} on the scale", cause, p.gtin14()),
                  std::move(effects), nullptr, request_id);
  }
  auto weigh = add_line(next, item, effects);
  if (!weigh) return weigh.error();
  if (*weigh) next.set_state(v1::SESSION_STATE_WAITING_FOR_BAGGING);
  std::string event = fmt::format("{}: line {} {}", cause, next.last_line_no(), item.product.gtin14());
  return commit(std::move(next), lane, std::move(event), std::move(effects), nullptr, request_id);
}

Result<bool> LaneCore::add_line(Session& next, const ScannedItem& item, std::vector<Effect>& effects) const {
  const auto line_no = static_cast<std::uint32_t>(next.lines_size() + 1);
  auto line = price_line(item, line_no, today(), options_.vat);
  if (!line) return line.error();
  const std::string& deposit_code = item.product.deposit_code();
  std::optional<v1::BasketLine> pant;
  if (!deposit_code.empty()) {
    const auto amount = options_.deposits.amount(deposit_code);
    if (!amount) {
      return failed_precondition(fmt::format("{} ({}) has deposit code {}, which [checkout.deposits] does not list",
                                             item.product.name_sv(), item.product.gtin14(), deposit_code));
    }
    pant = deposit_line(*line, deposit_code, *amount, line_no + 1);
  }
  const bool weigh = line->expected_weight_mg() > 0 && !item.product.no_weigh();
  line->set_bagged(!weigh);  // no-weigh items are not verified by weight; they never block
  Effect expect{.kind = Effect::Kind::kScaleExpectItem,
                .session_id = next.session_id(),
                .expectation_id = expectation_id(next, line_no),
                .gtin14 = line->gtin14(),
                .expected_mg = line->expected_weight_mg(),
                .spread_mg = line->unit() == v1::SALE_UNIT_PER_KG ? 0 : item.product.weight_spread_mg(),
                .no_weigh = !weigh};
  effects.push_back(std::move(expect));
  *next.add_lines() = std::move(*line);
  if (pant) *next.add_lines() = std::move(*pant);  // right under its item; the big card shows the item
  next.set_last_line_no(line_no);
  next.set_notice(item.product.age_limit() > 0 ? "age_check_pending" : "");
  next.clear_weighing();  // another item was chosen (or this one weighed)
  basket_changed(next, false, effects);
  return weigh;
}

LaneCore::ScanChange LaneCore::scan_change(std::uint64_t scan_seq) const {
  ScanChange c{session_, lane_, {}};
  if (session_.state() == v1::SESSION_STATE_IDLE) {
    c.next = open_session(c.lane);
    c.effects.push_back({.kind = Effect::Kind::kScaleBeginSession, .session_id = c.next.session_id()});
  }
  if (scan_seq > c.lane.vision_seq) c.lane.vision_seq = scan_seq;
  return c;
}

Result<Outcome> LaneCore::refuse_unknown_deposit(ScanChange change, const ScannedItem& item,
                                                 const std::string& request_id, const std::string& cause) {
  auto& [next, lane, effects] = change;
  const v1::Product& p = item.product;
  // Selling it without its pant would undercharge the deposit (and the VAT on it): staff decide.
  const std::string detail = fmt::format(
      "{} ({}) has deposit code {}, which [checkout.deposits] does not list: not sold; add the code to "
      "the lane's config",
      p.name_sv(), p.gtin14(), p.deposit_code());
  spdlog::error("lane {}: {}", options_.lane.lane, detail);
  next.set_resume_state(next.state());
  next.set_state(v1::SESSION_STATE_NEEDS_ATTENDANT);
  auto* call = next.mutable_attendant();
  call->Clear();
  call->set_reason(v1::ATTENDANT_REASON_UNKNOWN_ITEM);
  call->set_detail(detail);
  call->set_since_unix_ms(clock_.now_unix_ms());
  next.set_notice("wait_for_attendant");
  return commit(std::move(next), lane,
                fmt::format("{}: {} not sold, deposit code {} unknown", cause, p.gtin14(), p.deposit_code()),
                std::move(effects), nullptr, request_id);
}

bool LaneCore::is_member_card(const std::string& code) const {
  return options_.member_cards.card_number(code).has_value();  // options_ never change: no lock needed
}

Result<Outcome> LaneCore::on_member_card(const std::string& code, std::uint64_t scan_seq) {
  std::lock_guard lock(mu_);
  return add_member(code, scan_seq, {});
}

Result<Outcome> LaneCore::add_member(const std::string& code, std::uint64_t scan_seq, const std::string& request_id) {
  const auto number = options_.member_cards.card_number(code);
  if (!number) return invalid_argument("the code is not a loyalty card number ([checkout] member_card_prefixes)");
  const S st = session_.state();
  if (st != v1::SESSION_STATE_IDLE && !active(st)) {
    return refused(fmt::format("a loyalty card cannot be registered while the session is {}", state_name(st)));
  }
  // Shoppers often scan their card first: it starts the session.
  auto [next, lane, effects] = scan_change(scan_seq);
  // Only the masked number and the keyed hash are kept: never the card number itself.
  *next.mutable_member() = options_.member_cards.member(*number, clock_.now_unix_ms());
  next.set_notice("member_card_registered");
  // Member prices and members-only offers: the basket is priced again (an addition: the discounts held
  // still hold, a member pays never more than a non-member).
  basket_changed(next, false, effects);
  const std::string event = fmt::format("loyalty card {} registered", next.member().masked_number());
  return commit(std::move(next), lane, event, std::move(effects), nullptr, request_id);
}

void LaneCore::basket_changed(Session& s, bool removal, std::vector<Effect>& effects) const {
  s.set_basket_change(s.basket_change() + 1);
  // Until the catalog prices the new basket the last priced discounts stand only where they surely
  // still hold: after an addition every discounted piece is still there (the new line pays the shelf
  // price); after a removal a promotion may have lost a piece it needs (buy 3 pay for 2 discounts only
  // the free piece), so every discount waits for the catalog. Never more than the shelf price.
  if (removal) s.clear_discounts();
  effects.push_back({.kind = Effect::Kind::kCatalogPriceBasket, .session_id = s.session_id()});
}

Result<Outcome> LaneCore::on_scan_failed(const std::string& code, const std::string& notice) {
  std::lock_guard lock(mu_);
  if (!active(session_.state())) {
    return refused(fmt::format("scan {} ignored while the session is {}", code, state_name(session_.state())));
  }
  Session next = session_;
  next.set_notice(notice);
  return commit(std::move(next), lane_, fmt::format("scan {} failed: {}", code, notice), {});
}

Result<Outcome> LaneCore::on_verdict(const v1::BaggingVerdict& v) {
  std::lock_guard lock(mu_);
  const S st = session_.state();
  if (!active(st) && st != v1::SESSION_STATE_NEEDS_ATTENDANT) {
    return refused(fmt::format("verdict for {} ignored while {}", v.expectation_id(), state_name(st)));
  }
  const std::uint32_t line_no = line_of_expectation(session_, v.expectation_id());
  Session next = session_;
  v1::BasketLine* line = line_no ? find_line(next, line_no) : nullptr;
  if (!line) return refused(fmt::format("verdict for {}: not a line of this session", v.expectation_id()));
  if (line->voided() || line->bagged()) {
    return refused(fmt::format("verdict for {}: line is already settled", v.expectation_id()));
  }
  const std::string kind = v1::BaggingVerdict::Kind_Name(v.kind());
  switch (v.kind()) {
    case v1::BaggingVerdict::KIND_ACCEPTED:
    case v1::BaggingVerdict::KIND_SKIPPED:
      line->set_bagged(true);
      if (st == v1::SESSION_STATE_WAITING_FOR_BAGGING && !has_unbagged(next)) {
        next.set_state(v1::SESSION_STATE_SCANNING);
      }
      if (st == v1::SESSION_STATE_NEEDS_ATTENDANT && next.attendant().line_no() == line_no &&
          next.attendant().reason() == v1::ATTENDANT_REASON_WEIGHT_MISMATCH) {
        leave_attendant(next);  // the shopper put the right item down after all
      }
      break;
    case v1::BaggingVerdict::KIND_MISMATCH:
    case v1::BaggingVerdict::KIND_NOT_PLACED: {
      if (st == v1::SESSION_STATE_NEEDS_ATTENDANT) {
        return refused(fmt::format("verdict {} for line {} while an attendant is already called", kind, line_no));
      }
      next.set_resume_state(st);
      next.set_state(v1::SESSION_STATE_NEEDS_ATTENDANT);
      auto* call = next.mutable_attendant();
      call->Clear();
      call->set_reason(v1::ATTENDANT_REASON_WEIGHT_MISMATCH);
      call->set_detail(v.kind() == v1::BaggingVerdict::KIND_MISMATCH
                           ? fmt::format("line {}: {} mg added, expected {} ± {} mg", line_no, v.measured_delta_mg(),
                                         v.expected_mg(), v.tolerance_mg())
                           : fmt::format("line {}: not placed in the bagging area", line_no));
      call->set_line_no(line_no);
      call->set_expected_mg(v.expected_mg());
      call->set_tolerance_mg(v.tolerance_mg());
      call->set_measured_delta_mg(v.measured_delta_mg());
      call->set_since_unix_ms(clock_.now_unix_ms());
      next.set_notice("wait_for_attendant");
      break;
    }
    default:
      return invalid_argument(fmt::format("verdict for {} has no kind", v.expectation_id()));
  }
  return commit(std::move(next), lane_, fmt::format("verdict {} {}", kind, v.expectation_id()), {});
}

Result<Outcome> LaneCore::on_alert(const v1::ScaleAlert& a) {
  std::lock_guard lock(mu_);
  const S st = session_.state();
  const std::string kind = v1::ScaleAlert::Kind_Name(a.kind());
  if (a.open()) {
    const auto reason = reason_for(a.kind());
    if (reason == v1::ATTENDANT_REASON_UNSPECIFIED) return invalid_argument("scale alert without a kind");
    if (st == v1::SESSION_STATE_NEEDS_ATTENDANT) {
      // A mismatch verdict already called the attendant: remember the scale's alert to resolve it later.
      const auto& call = session_.attendant();
      if (call.alert_id().empty() && call.reason() == reason &&
          (a.expectation_id().empty() || line_of_expectation(session_, a.expectation_id()) == call.line_no())) {
        Session next = session_;
        next.mutable_attendant()->set_alert_id(a.alert_id());
        return commit(std::move(next), lane_, fmt::format("alert {} {} attached", kind, a.alert_id()), {});
      }
      return refused(fmt::format("alert {} while an attendant is already called", a.alert_id()));
    }
    if (!active(st)) return refused(fmt::format("alert {} ignored while {}", a.alert_id(), state_name(st)));
    Session next = session_;
    next.set_resume_state(st);
    next.set_state(v1::SESSION_STATE_NEEDS_ATTENDANT);
    auto* call = next.mutable_attendant();
    call->Clear();
    call->set_reason(reason);
    call->set_alert_id(a.alert_id());
    call->set_line_no(line_of_expectation(session_, a.expectation_id()));
    call->set_expected_mg(a.expected_mg());
    call->set_tolerance_mg(a.tolerance_mg());
    call->set_measured_delta_mg(a.measured_delta_mg());
    call->set_since_unix_ms(clock_.now_unix_ms());
    call->set_detail(fmt::format("{}: {} mg change, expected {} ± {} mg", kind, a.measured_delta_mg(), a.expected_mg(),
                                 a.tolerance_mg()));
    next.set_notice("wait_for_attendant");
    return commit(std::move(next), lane_, fmt::format("alert {} {} opened", kind, a.alert_id()), {});
  }
  // Closed: the shopper undid the cause (or the scale resolved it).
  if (st != v1::SESSION_STATE_NEEDS_ATTENDANT || session_.attendant().alert_id() != a.alert_id() ||
      a.alert_id().empty()) {
    return refused(fmt::format("alert {} closed: not the one the session waits on", a.alert_id()));
  }
  Session next = session_;
  leave_attendant(next);
  next.set_notice("");
  return commit(std::move(next), lane_, fmt::format("alert {} {} closed by the scale", kind, a.alert_id()), {});
}

Result<Outcome> LaneCore::on_payment(const v1::PaymentResult& r) {
  std::lock_guard lock(mu_);
  if (session_.state() != v1::SESSION_STATE_PAYING || r.idempotency_key() != session_.payment().idempotency_key()) {
    return refused(fmt::format("payment {} is not the one in progress", r.idempotency_key()));
  }
  const std::string outcome = v1::PaymentOutcome_Name(r.outcome());
  Session next = session_;
  auto* pay = next.mutable_payment();
  // An attempt that ends without a sale: its outcome stays on the session, the terminal's prompt goes.
  const auto finish_attempt = [&] {
    pay->set_outcome(r.outcome());
    pay->set_refusal_reason(r.refusal_reason());
    pay->set_prompt("");
    pay->set_prompt_kind(v1::TerminalPrompt::KIND_UNSPECIFIED);
  };
  switch (r.outcome()) {
    case v1::PAYMENT_OUTCOME_APPROVED: {
      refresh(next, lane_);
      const std::int64_t total = next.totals().total_ore();
      const std::int64_t authorized = r.authorized_ore() != 0 ? r.authorized_ore() : r.amount_ore();
      if (r.amount_ore() != total || authorized != total) {
        return refused(
            fmt::format("payment {} approved {} öre of {} öre but the basket is {} öre: the sale cannot "
                        "complete",
                        r.idempotency_key(), authorized, r.amount_ore(), total));
      }
      return complete_sale(r);
    }
    case v1::PAYMENT_OUTCOME_REVERSED:
      // Approved, then reversed because the sale could not complete: nothing is charged now.
      finish_attempt();
      next.set_state(has_unbagged(next) ? v1::SESSION_STATE_WAITING_FOR_BAGGING : v1::SESSION_STATE_SCANNING);
      next.set_notice("payment_failed");
      break;
    case v1::PAYMENT_OUTCOME_IN_PROGRESS:
      return refused(fmt::format("payment {} is still in progress", r.idempotency_key()));
    case v1::PAYMENT_OUTCOME_DECLINED:
    case v1::PAYMENT_OUTCOME_ABORTED:
      finish_attempt();
      next.set_state(has_unbagged(next) ? v1::SESSION_STATE_WAITING_FOR_BAGGING : v1::SESSION_STATE_SCANNING);
      next.set_notice(r.outcome() == v1::PAYMENT_OUTCOME_DECLINED ? "payment_declined" : "payment_cancelled");
      break;
    default: {
      // FAILED (terminal unreachable, nothing charged) and anything unexpected: the attendant looks.
      finish_attempt();
      next.set_state(v1::SESSION_STATE_NEEDS_ATTENDANT);
      next.set_resume_state(v1::SESSION_STATE_SCANNING);
      auto* call = next.mutable_attendant();
      call->Clear();
      call->set_reason(v1::ATTENDANT_REASON_PAYMENT_FAULT);
      call->set_detail(fmt::format("payment {}: {} {}", r.idempotency_key(), outcome, r.refusal_reason()));
      call->set_since_unix_ms(clock_.now_unix_ms());
      next.set_notice("payment_failed");
    }
  }
  return commit(std::move(next), lane_, fmt::format("payment {} {}", r.idempotency_key(), outcome), {});
}

Result<Outcome> LaneCore::on_reversal_failed(const std::string& key, const std::string& why) {
  std::lock_guard lock(mu_);
  if (session_.state() != v1::SESSION_STATE_PAYING || key != session_.payment().idempotency_key()) {
    return refused(fmt::format("payment {} is not the one in progress", key));
  }
  Session next = session_;
  auto* pay = next.mutable_payment();
  pay->set_outcome(v1::PAYMENT_OUTCOME_APPROVED);
  pay->set_prompt("");
  pay->set_prompt_kind(v1::TerminalPrompt::KIND_UNSPECIFIED);
  next.set_state(v1::SESSION_STATE_NEEDS_ATTENDANT);
  next.set_resume_state(v1::SESSION_STATE_SCANNING);
  auto* call = next.mutable_attendant();
  call->Clear();
  call->set_reason(v1::ATTENDANT_REASON_PAYMENT_FAULT);
  call->set_detail(
      fmt::format("payment {} was APPROVED but the sale could not complete, and reversing it failed: {}. "
                  "Reverse or refund it at the terminal.",
                  key, why));
  call->set_since_unix_ms(clock_.now_unix_ms());
  next.set_notice("payment_failed");
  return commit(std::move(next), lane_, fmt::format("payment {} APPROVED, reversal failed: {}", key, why), {});
}

Result<Outcome> LaneCore::on_payment_prompt(const std::string& key, v1::TerminalPrompt::Kind kind,
                                            const std::string& terminal_text) {
  std::lock_guard lock(mu_);
  if (session_.state() != v1::SESSION_STATE_PAYING || key != session_.payment().idempotency_key()) {
    return refused(fmt::format("prompt for {}: not the payment in progress", key));
  }
  const std::string text = prompt_text_sv(kind, terminal_text);
  if (session_.payment().prompt() == text && session_.payment().prompt_kind() == kind) {
    return refused("the terminal shows the same prompt");
  }
  Session next = session_;
  next.mutable_payment()->set_prompt(text);
  next.mutable_payment()->set_prompt_kind(kind);
  return commit(std::move(next), lane_,
                fmt::format("terminal prompt {} for {}", v1::TerminalPrompt::Kind_Name(kind), key), {});
}

std::string prompt_text_sv(v1::TerminalPrompt::Kind kind, const std::string& terminal_text) {
  switch (kind) {
    case v1::TerminalPrompt::KIND_PRESENT_CARD:
      return "Blippa eller sätt i kortet";
    case v1::TerminalPrompt::KIND_ENTER_PIN:
      return "Ange PIN-kod";
    case v1::TerminalPrompt::KIND_PROCESSING:
      return "Följ instruktionerna på kortterminalen";
    case v1::TerminalPrompt::KIND_APPROVED:
      return "Betalningen är godkänd";
    case v1::TerminalPrompt::KIND_DECLINED:
      return "Betalningen är inte klar";
    case v1::TerminalPrompt::KIND_REMOVE_CARD:
      return "Ta ut kortet";
    default:
      return terminal_text.empty() ? "Följ instruktionerna på kortterminalen" : terminal_text;
  }
}

Result<Outcome> LaneCore::complete_sale(const v1::PaymentResult& r) {
  Session next = session_;
  LaneState lane = lane_;
  refresh(next, lane);
  const std::int64_t now = clock_.now_unix_ms();
  v1::Sale sale;
  sale.set_receipt_number(journal_->next_receipt_number());
  sale.set_session_id(next.session_id());
  sale.set_lane(options_.lane.lane);
  sale.set_completed_unix_ms(now);
  for (const auto& l : next.lines()) {
    if (!l.voided()) *sale.add_lines() = l;
  }
  *sale.mutable_totals() = next.totals();
  *sale.mutable_discounts() = next.discounts();
  sale.set_pricing_catalog_version(next.pricing_catalog_version());
  if (next.has_member()) *sale.mutable_member() = next.member();
  auto* p = sale.mutable_payment();
  p->set_idempotency_key(r.idempotency_key());
  p->set_poi_transaction_id(r.poi_transaction_id());
  p->set_masked_pan(r.masked_pan());
  p->set_card_brand(r.card_brand());
  p->set_auth_code(r.auth_code());
  p->set_amount_ore(r.amount_ore());
  sale.set_receipt_text(format_receipt(options_.lane, sale));

  next.set_state(v1::SESSION_STATE_RECEIPT);
  next.set_receipt_number(sale.receipt_number());
  next.set_receipt_text(sale.receipt_text());
  next.mutable_payment()->set_outcome(v1::PAYMENT_OUTCOME_APPROVED);
  next.mutable_payment()->set_refusal_reason("");
  next.mutable_payment()->set_prompt("");
  next.mutable_payment()->set_prompt_kind(v1::TerminalPrompt::KIND_UNSPECIFIED);
  next.set_notice("");
  lane.receipt_shown_unix_ms = now;
  std::vector<Effect> effects{{.kind = Effect::Kind::kScaleEndSession, .session_id = next.session_id()},
                              {.kind = Effect::Kind::kCatalogRecordSale, .session_id = next.session_id()}};
  const std::string event = fmt::format("payment {} APPROVED: sale {} of {} öre", r.idempotency_key(),
                                        sale.receipt_number(), sale.totals().total_ore());
  return commit(std::move(next), lane, event, std::move(effects), &sale);
}

std::optional<PricingRequest> LaneCore::pricing_request() const {
  std::lock_guard lock(mu_);
  const S st = session_.state();
  if (!active(st) && st != v1::SESSION_STATE_NEEDS_ATTENDANT) return std::nullopt;
  if (session_.priced_change() == session_.basket_change()) return std::nullopt;
  PricingRequest q;
  q.session_id = session_.session_id();
  q.basket_change = session_.basket_change();
  q.request.set_at_unix_ms(clock_.now_unix_ms());
  q.request.set_member(session_.has_member());  // a scanned loyalty card: member prices apply
  for (const auto& l : session_.lines()) {
    if (l.voided() || l.label_price()) continue;  // a price label is the price: no promotions on top
    if (l.deposit_for() != 0) continue;           // deposits are never discounted
    auto* pl = q.request.add_lines();
    pl->set_gtin14(l.gtin14());
    if (l.unit() == v1::SALE_UNIT_PER_KG) {
      pl->set_weight_mg(l.quantity());
    } else {
      pl->set_quantity(l.quantity());
    }
    pl->set_unit_price_ore(l.unit_price_ore());
    q.line_nos.push_back(l.line_no());
  }
  return q;
}

Result<Outcome> LaneCore::on_pricing(const PricingRequest& asked, const v1::PriceBasketResponse& answer) {
  std::lock_guard lock(mu_);
  const S st = session_.state();
  if (!active(st) && st != v1::SESSION_STATE_NEEDS_ATTENDANT) {
    return refused(fmt::format("promotions are not applied while the session is {}", state_name(st)));
  }
  if (asked.session_id != session_.session_id() || asked.basket_change != session_.basket_change()) {
    return refused("the basket changed since it was priced");
  }
  if (session_.priced_change() == session_.basket_change()) return refused("the basket is already priced");
  Session next = session_;
  next.clear_discounts();
  for (const auto& d : answer.discounts()) {
    if (d.line() >= asked.line_nos.size()) {
      return invalid_argument(
          fmt::format("catalog pricing names line {} of a {}-line request", d.line(), asked.line_nos.size()));
    }
    auto* pd = next.add_discounts();
    pd->set_line_no(asked.line_nos[d.line()]);
    pd->set_promotion_id(d.promotion_id());
    pd->set_text(d.text());
    pd->set_discount_ore(d.discount_ore());
  }
  next.set_priced_change(asked.basket_change);
  next.set_pricing_catalog_version(answer.catalog_version());
  std::string event = fmt::format("promotions priced (catalog version {}): {} discounts, {} öre",
                                  answer.catalog_version(), answer.discounts_size(), answer.total_discount_ore());
  return commit(std::move(next), lane_, std::move(event), {});
}

Result<std::vector<StockRecord>> LaneCore::pending_stock(std::uint32_t limit) const {
  std::lock_guard lock(mu_);
  auto receipts = journal_->pending_stock(limit);
  if (!receipts) return receipts.error();
  std::vector<StockRecord> out;
  for (const std::uint32_t n : *receipts) {
    auto sale = journal_->get_sale(n);
    if (!sale) return sale.error();
    StockRecord rec;
    rec.receipt_number = n;
    // Lane and receipt: unique in a store whose kiosks share one catalog server's stock.
    rec.request.set_receipt_number(fmt::format("L{}-{}", sale->lane(), n));
    for (const auto& l : sale->lines()) {
      if (l.voided() || l.deposit_for() != 0) continue;  // pant is no product on the shelf
      auto* sl = rec.request.add_lines();
      sl->set_line(l.line_no());
      sl->set_gtin14(l.gtin14());
      if (l.unit() == v1::SALE_UNIT_PER_KG) {
        sl->set_weight_mg(l.quantity());
      } else {
        sl->set_quantity(l.quantity());
      }
    }
    out.push_back(std::move(rec));
  }
  return out;
}

Status LaneCore::stock_recorded(std::uint32_t receipt_number) {
  std::lock_guard lock(mu_);
  return journal_->stock_recorded(receipt_number);
}

Result<Outcome> LaneCore::on_weighed(const std::string& gtin14, std::int64_t net_weight_mg) {
  std::lock_guard lock(mu_);
  const S st = session_.state();
  // The produce may have lain on the scale long enough for an "unexpected item" call before it was
  // weighed: its line explains that weight, and the scale closes the alert.
  const bool unexpected =
      st == v1::SESSION_STATE_NEEDS_ATTENDANT && session_.attendant().reason() == v1::ATTENDANT_REASON_UNEXPECTED_ITEM;
  // Not while a scanned item is on its way to the bag: the scale weighs everything added since the
  // last accepted weight.
  if (st != v1::SESSION_STATE_SCANNING && !unexpected) {
    return refused(fmt::format("a weighed item cannot be added while the session is {}", state_name(st)));
  }
  const auto& w = session_.weighing();
  if (w.gtin14().empty() || w.gtin14() != gtin14) {
    return refused(fmt::format("the lane does not wait for {} to be weighed", gtin14));
  }
  ScannedItem item;
  item.code = w.code();
  item.product.set_gtin14(w.gtin14());
  item.product.set_name_sv(w.name_sv());
  item.product.set_name_en(w.name_en());
  item.product.set_price_ore(w.price_per_kg_ore());
  item.product.set_unit(v1::SALE_UNIT_PER_KG);
  item.product.set_vat_class(w.vat_class());
  item.product.set_age_limit(w.age_limit());
  item.product.set_image(w.image());
  item.product.set_deposit_code(w.deposit_code());
  item.scale_weight_mg = net_weight_mg;
  Session next = session_;
  std::vector<Effect> effects;
  auto weigh = add_line(next, item, effects);
  if (!weigh) return weigh.error();
  if (unexpected) {
    next.set_notice("wait_for_attendant");
    if (*weigh) next.set_resume_state(v1::SESSION_STATE_WAITING_FOR_BAGGING);
  } else if (*weigh) {
    next.set_state(v1::SESSION_STATE_WAITING_FOR_BAGGING);
  }
  std::string event = fmt::format("scale weighed {} mg of {}: line {}", net_weight_mg, gtin14, next.last_line_no());
  return commit(std::move(next), lane_, std::move(event), std::move(effects));
}

Result<Outcome> LaneCore::tick() {
  std::lock_guard lock(mu_);
  if (session_.state() == v1::SESSION_STATE_RECEIPT &&
      clock_.now_unix_ms() - lane_.receipt_shown_unix_ms >= options_.receipt_timeout.count()) {
    Session next;
    next.set_state(v1::SESSION_STATE_IDLE);
    next.set_revision(session_.revision());
    return commit(std::move(next), lane_, fmt::format("receipt timeout after sale {}", session_.receipt_number()), {});
  }
  return refused("nothing due");
}

std::uint64_t LaneCore::vision_seq() const {
  std::lock_guard lock(mu_);
  return lane_.vision_seq;
}

Status LaneCore::record_vision_seq(std::uint64_t seq) {
  std::lock_guard lock(mu_);
  if (seq <= lane_.vision_seq) return Status::ok();
  LaneState lane = lane_;
  lane.vision_seq = seq;
  Journal::Transition t;
  t.lane = &lane;
  if (auto st = journal_->commit(t); !st) return st;
  lane_ = lane;
  return Status::ok();
}

std::optional<Effect> LaneCore::pending_payment() const {
  std::lock_guard lock(mu_);
  if (session_.state() != v1::SESSION_STATE_PAYING) return std::nullopt;
  return Effect{.kind = Effect::Kind::kPaymentPay,
                .session_id = session_.session_id(),
                .idempotency_key = session_.payment().idempotency_key(),
                .amount_ore = session_.totals().total_ore()};
}

std::vector<Effect> LaneCore::pending_expectations() const {
  std::lock_guard lock(mu_);
  std::vector<Effect> out;
  const S st = session_.state();
  if (!active(st) && st != v1::SESSION_STATE_NEEDS_ATTENDANT) return out;
  // The scale may have restarted, or this process may have crashed before telling it: BeginSession
  // with the open session's id is idempotent on the scale (same id: same baseline).
  out.push_back({.kind = Effect::Kind::kScaleBeginSession, .session_id = session_.session_id()});
  for (const auto& l : session_.lines()) {
    if (l.voided() || l.bagged()) continue;
    out.push_back({.kind = Effect::Kind::kScaleExpectItem,
                   .session_id = session_.session_id(),
                   .expectation_id = expectation_id(session_, l.line_no()),
                   .gtin14 = l.gtin14(),
                   .expected_mg = l.expected_weight_mg()});
  }
  return out;
}

Status LaneCore::verify_attendant(const v1::ActRequest& r) {
  if (!attendants_) return permission_denied("no attendants are configured on this lane ([checkout] attendants_file)");
  if (r.attendant().attendant_id().empty()) return permission_denied("this action needs an attendant id and PIN");
  return attendants_->verify(r.attendant().attendant_id(), r.attendant().pin());
}

Result<Outcome> LaneCore::act(const v1::ActRequest& r, const ScannedItem* looked_up) {
  std::lock_guard lock(mu_);
  if (!r.request_id().empty()) {
    auto seen = journal_->find_request(r.request_id());
    if (!seen) return seen.error();
    if (*seen) return Outcome{**seen, {}};
  }
  const S st = session_.state();
  const std::string& rid = r.request_id();
  const std::string who = r.attendant().attendant_id();
  Session next = session_;
  LaneState lane = lane_;
  switch (r.action_case()) {
    case v1::ActRequest::kStart: {
      if (st != v1::SESSION_STATE_IDLE) return refused(fmt::format("a session is already open ({})", state_name(st)));
      next = open_session(lane);
      std::vector<Effect> fx{{.kind = Effect::Kind::kScaleBeginSession, .session_id = next.session_id()}};
      return commit(std::move(next), lane, "start", std::move(fx), nullptr, rid);
    }
    case v1::ActRequest::kEnterCode: {
      if (options_.member_cards.card_number(r.enter_code().code())) return add_member(r.enter_code().code(), 0, rid);
      if (!looked_up) return internal_error("EnterCode reached the core without a catalog look-up");
      return add_item(*looked_up, rid, fmt::format("code {}", r.enter_code().code()));
    }
    case v1::ActRequest::kRemoveLine:
    case v1::ActRequest::kVoidLine: {
      const bool attendant = r.action_case() == v1::ActRequest::kVoidLine;
      const std::uint32_t n = attendant ? r.void_line().line_no() : r.remove_line().line_no();
      if (!active(st) && !(attendant && st == v1::SESSION_STATE_NEEDS_ATTENDANT)) {
        return refused(fmt::format("lines cannot be removed while the session is {}", state_name(st)));
      }
      v1::BasketLine* line = find_line(next, n);
      if (!line) return invalid_argument(fmt::format("line_no {}: no such line in the basket", n));
      if (line->voided()) return refused(fmt::format("line {} is already removed", n));
      if (line->deposit_for() != 0) {
        return refused(fmt::format("line {} is the deposit of line {}: remove that line and its pant goes with it", n,
                                   line->deposit_for()));
      }
      if (attendant) {
        if (auto ok = verify_attendant(r); !ok) return ok.error();
      }
      std::vector<Effect> fx;
      if (line->bagged() && line->expected_weight_mg() > 0) {
        fx.push_back({.kind = Effect::Kind::kScaleExpectRemoval,
                      .session_id = next.session_id(),
                      .expectation_id = expectation_id(next, n),
                      .gtin14 = line->gtin14(),
                      .expected_mg = line->expected_weight_mg()});
      }
      line->set_voided(true);
      basket_changed(next, true, fx);
      if (st == v1::SESSION_STATE_NEEDS_ATTENDANT && next.attendant().line_no() == n) {
        // The line the alert was about is gone: the alert goes with it.
        if (!next.attendant().alert_id().empty()) {
          fx.push_back({.kind = Effect::Kind::kScaleResolveAlert,
                        .alert_id = next.attendant().alert_id(),
                        .decision = v1::ResolveAlertRequest::DECISION_ITEM_REMOVED,
                        .attendant_id = who});
        }
        leave_attendant(next);
      } else if (st == v1::SESSION_STATE_WAITING_FOR_BAGGING && !has_unbagged(next)) {
        next.set_state(v1::SESSION_STATE_SCANNING);
      }
      if (next.last_line_no() == n) next.set_last_line_no(0);
      next.set_notice("");
      const std::string ev =
          attendant ? fmt::format("attendant {} voided line {}", who, n) : fmt::format("shopper removed line {}", n);
      return commit(std::move(next), lane, ev, std::move(fx), nullptr, rid);
    }
    case v1::ActRequest::kPay: {
      if (st == v1::SESSION_STATE_WAITING_FOR_BAGGING) {
        return refused("place the scanned item in the bagging area before paying");
      }
      if (st != v1::SESSION_STATE_SCANNING) {
        return refused(fmt::format("paying is not possible while the session is {}", state_name(st)));
      }
      refresh(next, lane);
      if (next.totals().item_count() == 0) return refused("the basket is empty: scan an item first");
      if (next.pending_age_checks() > 0) {
        next.set_state(v1::SESSION_STATE_NEEDS_ATTENDANT);
        next.set_resume_state(st);
        auto* call = next.mutable_attendant();
        call->Clear();
        call->set_reason(v1::ATTENDANT_REASON_AGE_CHECK);
        call->set_detail(fmt::format("{} age-limited line(s) to approve before paying", next.pending_age_checks()));
        call->set_since_unix_ms(clock_.now_unix_ms());
        next.set_notice("age_check_required");
        return commit(std::move(next), lane, "pay: age check required", {}, nullptr, rid);
      }
      next.clear_weighing();  // the shopper moved on to paying
      const std::uint32_t attempt = next.payment().attempt() + 1;
      auto* pay = next.mutable_payment();
      pay->Clear();
      pay->set_attempt(attempt);
      pay->set_idempotency_key(fmt::format("{}/pay/{}", next.session_id(), attempt));
      pay->set_outcome(v1::PAYMENT_OUTCOME_IN_PROGRESS);
      next.set_state(v1::SESSION_STATE_PAYING);
      next.set_notice("");
      std::vector<Effect> fx{{.kind = Effect::Kind::kPaymentPay,
                              .session_id = next.session_id(),
                              .idempotency_key = pay->idempotency_key(),
                              .amount_ore = next.totals().total_ore()}};
      const std::string ev = fmt::format("pay {} öre as {}", next.totals().total_ore(), pay->idempotency_key());
      return commit(std::move(next), lane, ev, std::move(fx), nullptr, rid);
    }
    case v1::ActRequest::kCancelPayment: {
      if (st != v1::SESSION_STATE_PAYING) return refused("no payment is in progress");
      next.set_notice("payment_cancelling");
      std::vector<Effect> fx{
          {.kind = Effect::Kind::kPaymentAbort, .idempotency_key = next.payment().idempotency_key()}};
      const std::string ev = "cancel payment " + next.payment().idempotency_key();
      return commit(std::move(next), lane, ev, std::move(fx), nullptr, rid);
    }
    case v1::ActRequest::kCancelWeighing: {
      if (next.weighing().gtin14().empty()) return refused("no item waits to be weighed");
      const std::string gtin = next.weighing().gtin14();
      next.clear_weighing();
      if (next.notice() == "place_on_scale") next.set_notice("");
      return commit(std::move(next), lane, "weighing of " + gtin + " cancelled", {}, nullptr, rid);
    }
    case v1::ActRequest::kRequestHelp: {
      if (st == v1::SESSION_STATE_NEEDS_ATTENDANT) return refused("an attendant is already called");
      if (!active(st)) return refused(fmt::format("help cannot be called while the session is {}", state_name(st)));
      next.set_resume_state(st);
      next.set_state(v1::SESSION_STATE_NEEDS_ATTENDANT);
      auto* call = next.mutable_attendant();
      call->Clear();
      call->set_reason(v1::ATTENDANT_REASON_HELP_REQUESTED);
      call->set_detail("the shopper asked for help");
      call->set_since_unix_ms(clock_.now_unix_ms());
      next.set_notice("wait_for_attendant");
      return commit(std::move(next), lane, "help requested", {}, nullptr, rid);
    }
    case v1::ActRequest::kFinishReceipt: {
      if (st != v1::SESSION_STATE_RECEIPT) return refused("there is no receipt to finish");
      Session idle;
      idle.set_state(v1::SESSION_STATE_IDLE);
      idle.set_revision(session_.revision());
      return commit(std::move(idle), lane,
                    fmt::format("receipt {} finished ({})", session_.receipt_number(),
                                v1::ActRequest::FinishReceipt::Choice_Name(r.finish_receipt().choice())),
                    {}, nullptr, rid);
    }
    case v1::ActRequest::kResolve: {
      if (st != v1::SESSION_STATE_NEEDS_ATTENDANT) return refused("nothing to resolve: no attendant call is open");
      if (next.attendant().reason() == v1::ATTENDANT_REASON_AGE_CHECK) {
        return refused("an age check is resolved with ApproveAge (or by voiding the line)");
      }
      if (auto ok = verify_attendant(r); !ok) return ok.error();
      auto decision = r.resolve().decision();
      if (decision == v1::ResolveAlertRequest::DECISION_UNSPECIFIED) {
        decision = v1::ResolveAlertRequest::DECISION_OVERRIDE;
      }
      std::vector<Effect> fx;
      const auto call = next.attendant();
      if (!call.alert_id().empty()) {
        fx.push_back({.kind = Effect::Kind::kScaleResolveAlert,
                      .alert_id = call.alert_id(),
                      .decision = decision,
                      .attendant_id = who});
      }
      // The attendant vouches for the line the weight alert was about.
      if (call.reason() == v1::ATTENDANT_REASON_WEIGHT_MISMATCH && call.line_no() != 0 &&
          decision != v1::ResolveAlertRequest::DECISION_ITEM_REMOVED) {
        if (auto* line = find_line(next, call.line_no())) line->set_bagged(true);
      }
      leave_attendant(next);
      next.set_notice("");
      return commit(std::move(next), lane,
                    fmt::format("attendant {} resolved {} ({})", who, v1::AttendantReason_Name(call.reason()),
                                v1::ResolveAlertRequest::Decision_Name(decision)),
                    std::move(fx), nullptr, rid);
    }
    case v1::ActRequest::kApproveAge: {
      if (!active(st) && st != v1::SESSION_STATE_NEEDS_ATTENDANT) {
        return refused(fmt::format("no age check is possible while the session is {}", state_name(st)));
      }
      if (session_.pending_age_checks() == 0) return refused("no age-limited item waits for approval");
      if (auto ok = verify_attendant(r); !ok) return ok.error();
      lane.age_approved_through = static_cast<std::uint32_t>(next.lines_size());
      if (st == v1::SESSION_STATE_NEEDS_ATTENDANT && next.attendant().reason() == v1::ATTENDANT_REASON_AGE_CHECK) {
        leave_attendant(next);
      }
      if (next.notice() == "age_check_pending" || next.notice() == "age_check_required") next.set_notice("");
      return commit(std::move(next), lane,
                    fmt::format("attendant {} approved age through line {}", who, lane.age_approved_through), {},
                    nullptr, rid);
    }
    case v1::ActRequest::kCancelSale: {
      if (!active(st) && st != v1::SESSION_STATE_NEEDS_ATTENDANT) {
        return refused(fmt::format("no sale can be cancelled while the session is {}", state_name(st)));
      }
      if (auto ok = verify_attendant(r); !ok) return ok.error();
      std::vector<Effect> fx{{.kind = Effect::Kind::kScaleEndSession, .session_id = next.session_id()}};
      Session idle;
      idle.set_state(v1::SESSION_STATE_IDLE);
      idle.set_revision(session_.revision());
      return commit(std::move(idle), lane,
                    fmt::format("attendant {} cancelled session {} ({} lines)", who, session_.session_id(),
                                session_.lines_size()),
                    std::move(fx), nullptr, rid);
    }
    case v1::ActRequest::ACTION_NOT_SET:
      break;
  }
  return invalid_argument("ActRequest names no action");
}

Result<v1::Sale> LaneCore::get_sale(std::uint32_t n) const {
  std::lock_guard lock(mu_);
  return journal_->get_sale(n);
}

Result<std::vector<v1::Sale>> LaneCore::list_sales(std::uint32_t after, std::uint32_t limit) const {
  std::lock_guard lock(mu_);
  return journal_->list_sales(after, limit);
}

JournalVerdict LaneCore::verify_journal() const {
  std::lock_guard lock(mu_);
  return journal_->verify();
}

Result<std::vector<std::string>> LaneCore::events(std::uint64_t after_revision, std::uint32_t limit) const {
  std::lock_guard lock(mu_);
  return journal_->events(after_revision, limit);
}

}  // namespace kiosk::checkout
