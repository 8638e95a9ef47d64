#include "checkout/deposits.h"

#include <fmt/format.h>

#include "common/money.h"

namespace kiosk::checkout {
namespace {

constexpr std::int64_t kMaxDepositOre = 100'000;  // 1 000 kr: anything above is a typo in öre/kr

bool valid_code(const std::string& c) {
  if (c.empty() || c.size() > 16) return false;
  for (const char ch : c) {
    const bool ok =
        (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

DepositTable DepositTable::returpack() {
  DepositTable t;
  t.amounts_ = {{"PANT1", 100}, {"PANT2", 200}};
  return t;
}

Result<DepositTable> DepositTable::make(std::map<std::string, std::int64_t> amounts) {
  for (const auto& [code, ore] : amounts) {
    if (!valid_code(code)) {
      return invalid_argument(fmt::format("deposit code '{}': use 1-16 letters, digits, '-' or '_'", code));
    }
    if (ore <= 0 || ore > kMaxDepositOre) {
      return invalid_argument(
          fmt::format("deposit {}: {} öre is not an amount between 1 and {} öre", code, ore, kMaxDepositOre));
    }
  }
  DepositTable t;
  t.amounts_ = std::move(amounts);
  return t;
}

Result<DepositTable> DepositTable::from_config(const Config& config) {
  const toml::node* node = config.table().at_path("checkout.deposits").node();
  if (node == nullptr) return returpack();
  const toml::table* table = node->as_table();
  if (table == nullptr) return invalid_argument("[checkout] deposits must be a table of code = öre");
  std::map<std::string, std::int64_t> amounts;
  for (const auto& [key, value] : *table) {
    const auto ore = value.value<std::int64_t>();
    if (!value.is_integer() || !ore) {
      return invalid_argument(fmt::format("[checkout.deposits] {}: the amount must be whole öre", key.str()));
    }
    amounts[std::string(key.str())] = *ore;
  }
  auto t = make(std::move(amounts));
  if (!t) return invalid_argument("[checkout.deposits] " + t.message());
  return t;
}

std::optional<std::int64_t> DepositTable::amount(const std::string& code) const {
  auto it = amounts_.find(code);
  if (it == amounts_.end()) return std::nullopt;
  return it->second;
}

v1::BasketLine deposit_line(const v1::BasketLine& item, const std::string& code, std::int64_t amount_ore,
                            std::uint32_t line_no) {
  v1::BasketLine d;
  d.set_line_no(line_no);
  d.set_name_sv("Pant");
  d.set_name_en("Deposit");
  d.set_unit(v1::SALE_UNIT_EACH);
  d.set_unit_price_ore(amount_ore);
  // The deposit is part of the beverage's taxable amount: same rate as the item.
  d.set_vat_rate_bp(item.vat_rate_bp());
  d.set_bagged(true);  // its weight is the item's
  d.set_deposit_for(item.line_no());
  d.set_deposit_code(code);
  d.set_quantity(item.unit() == v1::SALE_UNIT_PER_KG ? 1 : item.quantity());
  d.set_line_total_ore(d.quantity() * amount_ore);
  d.set_vat_ore(vat_included(d.line_total_ore(), d.vat_rate_bp()));
  return d;
}

void follow_items(google::protobuf::RepeatedPtrField<v1::BasketLine>& lines) {
  for (auto& d : lines) {
    if (d.deposit_for() == 0) continue;
    const v1::BasketLine* item = nullptr;
    for (const auto& l : lines) {
      if (l.line_no() == d.deposit_for()) item = &l;
    }
    if (item == nullptr) {
      d.set_voided(true);  // an orphan pant line is never charged
      continue;
    }
    d.set_voided(item->voided());
    d.set_quantity(item->unit() == v1::SALE_UNIT_PER_KG ? 1 : item->quantity());
    d.set_line_total_ore(d.quantity() * d.unit_price_ore());
    d.set_discount_ore(0);  // deposits are never discounted
    d.set_vat_ore(vat_included(d.line_total_ore(), d.vat_rate_bp()));
  }
}

}  // namespace kiosk::checkout
