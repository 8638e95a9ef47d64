#pragma once
// The shopper's session as QML sees it: the checkout's state (plus Disconnected and the UI-only
// ThankYou after the receipt choice), display texts computed in C++ (money from öre, copy through
// tr()), the basket model, and the intents QML may send. The state machine itself lives in checkout;
// this class only presents its snapshots.
#include <QObject>
#include <QString>
#include <QTimer>

#include "kiosk/basket_model.h"
#include "kiosk/checkout_backend.h"

namespace kiosk::ui {

class SessionController final : public QObject {
  Q_OBJECT
  Q_PROPERTY(State state READ state NOTIFY stateChanged)
  Q_PROPERTY(QString stateName READ stateName NOTIFY stateChanged)
  Q_PROPERTY(bool connected READ connected NOTIFY connectedChanged)
  Q_PROPERTY(qulonglong revision READ revision NOTIFY sessionChanged)
  Q_PROPERTY(kiosk::ui::BasketModel* basket READ basket CONSTANT)
  Q_PROPERTY(QString totalText READ totalText NOTIFY sessionChanged)
  Q_PROPERTY(QString savingsText READ savingsText NOTIFY sessionChanged)  // promotions in the total; "" for none
  Q_PROPERTY(bool member READ member NOTIFY sessionChanged)               // a loyalty card was scanned
  Q_PROPERTY(QString memberText READ memberText NOTIFY sessionChanged)    // "Medlem ****4567", "" for none
  Q_PROPERTY(QString depositText READ depositText NOTIFY sessionChanged)  // "varav pant 3,00 kr", "" for none
  Q_PROPERTY(QString vatText READ vatText NOTIFY sessionChanged)
  Q_PROPERTY(int itemCount READ itemCount NOTIFY sessionChanged)
  Q_PROPERTY(bool hasLastItem READ hasLastItem NOTIFY sessionChanged)
  Q_PROPERTY(int lastItemLineNo READ lastItemLineNo NOTIFY sessionChanged)
  Q_PROPERTY(QString lastItemName READ lastItemName NOTIFY sessionChanged)
  Q_PROPERTY(QString lastItemQuantityText READ lastItemQuantityText NOTIFY sessionChanged)
  Q_PROPERTY(QString lastItemUnitPriceText READ lastItemUnitPriceText NOTIFY sessionChanged)
  Q_PROPERTY(QString lastItemPriceText READ lastItemPriceText NOTIFY sessionChanged)
  Q_PROPERTY(QString attendantReasonText READ attendantReasonText NOTIFY sessionChanged)
  Q_PROPERTY(QString attendantNextStepText READ attendantNextStepText NOTIFY sessionChanged)
  Q_PROPERTY(QString attendantDetail READ attendantDetail NOTIFY sessionChanged)
  Q_PROPERTY(int attendantLineNo READ attendantLineNo NOTIFY sessionChanged)
  Q_PROPERTY(int attendantReason READ attendantReason NOTIFY sessionChanged)
  Q_PROPERTY(QString noticeText READ noticeText NOTIFY sessionChanged)
  Q_PROPERTY(QString paymentPrompt READ paymentPrompt NOTIFY sessionChanged)
  Q_PROPERTY(bool paymentDeclined READ paymentDeclined NOTIFY sessionChanged)
  Q_PROPERTY(int pendingAgeChecks READ pendingAgeChecks NOTIFY sessionChanged)
  Q_PROPERTY(int receiptNumber READ receiptNumber NOTIFY sessionChanged)
  Q_PROPERTY(QString receiptText READ receiptText NOTIFY sessionChanged)
  Q_PROPERTY(int lane READ lane NOTIFY sessionChanged)
  Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
  Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

 public:
  enum State { Disconnected, Idle, Scanning, WaitingForBagging, NeedsAttendant, Paying, Receipt, ThankYou };
  Q_ENUM(State)

  // backend: not owned; must outlive the controller. thankYouMs: how long "Tack!" shows before Welcome.
  explicit SessionController(CheckoutBackend& backend, int thankYouMs = 6000, QObject* parent = nullptr);

