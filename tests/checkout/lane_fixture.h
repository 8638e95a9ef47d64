#pragma once
// A LaneCore on a real RocksDB journal in a temp folder, with a manual clock and one attendant
// ("a1", PIN "4711", cheap Argon2id cost).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "checkout/lane_core.h"
#include "test_support.h"

namespace kiosk::checkout::test {

inline constexpr const char* kAttendant = "a1";
inline constexpr const char* kPin = "4711";

inline MemberCards test_member_cards() {
  std::array<unsigned char, 32> key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(i + 1);
  auto m = MemberCards::make({"2990"}, 13, key);
  REQUIRE(m);
  return *m;
}

class Lane {
 public:
  Lane() : clock(kNov2026) {
    auto dir = AttendantDirectory::parse(fmt::format("[[attendant]]\nid = \"a1\"\nname = \"Anna\"\npin_hash = \"{}\"\n",
                                                     *hash_pin(kPin, PinHashCost::minimum())),
                                         "attendants.toml", clock);
    REQUIRE(dir);
    attendants = std::move(*dir);
    reopen();
  }
  // Drops the core without any shutdown step (as a crash would) and opens the journal again.
  void reopen() {
    core.reset();
    LaneCore::Options opts;
    opts.lane = {1, "Exempelbutiken Centrum", "Storgatan 1, 111 22 Stockholm", "556000-0000", "SEK"};
    opts.deposits = deposits;
    opts.member_cards = member_cards;
    auto c = LaneCore::open(tmp.path() / "checkout", opts, clock, attendants.get());
    REQUIRE(c);
    core = std::move(*c);
  }

  v1::ActRequest intent(std::string rid = {}) {
    v1::ActRequest r;
    r.set_request_id(std::move(rid));
    return r;
  }
  v1::ActRequest attendant(std::string pin = kPin) {
    v1::ActRequest r;
    r.mutable_attendant()->set_attendant_id(kAttendant);
    r.mutable_attendant()->set_pin(std::move(pin));
    return r;
  }
  Result<Outcome> start() {
    auto r = intent();
    r.mutable_start();
    return core->act(r);
  }
  Result<Outcome> pay() {
    auto r = intent();
    r.mutable_pay();
    return core->act(r);
  }
  Result<Outcome> verdict(std::uint32_t line_no, v1::BaggingVerdict::Kind kind, std::int64_t delta = 0) {
    v1::BaggingVerdict v;
    v.set_expectation_id(fmt::format("{}/{}", core->session().session_id(), line_no));
    v.set_kind(kind);
    v.set_expected_mg(1'550'000);
    v.set_tolerance_mg(30'000);
    v.set_measured_delta_mg(delta);
    return core->on_verdict(v);
  }
  Result<Outcome> alert(const std::string& id, v1::ScaleAlert::Kind kind, bool open, std::uint32_t line_no = 0) {
    v1::ScaleAlert a;
    a.set_alert_id(id);
    a.set_kind(kind);
    a.set_open(open);
    if (line_no) a.set_expectation_id(fmt::format("{}/{}", core->session().session_id(), line_no));
    return core->on_alert(a);
  }
  Result<Outcome> payment(v1::PaymentOutcome outcome, std::string reason = {}) {
    v1::PaymentResult p;
    p.set_idempotency_key(core->session().payment().idempotency_key());
    p.set_outcome(outcome);
    p.set_amount_ore(core->session().totals().total_ore());
    p.set_refusal_reason(std::move(reason));
    p.set_card_brand("VISA");
    p.set_masked_pan("**** **** **** 0004");
    p.set_poi_transaction_id("8816178952481411");
    return core->on_payment(p);
  }
  // Scans and bags a weighed item; back in SCANNING.
  void scan_and_bag(const ScannedItem& it) {
    auto r = core->on_scan(it);
    REQUIRE(r);
    if (r->session.state() == v1::SESSION_STATE_WAITING_FOR_BAGGING) {
      REQUIRE(verdict(r->session.last_line_no(), v1::BaggingVerdict::KIND_ACCEPTED));
    }
    REQUIRE(core->session().state() == v1::SESSION_STATE_SCANNING);
  }
  v1::SessionState state() const { return core->session().state(); }

  // Returpack's PANT1 1 kr / PANT2 2 kr; member cards are 13 digits starting 2990 (keyed hash key 0x01..).
  DepositTable deposits = DepositTable::returpack();
  MemberCards member_cards = test_member_cards();
  TempDir tmp{"checkout-test"};
  ManualClock clock;
  std::unique_ptr<AttendantDirectory> attendants;
  std::unique_ptr<LaneCore> core;
};

// An input the state refuses: FAILED_PRECONDITION (or the given code), and nothing changes.
#define REQUIRE_REFUSED(lane, expr, want)                                             \
  do {                                                                                \
    const auto before_ = (lane).core->session();                                      \
    auto r_ = (expr);                                                                 \
    REQUIRE_FALSE(r_);                                                                \
    CHECK(r_.error().code == (want));                                                 \
    CHECK_FALSE(r_.message().empty());                                                \
    CHECK((lane).core->session().SerializeAsString() == before_.SerializeAsString()); \
  } while (0)

}  // namespace kiosk::checkout::test
