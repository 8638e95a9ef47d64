#pragma once
// The pricing function: which promotions a basket earns, as per-line discounts in whole öre. Pure and
// deterministic (same lines, promotions, time and member flag -> same answer); no storage, no gRPC.
//
// Rule when promotions overlap (share products): every piece (or weighed line) takes part in at most
// one promotion. Promotions that share products are tried in every order (up to 6 in one overlapping
// group; beyond that, in order of the discount each would give alone); in each order a promotion takes
// the most expensive eligible pieces first, as many times as it saves money. The order giving the
// shopper the largest total discount wins; equal totals go to the first order by promotion id.
// A bundle's saving is shared between its pieces in proportion to their prices (öre left over go to
// the first pieces); buy-X-pay-Y makes its cheapest pieces free.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/money.h"
#include "common/result.h"
#include "promotions.h"

namespace kiosk::catalog {

struct BasketLine {
  std::string gtin14;
  std::int64_t quantity = 1;  // pieces; ignored when weight_mg > 0
  Milligrams weight_mg = 0;   // > 0 for goods sold by weight: unit_price_ore is then per kg
  Ore unit_price_ore = 0;     // the regular price of one piece (or one kg)
};

struct LineDiscount {
  std::size_t line = 0;  // index into the basket lines
  std::string promotion_id;
  std::string text;      // Swedish receipt text, see receipt_text
  Ore discount_ore = 0;  // > 0; subtract from the line's amount

  bool operator==(const LineDiscount&) const = default;
};

struct BasketPricing {
  std::vector<LineDiscount> discounts;  // by line, then promotion id
  Ore total_discount_ore = 0;
};

// The amount of a weighed line: price per kg × weight, rounded half up to whole öre.
Ore weighed_amount(Ore price_per_kg, Milligrams weight_mg);

// Checks what price_basket assumes: 1..kMaxBasketPieces pieces per line, non-negative prices and weights,
// GTIN-14 keys. The error names the line (0-based index).
inline constexpr std::int64_t kMaxBasketPieces = 10'000;
Status validate_basket(const std::vector<BasketLine>& lines);

// `promotions` may hold any promotions; only those active at `now_unix_ms` (and members_only ones only
// when `member`) that name a product in the basket count.
BasketPricing price_basket(const std::vector<BasketLine>& lines, const std::vector<Promotion>& promotions,
                           std::int64_t now_unix_ms, bool member);

}  // namespace kiosk::catalog
