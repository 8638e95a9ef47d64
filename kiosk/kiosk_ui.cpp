#include "kiosk_ui.h"

#include <QDebug>
#include <QGuiApplication>
#include <QQmlContext>
#include <QQuickWindow>
#include <QtQml>

namespace kiosk::ui {

KioskUi::KioskUi(CheckoutBackend& backend, const KioskUiOptions& options, QObject* parent)
    : QObject(parent),
      options_(options),
      controller_(std::make_unique<SessionController>(backend, options.thankYouMs)),
      theme_(std::make_unique<Theme>(Theme::resolvePxPerMm(options.pxPerMm))) {
  controller_->setAttendantId(options.attendantId);
  connect(controller_.get(), &SessionController::languageChanged, this, &KioskUi::applyLanguage);
}

KioskUi::~KioskUi() {
  // The scene binds to the controller and theme: tear it down first.
  engine_.reset();
}

void KioskUi::applyLanguage() {
  if (translatorInstalled_) {
    QCoreApplication::removeTranslator(&translator_);
    translatorInstalled_ = false;
  }
  if (controller_->language() == QLatin1String("en")) {
    if (translator_.load(QStringLiteral(":/kiosk/i18n/kiosk_en.qm")))
      translatorInstalled_ = QCoreApplication::installTranslator(&translator_);
    else
      qWarning() << "English translation missing from resources";
  }
  if (engine_) engine_->retranslate();
}

bool KioskUi::load(QString* error) {
  // Registered once per process; each engine gets the controller and theme of the KioskUi that made it
  // (the engine carries them as properties), so tests can build several scenes in turn.
  static const bool registered = [] {
    qmlRegisterUncreatableType<BasketModel>("Kiosk", 1, 0, "BasketModel", QStringLiteral("from Session.basket"));
    qmlRegisterSingletonType<SessionController>("Kiosk", 1, 0, "Session", [](QQmlEngine* e, QJSEngine*) {
      auto* o = e->property("kioskSession").value<QObject*>();
      QJSEngine::setObjectOwnership(o, QJSEngine::CppOwnership);
      return o;
    });
    qmlRegisterSingletonType<Theme>("Kiosk", 1, 0, "Theme", [](QQmlEngine* e, QJSEngine*) {
      auto* o = e->property("kioskTheme").value<QObject*>();
      QJSEngine::setObjectOwnership(o, QJSEngine::CppOwnership);
      return o;
    });
    return true;
  }();
  (void)registered;

  // Headless (offscreen) runs render in software: no GPU, and grabWindow works the same.
  if (QGuiApplication::platformName() == QLatin1String("offscreen") &&
      qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND") && QQuickWindow::graphicsApi() != QSGRendererInterface::Software)
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
  engine_ = std::make_unique<QQmlApplicationEngine>();
  engine_->setProperty("kioskSession", QVariant::fromValue<QObject*>(controller_.get()));
  engine_->setProperty("kioskTheme", QVariant::fromValue<QObject*>(theme_.get()));
  engine_->setInitialProperties({{QStringLiteral("width"), options_.size.width()},
                                 {QStringLiteral("height"), options_.size.height()},
                                 {QStringLiteral("attendantMode"), options_.attendant}});
  QStringList warnings;
  connect(engine_.get(), &QQmlApplicationEngine::warnings, this, [&warnings](const QList<QQmlError>& list) {
    for (const auto& w : list) warnings << w.toString();
  });
  controller_->setLanguage(options_.language);
  applyLanguage();
  engine_->load(QUrl(QStringLiteral("qrc:/kiosk/qml/Main.qml")));
  const auto roots = engine_->rootObjects();
  window_ = roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(roots.first());
  if (!window_) {
    if (error) *error = QStringLiteral("cannot load the kiosk screens: ") + warnings.join(QLatin1Char('\n'));
    return false;
  }
  for (const auto& w : warnings) qWarning().noquote() << w;
  return true;
}

}  // namespace kiosk::ui
