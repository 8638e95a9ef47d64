#include <catch2/catch.hpp>

#include <QSignalSpy>
#include <QTranslator>

#include "kiosk/session_controller.h"
#include "qt_test_support.h"

using kiosk::ui::SessionController;
using kiosk::ui::test::CannedBackend;
using kiosk::ui::test::loadSession;

namespace {

kiosk::v1::Session withState(kiosk::v1::Session s, kiosk::v1::SessionState state, std::uint64_t revision) {
  s.set_state(state);
  s.set_revision(revision);
  return s;
}

}  // namespace

TEST_CASE("controller shows Disconnected until connected with a snapshot", "[kiosk][controller]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend);
  CHECK(c.state() == SessionController::Disconnected);
  backend.setConnected(true);
  CHECK(c.state() == SessionController::Disconnected);  // no snapshot yet
  backend.push(loadSession("scanning_two_lines.txtpb"));
  CHECK(c.state() == SessionController::Scanning);
  backend.setConnected(false);
  CHECK(c.state() == SessionController::Disconnected);
  CHECK(c.stateName() == "disconnected");
}

TEST_CASE("controller maps every checkout state", "[kiosk][controller]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend);
  backend.setConnected(true);
  const auto base = loadSession("scanning_two_lines.txtpb");
  const std::pair<kiosk::v1::SessionState, SessionController::State> cases[] = {
      {kiosk::v1::SESSION_STATE_IDLE, SessionController::Idle},
      {kiosk::v1::SESSION_STATE_SCANNING, SessionController::Scanning},
      {kiosk::v1::SESSION_STATE_WAITING_FOR_BAGGING, SessionController::WaitingForBagging},
      {kiosk::v1::SESSION_STATE_NEEDS_ATTENDANT, SessionController::NeedsAttendant},
      {kiosk::v1::SESSION_STATE_PAYING, SessionController::Paying},
      {kiosk::v1::SESSION_STATE_RECEIPT, SessionController::Receipt},
  };
  std::uint64_t revision = 10;
  QSignalSpy stateSpy(&c, &SessionController::stateChanged);
  for (const auto& [proto, state] : cases) {
    backend.push(withState(base, proto, ++revision));
    CHECK(c.state() == state);
  }
  CHECK(stateSpy.count() == 6);
  CHECK(c.stateName() == "receipt");
}

TEST_CASE("controller texts: total, count, last item", "[kiosk][controller]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend);
  backend.setConnected(true);
  auto s = loadSession("scanning_two_lines.txtpb");
  backend.push(s);
  CHECK(c.totalText() == "48,22 kr");
  CHECK(c.itemCount() == 3);
  CHECK(c.vatText() == "2,73 kr");
  CHECK(c.revision() == 7);
  CHECK(c.hasLastItem());
  CHECK(c.lastItemName() == "Bananer");
  CHECK(c.lastItemQuantityText() == "0,482 kg");
  CHECK(c.lastItemUnitPriceText() == "29,90 kr/kg");
  CHECK(c.lastItemPriceText() == "14,42 kr");
  CHECK(c.basket()->rowCount() == 2);

  s.mutable_totals()->set_total_ore(123450);
  s.set_revision(8);
  backend.push(s);
  CHECK(c.totalText() == "1 234,50 kr");

  c.setLanguage("en");
  CHECK(c.lastItemName() == "Bananas");
}

TEST_CASE("controller ignores a stale snapshot but takes any after a reconnect", "[kiosk][controller]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend);
  backend.setConnected(true);
  auto s = loadSession("scanning_two_lines.txtpb");  // revision 7
  backend.push(s);
  auto old = withState(s, kiosk::v1::SESSION_STATE_IDLE, 6);
  backend.push(old);
  CHECK(c.state() == SessionController::Scanning);
  backend.setConnected(false);
  backend.setConnected(true);
  backend.push(old);  // e.g. a checkout restored from an older journal
  CHECK(c.state() == SessionController::Idle);
}

