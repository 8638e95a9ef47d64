#pragma once
// Sizes in millimetres on the glass, converted with the screen's pixel density (UX.md: touch targets
// >= 20 x 20 mm, Pay and Help >= 25 x 40 mm, body capitals ~5 mm at 600 mm), and the palette, every
// text colour >= 4.5:1 against its background (most >= 7:1 for store glare; checked by a test).
#include <QColor>
#include <QObject>
#include <QString>

namespace kiosk::ui {

class Theme final : public QObject {
  Q_OBJECT
  Q_PROPERTY(qreal pxPerMm READ pxPerMm NOTIFY changed)
  Q_PROPERTY(bool largeText READ largeText WRITE setLargeText NOTIFY changed)
  Q_PROPERTY(QString fontFamily READ fontFamily CONSTANT)
  // Font pixel sizes chosen for cap heights in mm.
  Q_PROPERTY(int smallPx READ smallPx NOTIFY changed)      // secondary text, capitals 4 mm (5 in large text)
  Q_PROPERTY(int bodyPx READ bodyPx NOTIFY changed)        // capitals 5 mm (7.3 in large text)
  Q_PROPERTY(int titlePx READ titlePx NOTIFY changed)      // headlines, 1.5 x body
  Q_PROPERTY(int hugePx READ hugePx NOTIFY changed)        // total and last item, 2 x body
  Q_PROPERTY(qreal touchMin READ touchMin NOTIFY changed)  // 20 mm: smallest touch target side
  Q_PROPERTY(qreal gap READ gap NOTIFY changed)            // 4 mm between targets (>= 3 mm)
  Q_PROPERTY(qreal margin READ margin NOTIFY changed)      // 8 mm from the bezel
  Q_PROPERTY(QColor background READ background CONSTANT)
  Q_PROPERTY(QColor surface READ surface CONSTANT)
  Q_PROPERTY(QColor border READ border CONSTANT)
  Q_PROPERTY(QColor text READ text CONSTANT)
  Q_PROPERTY(QColor textMuted READ textMuted CONSTANT)
  Q_PROPERTY(QColor primary READ primary CONSTANT)  // Pay, confirm
  Q_PROPERTY(QColor onPrimary READ onPrimary CONSTANT)
  Q_PROPERTY(QColor secondary READ secondary CONSTANT)  // ordinary buttons
  Q_PROPERTY(QColor onSecondary READ onSecondary CONSTANT)
  Q_PROPERTY(QColor help READ help CONSTANT)  // Help, staff
  Q_PROPERTY(QColor onHelp READ onHelp CONSTANT)
  Q_PROPERTY(QColor attention READ attention CONSTANT)  // instruction line, interventions
  Q_PROPERTY(QColor onAttention READ onAttention CONSTANT)
  Q_PROPERTY(QColor alert READ alert CONSTANT)  // payment not finished (loud, never success-looking)
  Q_PROPERTY(QColor onAlert READ onAlert CONSTANT)

 public:
  // pxPerMm: pixels per millimetre of the glass.
  explicit Theme(qreal pxPerMm, QObject* parent = nullptr);

  // The density to use: KIOSK_PX_PER_MM from the environment, else configured (> 0), else the screen's
  // physical DPI; the offscreen platform reports a made-up DPI, so there we assume a 21.5" 1080p panel.
  static qreal resolvePxPerMm(qreal configured);
  // WCAG 2.1 contrast ratio of two opaque colours (1..21).
  static double contrastRatio(const QColor& a, const QColor& b);

  Q_INVOKABLE qreal mm(qreal millimetres) const { return millimetres * pxPerMm_; }

  qreal pxPerMm() const { return pxPerMm_; }
  bool largeText() const { return largeText_; }
  void setLargeText(bool on);
  QString fontFamily() const { return QStringLiteral("DejaVu Sans"); }
  int smallPx() const { return capsToPx(largeText_ ? 5.0 : 4.0); }
  int bodyPx() const { return capsToPx(largeText_ ? 7.3 : 5.0); }
  int titlePx() const { return capsToPx((largeText_ ? 7.3 : 5.0) * 1.5); }
  int hugePx() const { return capsToPx((largeText_ ? 7.3 : 5.0) * 2.0); }
  qreal touchMin() const { return mm(20); }
  qreal gap() const { return mm(4); }
  qreal margin() const { return mm(8); }

  QColor background() const { return QColor(0xF4, 0xF3, 0xEF); }
  QColor surface() const { return QColor(0xFF, 0xFF, 0xFF); }
  QColor border() const { return QColor(0x76, 0x74, 0x6E); }  // >= 3:1 on background (control edges)
  QColor text() const { return QColor(0x1A, 0x1A, 0x1A); }
  QColor textMuted() const { return QColor(0x4A, 0x48, 0x44); }
  QColor primary() const { return QColor(0x0A, 0x5C, 0x36); }
  QColor onPrimary() const { return QColor(0xFF, 0xFF, 0xFF); }
  QColor secondary() const { return QColor(0xE2, 0xE0, 0xDA); }
  QColor onSecondary() const { return QColor(0x1A, 0x1A, 0x1A); }
  QColor help() const { return QColor(0x0B, 0x3D, 0x91); }
  QColor onHelp() const { return QColor(0xFF, 0xFF, 0xFF); }
  QColor attention() const { return QColor(0xFF, 0xE0, 0x8A); }
  QColor onAttention() const { return QColor(0x1A, 0x1A, 0x1A); }
  QColor alert() const { return QColor(0xA3, 0x1B, 0x1B); }
  QColor onAlert() const { return QColor(0xFF, 0xFF, 0xFF); }

 signals:
  void changed();

 private:
  // DejaVu Sans capitals are 0.729 em high (1493/2048 units), so pixelSize = caps / 0.729.
  int capsToPx(double capsMm) const { return static_cast<int>(capsMm / 0.729 * pxPerMm_ + 0.5); }

  qreal pxPerMm_;
  bool largeText_ = false;
};

}  // namespace kiosk::ui
