#pragma once
// --screenshots DIR: each time the shown screen changes (state or session revision), waits for the
// next rendered frame, grabs the window to DIR/NNN-<state>.png and writes DIR/NNN-<state>.json:
//   {"state": "scanning", "revision": 7, "lines": [{"name": "Mjölk", "total": "12,90 kr"}], "total": "12,90 kr"}
// Lines are the basket lines as listed on screen (voided ones carry "voided": true).
#include <QDir>
#include <QObject>
#include <QString>

class QQuickWindow;

namespace kiosk::ui {

class SessionController;

class ScreenshotWriter final : public QObject {
  Q_OBJECT

 public:
  ScreenshotWriter(QQuickWindow& window, SessionController& controller, const QDir& dir, QObject* parent = nullptr);

  int written() const { return counter_; }
  QString lastPath() const { return lastPath_; }  // the last PNG written

 signals:
  void screenshotWritten(const QString& pngPath);

 private:
  void onChange();
  void capture();

  QQuickWindow& window_;
  SessionController& controller_;
  QDir dir_;
  bool pending_ = false;
  QString lastKey_;
  int counter_ = 0;
  QString lastPath_;
};

}  // namespace kiosk::ui
