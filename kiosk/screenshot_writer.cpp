#include "screenshot_writer.h"

#include <QDebug>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQuickWindow>
#include <QSaveFile>
#include <QTimer>

#include "money_text.h"
#include "session_controller.h"

namespace kiosk::ui {

ScreenshotWriter::ScreenshotWriter(QQuickWindow& window, SessionController& controller, const QDir& dir,
                                   QObject* parent)
    : QObject(parent), window_(window), controller_(controller), dir_(dir) {
  dir_.mkpath(QStringLiteral("."));
  connect(&controller_, &SessionController::stateChanged, this, &ScreenshotWriter::onChange);
  connect(&controller_, &SessionController::sessionChanged, this, &ScreenshotWriter::onChange);
  // frameSwapped may come from the render thread; capture on ours once the changed scene is on screen.
  connect(
      &window_, &QQuickWindow::frameSwapped, this,
      [this] {
        if (pending_) QTimer::singleShot(0, this, &ScreenshotWriter::capture);
      },
      Qt::QueuedConnection);
  onChange();  // the first screen
}

void ScreenshotWriter::onChange() {
  pending_ = true;
  window_.update();  // make sure a frame follows even if nothing visible changed
}

void ScreenshotWriter::capture() {
  if (!pending_) return;
  pending_ = false;
  const QString state = controller_.stateName();
  const QString key = state + QLatin1Char('/') + QString::number(controller_.revision());
  if (key == lastKey_) return;
  lastKey_ = key;

  const QString base = QStringLiteral("%1-%2").arg(++counter_, 3, 10, QLatin1Char('0')).arg(state);
  const QImage image = window_.grabWindow();
  const QString png = dir_.filePath(base + QStringLiteral(".png"));
  // Written whole or not at all (QSaveFile renames into place); the JSON comes last.
  QSaveFile pngFile(png);
  if (image.isNull() || !pngFile.open(QIODevice::WriteOnly) || !image.save(&pngFile, "PNG") || !pngFile.commit()) {
    qWarning().noquote() << "cannot write screenshot" << png;
    return;
  }

  QJsonArray lines;
  const auto& basket = controller_.basketModel();
  for (const auto& line : basket.lines()) {
    QJsonObject o{{QStringLiteral("name"), basket.nameOf(line)},
                  {QStringLiteral("total"), moneyText(line.line_total_ore())}};
    if (line.voided()) o.insert(QStringLiteral("voided"), true);
    if (line.deposit_for() != 0) o.insert(QStringLiteral("deposit_for"), static_cast<int>(line.deposit_for()));
    lines.append(o);
  }
  const QJsonObject doc{{QStringLiteral("state"), state},
                        {QStringLiteral("revision"), static_cast<qint64>(controller_.revision())},
                        {QStringLiteral("lines"), lines},
                        {QStringLiteral("total"), controller_.totalText()},
                        {QStringLiteral("member"), controller_.memberText()}};
  QSaveFile json(dir_.filePath(base + QStringLiteral(".json")));
  if (!json.open(QIODevice::WriteOnly) || json.write(QJsonDocument(doc).toJson(QJsonDocument::Indented)) < 0 ||
      !json.commit()) {
    qWarning().noquote() << "cannot write" << json.fileName();
    return;
  }
  lastPath_ = png;
  emit screenshotWritten(png);
}

}  // namespace kiosk::ui
