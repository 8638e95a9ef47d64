#include "theme.h"

#include <QGuiApplication>
#include <QScreen>
#include <cmath>

namespace kiosk::ui {
namespace {

// 21.5" 16:9 at 1920 x 1080: 1920 px over 476 mm.
constexpr qreal kDefaultPxPerMm = 1920.0 / 476.0;

double linear(double c) {
  c /= 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& c) {
  return 0.2126 * linear(c.red()) + 0.7152 * linear(c.green()) + 0.0722 * linear(c.blue());
}

}  // namespace

Theme::Theme(qreal pxPerMm, QObject* parent) : QObject(parent), pxPerMm_(pxPerMm > 0 ? pxPerMm : kDefaultPxPerMm) {}

qreal Theme::resolvePxPerMm(qreal configured) {
  bool ok = false;
  const qreal fromEnv = qEnvironmentVariable("KIOSK_PX_PER_MM").toDouble(&ok);
  if (ok && fromEnv > 0) return fromEnv;
  if (configured > 0) return configured;
  if (QGuiApplication::platformName() == QLatin1String("offscreen") || !QGuiApplication::primaryScreen())
    return kDefaultPxPerMm;
  const qreal dpi = QGuiApplication::primaryScreen()->physicalDotsPerInch();
  // Panels that report no size give nonsense; fall back to the default panel.
  if (dpi < 40 || dpi > 600) return kDefaultPxPerMm;
  return dpi / 25.4;
}

double Theme::contrastRatio(const QColor& a, const QColor& b) {
  const double la = luminance(a);
  const double lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void Theme::setLargeText(bool on) {
  if (largeText_ == on) return;
  largeText_ = on;
  emit changed();
}

}  // namespace kiosk::ui
