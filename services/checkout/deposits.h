#pragma once
// Deposit (pant) lines: every sold unit of a bottle or can carries the deposit of its product's deposit
// code, as its own basket line tied to the item (DESIGN.md). The amounts per code come from the
// configuration ([checkout.deposits], code → öre); a product whose code the lane does not know is not
// sold (it would otherwise go out without its pant).
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/config.h"
#include "common/result.h"
#include "kiosk/v1/checkout.pb.h"

namespace kiosk::checkout {

class DepositTable {
 public:
  // Sweden's Returpack rates: PANT1 = 1 kr (cans, PET up to 1 l), PANT2 = 2 kr (PET over 1 l).
  static DepositTable returpack();
  // Codes (letters, digits, '-', '_', up to 16) to amounts in öre (1..100000). Errors name the code.
  static Result<DepositTable> make(std::map<std::string, std::int64_t> amounts);
  // [checkout.deposits] of the config; returpack() when the table is absent. An error names the key.
  static Result<DepositTable> from_config(const Config& config);

  // The deposit of one unit in öre, nullopt for a code the table does not have.
  std::optional<std::int64_t> amount(const std::string& code) const;
  const std::map<std::string, std::int64_t>& amounts() const { return amounts_; }

 private:
  std::map<std::string, std::int64_t> amounts_;
};

// The pant line for `item` (already priced): line `line_no`, `amount_ore` a unit, the item's VAT rate.
v1::BasketLine deposit_line(const v1::BasketLine& item, const std::string& code, std::int64_t amount_ore,
                            std::uint32_t line_no);

// Each pant line follows its item: voided with it, one unit per piece (a per-kg item counts one), its
// total and VAT recomputed. Lines are in basket order (an item before its pant line).
void follow_items(google::protobuf::RepeatedPtrField<v1::BasketLine>& lines);

}  // namespace kiosk::checkout
