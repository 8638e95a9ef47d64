#pragma once
// Basket pricing: one line per scanned item, VAT per line from the dated rate table, totals with VAT
// summed per rate. Lines are kiosk.v1 messages used as plain data (no gRPC here).
#include <cstdint>
#include <optional>

#include "common/result.h"
#include "common/vat.h"
#include "kiosk/v1/catalog.pb.h"
#include "kiosk/v1/checkout.pb.h"

namespace kiosk::checkout {

// What a scan or a typed code resolved to.
struct ScannedItem {
  v1::Product product;
  std::optional<std::int64_t> embedded_price_ore;  // variable-measure price label
  std::optional<std::int64_t> embedded_weight_mg;  // variable-measure weight label
  std::optional<std::int64_t> scale_weight_mg;     // per-kg item weighed by Scale.WeighProduce (rounded to e)
  std::string code;                                // as scanned or typed
  std::uint64_t scan_seq = 0;                      // Vision ScanEvent.seq (0 for typed codes)
};

// Whether the item is sold per kg and carries no weight or price of its own (no label, not yet weighed):
// the lane must weigh it on the scale first.
bool needs_weighing(const ScannedItem& item);

// Prices one line. `day` is the sale's local date (VAT rate in force). Per-kg products need a weight
// (label or scale) or a price from the label; an error says so and nothing is added. A label's embedded
// value wins over the scale's.
Result<v1::BasketLine> price_line(const ScannedItem& item, std::uint32_t line_no, Day day, const VatTable& vat);

// Sets each line's discount_ore from `discounts` (discounts on voided, deposit or unknown lines are dropped, a
// line's discounts never exceed its amount) and its vat_ore to the VAT in the discounted amount; fills
// each kept discount's vat_rate_bp from its line.
void apply_discounts(google::protobuf::RepeatedPtrField<v1::BasketLine>& lines,
                     google::protobuf::RepeatedPtrField<v1::PromotionDiscount>& discounts);

// Totals over the lines that are not voided: total after discounts, VAT per rate (net/vat/gross of the
// discounted amounts, ascending rate; pant lines in their item's rate), the discount total, the deposit
// total, and item count (pieces; a per-kg line counts one; pant lines do not count).
v1::Totals basket_totals(const google::protobuf::RepeatedPtrField<v1::BasketLine>& lines);

}  // namespace kiosk::checkout