TEST_CASE("attendant reasons are told without blame", "[kiosk][controller]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend);
  backend.setConnected(true);
  auto s = withState(loadSession("scanning_two_lines.txtpb"), kiosk::v1::SESSION_STATE_NEEDS_ATTENDANT, 9);
  s.mutable_attendant()->set_reason(kiosk::v1::ATTENDANT_REASON_WEIGHT_MISMATCH);
  s.mutable_attendant()->set_line_no(2);
  backend.push(s);
  CHECK(c.attendantReasonText() == "Vikten stämmer inte – kontrollera påsen");
  CHECK(c.attendantLineNo() == 2);
  for (int r = 1; r <= 8; ++r) {
    s.mutable_attendant()->set_reason(static_cast<kiosk::v1::AttendantReason>(r));
    s.set_revision(s.revision() + 1);
    backend.push(s);
    const QString text = (c.attendantReasonText() + " " + c.attendantNextStepText()).toLower();
    INFO(text.toStdString());
    CHECK_FALSE(text.isEmpty());
    for (const char* word : {"fel", "oväntad", "du har tagit", "error", "unexpected"}) CHECK_FALSE(text.contains(word));
  }
  s.mutable_attendant()->set_reason(kiosk::v1::ATTENDANT_REASON_AGE_CHECK);
  s.mutable_lines(1)->set_age_limit(18);
  s.set_revision(s.revision() + 1);
  backend.push(s);
  CHECK(c.attendantReasonText() == "Åldersgräns 18 år – personal godkänner före betalning");
}

TEST_CASE("a declined payment says the payment is not finished", "[kiosk][controller]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend);
  backend.setConnected(true);
  auto s = withState(loadSession("scanning_two_lines.txtpb"), kiosk::v1::SESSION_STATE_PAYING, 9);
  s.mutable_payment()->set_outcome(kiosk::v1::PAYMENT_OUTCOME_IN_PROGRESS);
  s.mutable_payment()->set_prompt("Blippa eller sätt i kortet");
  backend.push(s);
  CHECK_FALSE(c.paymentDeclined());
  CHECK(c.paymentPrompt() == "Blippa eller sätt i kortet");
  s = withState(s, kiosk::v1::SESSION_STATE_SCANNING, 10);
  s.mutable_payment()->set_outcome(kiosk::v1::PAYMENT_OUTCOME_DECLINED);
  s.set_notice("payment_declined");
  backend.push(s);
  CHECK(c.paymentDeclined());
  CHECK(c.noticeText() == "Betalningen är inte klar");
}

TEST_CASE("intents become Act requests", "[kiosk][controller]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend);
  c.setAttendantId("anna");
  c.start();
  c.pay();
  c.cancelPayment();
  c.requestHelp();
  c.enterCode(" 7310865004703 ");
  c.removeLine(2);
  c.removeLine(0);  // nothing to remove: not sent
  c.finishReceipt("digital");
  c.approveAge("1234");
  c.resolve("accept_weight", "1234");
  c.voidLine(1, "1234");
  c.cancelSale("1234");
  REQUIRE(backend.acts.size() == 11);
  CHECK(backend.acts[0].has_start());
  CHECK(backend.acts[1].has_pay());
  CHECK(backend.acts[2].has_cancel_payment());
  CHECK(backend.acts[3].has_request_help());
  CHECK(backend.acts[4].enter_code().code() == "7310865004703");
  CHECK(backend.acts[5].remove_line().line_no() == 2);
  CHECK(backend.acts[6].finish_receipt().choice() == kiosk::v1::ActRequest::FinishReceipt::CHOICE_DIGITAL);
  CHECK(backend.acts[7].has_approve_age());
  CHECK(backend.acts[7].attendant().attendant_id() == "anna");
  CHECK(backend.acts[7].attendant().pin() == "1234");
  CHECK(backend.acts[8].resolve().decision() == kiosk::v1::ResolveAlertRequest::DECISION_ACCEPT_WEIGHT);
  CHECK(backend.acts[9].void_line().line_no() == 1);
  CHECK(backend.acts[10].has_cancel_sale());
}

