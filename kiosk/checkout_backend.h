#pragma once
// The kiosk's view of the checkout service: session snapshots in, shopper and attendant intents out.
// SessionController depends only on this interface, so the gRPC client stays at the edge and tests can
// serve canned sessions through any implementation.
#include <QObject>
#include <QString>

#include "kiosk/v1/checkout.pb.h"

namespace kiosk::ui {

class CheckoutBackend : public QObject {
  Q_OBJECT

 public:
  using QObject::QObject;
  ~CheckoutBackend() override = default;

  // Begins watching the session. Snapshots arrive through sessionReceived on this object's thread.
  virtual void start() = 0;
  // Sends one intent without blocking the caller; the outcome arrives as a snapshot or as actFailed.
  // An empty request_id is filled with a fresh one.
  virtual void act(kiosk::v1::ActRequest request) = 0;

 signals:
  void sessionReceived(const kiosk::v1::Session& session);
  void connectedChanged(bool connected);
  // action: the intent's name (e.g. "pay"); message: why the checkout refused or could not be reached.
  void actFailed(const QString& action, const QString& message);
};

}  // namespace kiosk::ui
