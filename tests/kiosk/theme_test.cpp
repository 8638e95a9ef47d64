#include <catch2/catch.hpp>

#include "kiosk/theme.h"
#include "qt_test_support.h"

using kiosk::ui::Theme;

TEST_CASE("contrast ratio matches WCAG reference values", "[kiosk][theme]") {
  CHECK(Theme::contrastRatio(Qt::black, Qt::white) == Approx(21.0));
  CHECK(Theme::contrastRatio(Qt::white, Qt::white) == Approx(1.0));
  CHECK(Theme::contrastRatio(QColor(0x77, 0x77, 0x77), Qt::white) == Approx(4.48).margin(0.01));
}

TEST_CASE("every text colour has at least 4.5:1 against its background, controls 3:1", "[kiosk][theme]") {
  kiosk::ui::test::app();
  Theme t(4.0);
  const std::pair<QColor, QColor> textPairs[] = {
      {t.text(), t.background()},
      {t.text(), t.surface()},
      {t.textMuted(), t.background()},
      {t.textMuted(), t.surface()},
      {t.onPrimary(), t.primary()},
      {t.onSecondary(), t.secondary()},
      {t.onHelp(), t.help()},
      {t.onAttention(), t.attention()},
      {t.onAlert(), t.alert()},
      {t.primary(), t.background()},
      {t.textMuted(), QColor(0xD6, 0xD4, 0xCE)},  // disabled button
  };
  for (const auto& [fg, bg] : textPairs) {
    INFO(fg.name().toStdString() << " on " << bg.name().toStdString());
    CHECK(Theme::contrastRatio(fg, bg) >= 4.5);
  }
  CHECK(Theme::contrastRatio(t.border(), t.background()) >= 3.0);
  CHECK(Theme::contrastRatio(t.text(), t.background()) >= 7.0);  // glare target for body text
}

TEST_CASE("sizes are millimetres on the glass", "[kiosk][theme]") {
  kiosk::ui::test::app();
  Theme small(5.65);                                 // 15.6" 1080p: 1920 px / 344 mm
  Theme large(4.03);                                 // 21.5" 1080p
  CHECK(small.touchMin() == Approx(113).margin(1));  // UX.md: ≈ 111 px
  CHECK(large.touchMin() == Approx(81).margin(1));   // UX.md: ≈ 81 px
  CHECK(small.gap() >= small.mm(3));
  // body capitals ≈ 5 mm: DejaVu Sans caps are 0.729 em
  CHECK(large.bodyPx() * 0.729 / large.pxPerMm() == Approx(5.0).margin(0.2));
  CHECK(large.hugePx() >= 2 * large.bodyPx() - 1);
  large.setLargeText(true);
  CHECK(large.bodyPx() * 0.729 / large.pxPerMm() == Approx(7.3).margin(0.2));
}

TEST_CASE("KIOSK_PX_PER_MM overrides the configured density", "[kiosk][theme]") {
  kiosk::ui::test::app();
  qputenv("KIOSK_PX_PER_MM", "6.5");
  CHECK(Theme::resolvePxPerMm(4.0) == Approx(6.5));
  qunsetenv("KIOSK_PX_PER_MM");
  CHECK(Theme::resolvePxPerMm(4.0) == Approx(4.0));
  CHECK(Theme::resolvePxPerMm(0) > 3.0);  // offscreen: the default 21.5" panel
}