TEST_CASE("after the receipt choice the shopper is thanked, then welcomed", "[kiosk][controller]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend, /*thankYouMs=*/50);
  backend.setConnected(true);
  auto s = withState(loadSession("scanning_two_lines.txtpb"), kiosk::v1::SESSION_STATE_RECEIPT, 20);
  backend.push(s);
  CHECK(c.state() == SessionController::Receipt);
  c.finishReceipt("none");
  CHECK(c.state() == SessionController::ThankYou);
  kiosk::v1::Session idle;
  idle.set_state(kiosk::v1::SESSION_STATE_IDLE);
  idle.set_revision(21);
  backend.push(idle);
  CHECK(c.state() == SessionController::ThankYou);
  // The timer is the clock here: wait for the controller's own state, with a deadline.
  CHECK(kiosk::ui::test::waitUntil([&] { return c.state() == SessionController::Idle; }));
  CHECK(c.basket()->rowCount() == 0);
}

TEST_CASE("a new sale during the thank-you screen shows it at once", "[kiosk][controller]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend, 60000);
  backend.setConnected(true);
  backend.push(withState(loadSession("scanning_two_lines.txtpb"), kiosk::v1::SESSION_STATE_RECEIPT, 20));
  c.finishReceipt("print");
  auto next = withState(loadSession("scanning_two_lines.txtpb"), kiosk::v1::SESSION_STATE_SCANNING, 22);
  next.set_session_id("lane1-20261127-0002");
  backend.push(next);
  CHECK(c.state() == SessionController::Scanning);
}

TEST_CASE("English copy comes from the translation in the resources", "[kiosk][controller][i18n]") {
  kiosk::ui::test::app();
  QTranslator english;
  REQUIRE(english.load(":/kiosk/i18n/kiosk_en.qm"));
  QCoreApplication::installTranslator(&english);
  CannedBackend backend;
  SessionController c(backend);
  backend.setConnected(true);
  auto s = withState(loadSession("scanning_two_lines.txtpb"), kiosk::v1::SESSION_STATE_NEEDS_ATTENDANT, 9);
  s.mutable_attendant()->set_reason(kiosk::v1::ATTENDANT_REASON_WEIGHT_MISMATCH);
  backend.push(s);
  c.setLanguage("en");
  CHECK(c.attendantReasonText() == "Weight doesn't match – please check the bag");
  CHECK(c.basket()->data(c.basket()->index(0), kiosk::ui::BasketModel::QuantityTextRole).toString() == "2 pcs");
  QCoreApplication::removeTranslator(&english);
}

TEST_CASE("controller shows the member, the member savings and the pant in the total", "[kiosk][controller][member]") {
  kiosk::ui::test::app();
  CannedBackend backend;
  SessionController c(backend);
  backend.setConnected(true);
  auto s = loadSession("scanning_two_lines.txtpb");
  backend.push(s);
  CHECK_FALSE(c.member());
  CHECK(c.memberText().isEmpty());
  CHECK(c.depositText().isEmpty());

  s = loadSession("scanning_pant_member.txtpb");
  backend.push(s);
  CHECK(c.member());
  CHECK(c.memberText() == "Medlem ****4567");
  CHECK(c.savingsText() == "Du sparar 5,00 kr");
  CHECK(c.depositText() == "varav pant 3,00 kr");
  CHECK(c.itemCount() == 2);  // pant lines are no items
  CHECK(c.lastItemName() == "Coca-Cola 33 cl burk");
  CHECK(c.noticeText() == "Kundkortet är registrerat – medlemspriser gäller");
}