  State state() const { return state_; }
  // "idle", "scanning", "waiting_for_bagging", ... (screenshot file names, logs)
  QString stateName() const { return stateName(state_); }
  static QString stateName(State s);
  bool connected() const { return connected_; }
  qulonglong revision() const { return session_.revision(); }
  const kiosk::v1::Session& session() const { return session_; }
  BasketModel* basket() { return &basket_; }
  const BasketModel& basketModel() const { return basket_; }

  QString totalText() const;
  QString vatText() const;      // VAT contained in the total, all rates
  QString savingsText() const;  // "Du sparar 7,70 kr", or "" without promotions
  bool member() const { return session_.has_member() && !session_.member().masked_number().empty(); }
  QString memberText() const;
  QString depositText() const;
  int itemCount() const { return static_cast<int>(session_.totals().item_count()); }
  bool hasLastItem() const { return lastLine() != nullptr; }
  int lastItemLineNo() const { return static_cast<int>(session_.last_line_no()); }
  QString lastItemName() const;
  QString lastItemQuantityText() const;
  QString lastItemUnitPriceText() const;
  QString lastItemPriceText() const;
  QString attendantReasonText() const;
  QString attendantNextStepText() const;
  QString attendantDetail() const { return QString::fromStdString(session_.attendant().detail()); }
  int attendantLineNo() const { return static_cast<int>(session_.attendant().line_no()); }
  int attendantReason() const { return session_.attendant().reason(); }
  QString noticeText() const;
  QString paymentPrompt() const { return QString::fromStdString(session_.payment().prompt()); }
  bool paymentDeclined() const;
  int pendingAgeChecks() const { return static_cast<int>(session_.pending_age_checks()); }
  int receiptNumber() const { return static_cast<int>(session_.receipt_number()); }
  QString receiptText() const { return QString::fromStdString(session_.receipt_text()); }
  int lane() const { return static_cast<int>(session_.lane()); }
  QString language() const { return language_; }
  void setLanguage(const QString& language);
  QString lastError() const { return lastError_; }

  // Attendant credentials for the attendant view (the PIN is typed on the PIN pad each time).
  void setAttendantId(const QString& id) { attendantId_ = id; }

  // Shopper intents.
  Q_INVOKABLE void start();
  Q_INVOKABLE void pay();
  Q_INVOKABLE void cancelPayment();
  Q_INVOKABLE void requestHelp();
  // choice: "print", "digital" or "none"
  Q_INVOKABLE void finishReceipt(const QString& choice);
  Q_INVOKABLE void enterCode(const QString& code);
  Q_INVOKABLE void removeLine(int lineNo);
  // Attendant actions; each carries the typed PIN. decision: "accept_weight", "item_removed", "override".
  Q_INVOKABLE void resolve(const QString& decision, const QString& pin);
  Q_INVOKABLE void approveAge(const QString& pin);
  Q_INVOKABLE void voidLine(int lineNo, const QString& pin);
  Q_INVOKABLE void cancelSale(const QString& pin);

 signals:
  void stateChanged();
  void sessionChanged();
  void connectedChanged();
  void languageChanged();
  void lastErrorChanged();

 private:
  void onSession(const kiosk::v1::Session& session);
  void onConnected(bool connected);
  void onActFailed(const QString& action, const QString& message);
  void updateState();
  const kiosk::v1::BasketLine* lastLine() const;
  void send(kiosk::v1::ActRequest request);
  kiosk::v1::ActRequest attendantRequest(const QString& pin) const;

  CheckoutBackend& backend_;
  BasketModel basket_;
  kiosk::v1::Session session_;
  bool haveSession_ = false;
  bool connected_ = false;
  State state_ = Disconnected;
  QString language_ = QStringLiteral("sv");
  QString lastError_;
  QString attendantId_;
  bool receiptChosen_ = false;  // the shopper answered "Vill du ha kvitto?": show ThankYou
  QTimer thankYouTimer_;
};

}  // namespace kiosk::ui
