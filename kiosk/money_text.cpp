#include "money_text.h"

#include "common/money.h"

namespace kiosk::ui {

QString moneyText(std::int64_t ore) {
  return QString::fromStdString(kiosk::format_ore(ore)) + QStringLiteral(" kr");
}

QString pricePerKgText(std::int64_t orePerKg) {
  return moneyText(orePerKg) + QStringLiteral("/kg");
}

QString weightText(std::int64_t mg) {
  const bool negative = mg < 0;
  const std::int64_t absMg = negative ? -mg : mg;
  const std::int64_t grams = (absMg + 500) / 1000;
  return QStringLiteral("%1%2,%3 kg")
      .arg(negative ? QStringLiteral("-") : QString())
      .arg(grams / 1000)
      .arg(grams % 1000, 3, 10, QLatin1Char('0'));
}

}  // namespace kiosk::ui
