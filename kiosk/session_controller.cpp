#include "session_controller.h"

#include <QDebug>

#include "money_text.h"

namespace kiosk::ui {
namespace {

using kiosk::v1::SessionState;

SessionController::State fromProto(SessionState s) {
  switch (s) {
    case kiosk::v1::SESSION_STATE_IDLE:
      return SessionController::Idle;
    case kiosk::v1::SESSION_STATE_SCANNING:
      return SessionController::Scanning;
    case kiosk::v1::SESSION_STATE_WAITING_FOR_BAGGING:
      return SessionController::WaitingForBagging;
    case kiosk::v1::SESSION_STATE_NEEDS_ATTENDANT:
      return SessionController::NeedsAttendant;
    case kiosk::v1::SESSION_STATE_PAYING:
      return SessionController::Paying;
    case kiosk::v1::SESSION_STATE_RECEIPT:
      return SessionController::Receipt;
    default:
      return SessionController::Idle;
  }
}

}  // namespace

SessionController::SessionController(CheckoutBackend& backend, int thankYouMs, QObject* parent)
    : QObject(parent), backend_(backend) {
  thankYouTimer_.setSingleShot(true);
  thankYouTimer_.setInterval(thankYouMs);
  connect(&thankYouTimer_, &QTimer::timeout, this, [this] {
    receiptChosen_ = false;
    updateState();
  });
  connect(&backend_, &CheckoutBackend::sessionReceived, this, &SessionController::onSession);
  connect(&backend_, &CheckoutBackend::connectedChanged, this, &SessionController::onConnected);
  connect(&backend_, &CheckoutBackend::actFailed, this, &SessionController::onActFailed);
}

QString SessionController::stateName(State s) {
  switch (s) {
    case Disconnected:
      return QStringLiteral("disconnected");
    case Idle:
      return QStringLiteral("idle");
    case Scanning:
      return QStringLiteral("scanning");
    case WaitingForBagging:
      return QStringLiteral("waiting_for_bagging");
    case NeedsAttendant:
      return QStringLiteral("needs_attendant");
    case Paying:
      return QStringLiteral("paying");
    case Receipt:
      return QStringLiteral("receipt");
    case ThankYou:
      return QStringLiteral("thank_you");
  }
  return QStringLiteral("unknown");
}

void SessionController::onSession(const kiosk::v1::Session& session) {
  // Act replies and the Watch stream race; a snapshot older than the one shown is stale.
  if (haveSession_ && session.revision() < session_.revision()) return;
  const bool sameRevision = haveSession_ && session.revision() == session_.revision();
  const bool newSale = !session.session_id().empty() && session.session_id() != session_.session_id();
  session_ = session;
  haveSession_ = true;
  if (newSale) {
    receiptChosen_ = false;
    thankYouTimer_.stop();
  }
  basket_.setDiscounts(session_.discounts());
  basket_.setLines(session_.lines());
  if (!sameRevision) emit sessionChanged();
  updateState();
}

void SessionController::onConnected(bool connected) {
  if (connected_ == connected) return;
  connected_ = connected;
  // After a reconnect the checkout may have restarted; take its next snapshot whatever its revision.
  if (!connected) haveSession_ = false;
  emit connectedChanged();
  updateState();
}

void SessionController::onActFailed(const QString& action, const QString& message) {
  lastError_ = action + QStringLiteral(": ") + message;
  emit lastErrorChanged();
}

void SessionController::updateState() {
  State next = Disconnected;
  if (connected_ && haveSession_) {
    next = fromProto(session_.state());
    // After the receipt choice, thank the shopper for a few seconds even if checkout is already idle.
    if (receiptChosen_ && (next == Receipt || next == Idle)) next = ThankYou;
  }
  if (next == state_) return;
  state_ = next;
  emit stateChanged();
}

const kiosk::v1::BasketLine* SessionController::lastLine() const {
  if (session_.last_line_no() == 0) return nullptr;
  for (const auto& line : session_.lines())
    if (line.line_no() == session_.last_line_no()) return &line;
  return nullptr;
}

QString SessionController::totalText() const {
  return moneyText(session_.totals().total_ore());
}

QString SessionController::savingsText() const {
  const std::int64_t saved = session_.totals().discount_ore();
  return saved > 0 ? tr("Du sparar %1").arg(moneyText(saved)) : QString();
}

QString SessionController::memberText() const {
  return member() ? tr("Medlem %1").arg(QString::fromStdString(session_.member().masked_number())) : QString();
}

QString SessionController::depositText() const {
  const std::int64_t pant = session_.totals().deposit_ore();
  return pant > 0 ? tr("varav pant %1").arg(moneyText(pant)) : QString();
}

QString SessionController::vatText() const {
  std::int64_t vat = 0;
  for (const auto& v : session_.totals().vat()) vat += v.vat_ore();
  return moneyText(vat);
}

QString SessionController::lastItemName() const {
  const auto* line = lastLine();
  return line ? basket_.nameOf(*line) : QString();
}

QString SessionController::lastItemQuantityText() const {
  const auto* line = lastLine();
  return line ? BasketModel::quantityText(*line) : QString();
}

QString SessionController::lastItemUnitPriceText() const {
  const auto* line = lastLine();
  return line ? BasketModel::unitPriceText(*line) : QString();
}

QString SessionController::lastItemPriceText() const {
  const auto* line = lastLine();
  return line ? moneyText(line->line_total_ore()) : QString();
}

// What the sensor saw, in words that never blame the shopper (UX.md: no "unexpected", "error", "you did").
QString SessionController::attendantReasonText() const {
  switch (session_.attendant().reason()) {
    case kiosk::v1::ATTENDANT_REASON_WEIGHT_MISMATCH:
      return tr("Vikten stämmer inte – kontrollera påsen");
    case kiosk::v1::ATTENDANT_REASON_UNEXPECTED_ITEM:
      return tr("Vågen känner av en vara som inte är skannad");
    case kiosk::v1::ATTENDANT_REASON_ITEM_REMOVED:
      return tr("En vara har lyfts ur påsen");
    case kiosk::v1::ATTENDANT_REASON_AGE_CHECK: {
      std::uint32_t limit = 18;
      for (const auto& line : session_.lines())
        if (line.line_no() == session_.attendant().line_no() && line.age_limit() > 0) limit = line.age_limit();
      return tr("Åldersgräns %1 år – personal godkänner före betalning").arg(limit);
    }
    case kiosk::v1::ATTENDANT_REASON_HELP_REQUESTED:
      return tr("Du har bett om hjälp");
    case kiosk::v1::ATTENDANT_REASON_PAYMENT_FAULT:
      return tr("Kortterminalen svarar inte just nu");
    case kiosk::v1::ATTENDANT_REASON_UNKNOWN_ITEM:
      return tr("Varan finns inte i kassan");
    case kiosk::v1::ATTENDANT_REASON_DEVICE_FAULT:
      return tr("Vågen behöver ses över");
    default:
      return tr("Personal behöver titta på köpet");
  }
}

QString SessionController::attendantNextStepText() const {
  switch (session_.attendant().reason()) {
    case kiosk::v1::ATTENDANT_REASON_WEIGHT_MISMATCH:
      return tr("Lägg bara den skannade varan i påsen. Personal kommer och hjälper dig.");
    case kiosk::v1::ATTENDANT_REASON_UNEXPECTED_ITEM:
      return tr("Skanna varan eller ta upp den ur påsen. Personal kommer och hjälper dig.");
    case kiosk::v1::ATTENDANT_REASON_ITEM_REMOVED:
      return tr("Lägg tillbaka varan i påsen.");
    case kiosk::v1::ATTENDANT_REASON_AGE_CHECK:
      return tr("Du kan fortsätta skanna medan du väntar.");
    default:
      return tr("Personal kommer och hjälper dig.");
  }
}

// Notice keys from checkout (Session.notice) to the instruction line.
QString SessionController::noticeText() const {
  const std::string& key = session_.notice();
  if (key.empty()) return {};
  if (key == "payment_declined" || key == "payment_aborted" || key == "payment_failed")
    return tr("Betalningen är inte klar");
  if (key == "place_item_in_bag") return tr("Lägg varan i påsen");
  if (key == "place_on_scale") return tr("Lägg varan på vågen");  // a per-kg item waits to be weighed
  if (key == "code_not_read") return tr("Streckkoden gick inte att läsa");
  if (key == "unknown_item") return tr("Varan finns inte i kassan");
  if (key == "age_check_pending") return tr("Åldersgräns – personal godkänner före betalning");
  if (key == "line_removed") return tr("Varan är borttagen");
  if (key == "member_card_registered") return tr("Kundkortet är registrerat – medlemspriser gäller");
  qWarning().noquote() << "no text for checkout notice" << QString::fromStdString(key);
  return {};
}

bool SessionController::paymentDeclined() const {
  switch (session_.payment().outcome()) {
    case kiosk::v1::PAYMENT_OUTCOME_DECLINED:
    case kiosk::v1::PAYMENT_OUTCOME_ABORTED:
    case kiosk::v1::PAYMENT_OUTCOME_FAILED:
      return true;
    default:
      return false;
  }
}

void SessionController::setLanguage(const QString& language) {
  const QString lang = language == QLatin1String("en") ? QStringLiteral("en") : QStringLiteral("sv");
  if (lang == language_) return;
  language_ = lang;
  basket_.setLanguage(lang);
  emit languageChanged();
  emit sessionChanged();  // re-read every text in the new language
}

void SessionController::send(kiosk::v1::ActRequest request) {
  backend_.act(std::move(request));
}

void SessionController::start() {
  kiosk::v1::ActRequest r;
  r.mutable_start();
  send(std::move(r));
}

void SessionController::pay() {
  kiosk::v1::ActRequest r;
  r.mutable_pay();
  send(std::move(r));
}

void SessionController::cancelPayment() {
  kiosk::v1::ActRequest r;
  r.mutable_cancel_payment();
  send(std::move(r));
}

void SessionController::requestHelp() {
  kiosk::v1::ActRequest r;
  r.mutable_request_help();
  send(std::move(r));
}

void SessionController::finishReceipt(const QString& choice) {
  using Choice = kiosk::v1::ActRequest::FinishReceipt;
  kiosk::v1::ActRequest r;
  if (choice == QLatin1String("print"))
    r.mutable_finish_receipt()->set_choice(Choice::CHOICE_PRINT);
  else if (choice == QLatin1String("digital"))
    r.mutable_finish_receipt()->set_choice(Choice::CHOICE_DIGITAL);
  else
    r.mutable_finish_receipt()->set_choice(Choice::CHOICE_NONE);
  send(std::move(r));
  receiptChosen_ = true;
  thankYouTimer_.start();
  updateState();
}

void SessionController::enterCode(const QString& code) {
  kiosk::v1::ActRequest r;
  r.mutable_enter_code()->set_code(code.trimmed().toStdString());
  send(std::move(r));
}

void SessionController::removeLine(int lineNo) {
  if (lineNo <= 0) return;
  kiosk::v1::ActRequest r;
  r.mutable_remove_line()->set_line_no(static_cast<std::uint32_t>(lineNo));
  send(std::move(r));
}

kiosk::v1::ActRequest SessionController::attendantRequest(const QString& pin) const {
  kiosk::v1::ActRequest r;
  r.mutable_attendant()->set_attendant_id(attendantId_.toStdString());
  r.mutable_attendant()->set_pin(pin.toStdString());
  return r;
}

void SessionController::resolve(const QString& decision, const QString& pin) {
  using Decision = kiosk::v1::ResolveAlertRequest;
  auto r = attendantRequest(pin);
  auto* resolve = r.mutable_resolve();
  if (decision == QLatin1String("accept_weight"))
    resolve->set_decision(Decision::DECISION_ACCEPT_WEIGHT);
  else if (decision == QLatin1String("item_removed"))
    resolve->set_decision(Decision::DECISION_ITEM_REMOVED);
  else if (decision == QLatin1String("override"))
    resolve->set_decision(Decision::DECISION_OVERRIDE);
  send(std::move(r));
}

void SessionController::approveAge(const QString& pin) {
  auto r = attendantRequest(pin);
  r.mutable_approve_age();
  send(std::move(r));
}

void SessionController::voidLine(int lineNo, const QString& pin) {
  if (lineNo <= 0) return;
  auto r = attendantRequest(pin);
  r.mutable_void_line()->set_line_no(static_cast<std::uint32_t>(lineNo));
  send(std::move(r));
}

void SessionController::cancelSale(const QString& pin) {
  auto r = attendantRequest(pin);
  r.mutable_cancel_sale();
  send(std::move(r));
}

}  // namespace kiosk::ui
