// The checkout side of card payments: an approval that cannot become a sale is refused (and
// reversed by the adapter), a reversal returns the shopper to the basket, a failed reversal calls
// the attendant, and the terminal's prompts are mirrored on the paying screen in Swedish.
#include "lane_fixture.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;

namespace {

constexpr auto kRefused = ErrorCode::kFailedPrecondition;

// A lane in PAYING for milk (15,90 kr).
void paying(Lane& lane) {
  lane.scan_and_bag(milk());
  REQUIRE(lane.pay());
  REQUIRE(lane.state() == v1::SESSION_STATE_PAYING);
}

}  // namespace

TEST_CASE("an approval for another amount than the basket is refused and sells nothing", "[checkout][payment]") {
  Lane lane;
  paying(lane);
  v1::PaymentResult partial;
  partial.set_idempotency_key(lane.core->session().payment().idempotency_key());
  partial.set_outcome(v1::PAYMENT_OUTCOME_APPROVED);
  partial.set_amount_ore(1590);
  partial.set_authorized_ore(1000);  // a partial approval
  REQUIRE_REFUSED(lane, lane.core->on_payment(partial), kRefused);
  partial.set_authorized_ore(0);
  partial.set_amount_ore(1490);  // another amount
  REQUIRE_REFUSED(lane, lane.core->on_payment(partial), kRefused);
  CHECK(lane.core->list_sales(0, 0)->empty());
  CHECK(lane.state() == v1::SESSION_STATE_PAYING);
}

TEST_CASE("a reversed approval returns the shopper to the basket to pay again", "[checkout][payment]") {
  Lane lane;
  paying(lane);
  auto r = lane.payment(v1::PAYMENT_OUTCOME_REVERSED, "Malfunction");
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_SCANNING);
  CHECK(r->session.payment().outcome() == v1::PAYMENT_OUTCOME_REVERSED);
  CHECK(r->session.notice() == "payment_failed");
  CHECK(r->session.lines_size() == 1);
  CHECK(lane.core->list_sales(0, 0)->empty());
  auto again = lane.pay();
  REQUIRE(again);
  CHECK(again->session.payment().attempt() == 2);
}

TEST_CASE("a failed reversal of an approval calls the attendant and survives a restart", "[checkout][payment]") {
  Lane lane;
  paying(lane);
  const std::string key = lane.core->session().payment().idempotency_key();
  REQUIRE_REFUSED(lane, lane.core->on_reversal_failed(key + "x", "no answer"), kRefused);
  auto r = lane.core->on_reversal_failed(key, "terminal not reachable");
  REQUIRE(r);
  CHECK(r->session.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
  CHECK(r->session.attendant().reason() == v1::ATTENDANT_REASON_PAYMENT_FAULT);
  CHECK_THAT(r->session.attendant().detail(),
             Catch::Contains(key) && Catch::Contains("APPROVED") && Catch::Contains("terminal not reachable"));
  CHECK(r->session.notice() == "payment_failed");
  lane.reopen();
  CHECK(lane.state() == v1::SESSION_STATE_NEEDS_ATTENDANT);
  CHECK(lane.core->session().attendant().reason() == v1::ATTENDANT_REASON_PAYMENT_FAULT);
  CHECK_FALSE(lane.core->pending_payment());  // not paid again after a restart
}

TEST_CASE("terminal prompts show on the paying screen in Swedish", "[checkout][payment]") {
  Lane lane;
  const std::string stray = "L1-0-0/pay/1";
  REQUIRE_REFUSED(lane, lane.core->on_payment_prompt(stray, v1::TerminalPrompt::KIND_PRESENT_CARD, ""), kRefused);
  paying(lane);
  const std::string key = lane.core->session().payment().idempotency_key();
  auto card = lane.core->on_payment_prompt(key, v1::TerminalPrompt::KIND_PRESENT_CARD, "Present card");
  REQUIRE(card);
  CHECK(card->session.payment().prompt() == "Blippa eller sätt i kortet");
  CHECK(card->session.payment().prompt_kind() == v1::TerminalPrompt::KIND_PRESENT_CARD);
  REQUIRE_REFUSED(lane, lane.core->on_payment_prompt(key, v1::TerminalPrompt::KIND_PRESENT_CARD, "Present card"),
                  kRefused);  // the same prompt again changes nothing
  REQUIRE_REFUSED(lane, lane.core->on_payment_prompt(stray, v1::TerminalPrompt::KIND_ENTER_PIN, ""), kRefused);
  auto pin = lane.core->on_payment_prompt(key, v1::TerminalPrompt::KIND_ENTER_PIN, "Enter PIN");
  REQUIRE(pin);
  CHECK(pin->session.payment().prompt() == "Ange PIN-kod");
  CHECK(pin->session.payment().outcome() == v1::PAYMENT_OUTCOME_IN_PROGRESS);
  auto text = lane.core->on_payment_prompt(key, v1::TerminalPrompt::KIND_TEXT, "Kortet läses");
  REQUIRE(text);
  CHECK(text->session.payment().prompt() == "Kortet läses");
  auto approved = lane.payment(v1::PAYMENT_OUTCOME_APPROVED);
  REQUIRE(approved);
  CHECK(approved->session.payment().prompt().empty());
  REQUIRE_REFUSED(lane, lane.core->on_payment_prompt(key, v1::TerminalPrompt::KIND_REMOVE_CARD, ""), kRefused);
  CHECK(prompt_text_sv(v1::TerminalPrompt::KIND_REMOVE_CARD, "") == "Ta ut kortet");
  CHECK(prompt_text_sv(v1::TerminalPrompt::KIND_APPROVED, "Approved") == "Betalningen är godkänd");
}
