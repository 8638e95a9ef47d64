#pragma once
// Builds the QML scene for a backend: registers the controller and theme as QML singletons
// ("import Kiosk 1.0": Session, Theme), installs the English translator when asked, loads
// qrc:/kiosk/qml/Main.qml. Shared by the executable and the tests.
#include <QObject>
#include <QQmlApplicationEngine>
#include <QSize>
#include <QTranslator>
#include <memory>

#include "kiosk/checkout_backend.h"
#include "kiosk/session_controller.h"
#include "kiosk/theme.h"

class QQuickWindow;

namespace kiosk::ui {

struct KioskUiOptions {
  qreal pxPerMm = 0;       // 0: from the screen (see Theme::resolvePxPerMm)
  QSize size{1920, 1080};  // window size in px (landscape default)
  bool attendant = false;  // attendant view instead of the shopper view
  QString language = QStringLiteral("sv");
  QString attendantId;
  int thankYouMs = 6000;
};

class KioskUi final : public QObject {
  Q_OBJECT

 public:
  KioskUi(CheckoutBackend& backend, const KioskUiOptions& options, QObject* parent = nullptr);
  ~KioskUi() override;

  // Loads the scene and shows the window; false with *error filled when QML fails to load.
  bool load(QString* error);

  QQuickWindow* window() const { return window_; }
  SessionController& controller() { return *controller_; }
  Theme& theme() { return *theme_; }
  QQmlApplicationEngine& engine() { return *engine_; }

 private:
  void applyLanguage();

  KioskUiOptions options_;
  std::unique_ptr<SessionController> controller_;
  std::unique_ptr<Theme> theme_;
  QTranslator translator_;
  bool translatorInstalled_ = false;
  std::unique_ptr<QQmlApplicationEngine> engine_;
  QQuickWindow* window_ = nullptr;
};

}  // namespace kiosk::ui
