#pragma once
// Money and weight as the shopper reads them. Computed in C++ from integers (öre, mg); QML never does
// arithmetic on money.
#include <QString>
#include <cstdint>

namespace kiosk::ui {

// 129000 -> "1 290,00 kr"
QString moneyText(std::int64_t ore);
// per-kg price: 2990 -> "29,90 kr/kg"
QString pricePerKgText(std::int64_t orePerKg);
// 482300 mg -> "0,482 kg" (rounded to whole grams)
QString weightText(std::int64_t mg);

}  // namespace kiosk::ui
