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
  std::string code;                                // as scanned or typed
  std::uint64_t scan_seq = 0;                      // Vision ScanEvent.seq (0 for typed codes)
};

// Prices one line. `day` is the sale's local date (VAT rate in force). Per-kg products need a weight
// (or a price) from the label; an error says so and nothing is added.
Result<v1::BasketLine> price_line(const ScannedItem& item, std::uint32_t line_no, Day day, const VatTable& vat);

// Totals over the lines that are not voided: total, VAT per rate (net/vat/gross, ascending rate), and
// item count (pieces; a per-kg line counts one).
v1::Totals basket_totals(const google::protobuf::RepeatedPtrField<v1::BasketLine>& lines);

}  // namespace kiosk::checkout
