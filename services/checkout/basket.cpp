#include "checkout/basket.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "common/money.h"

namespace kiosk::checkout {

bool needs_weighing(const ScannedItem& item) {
  return item.product.unit() == v1::SALE_UNIT_PER_KG && !item.embedded_weight_mg && !item.embedded_price_ore &&
         !item.scale_weight_mg;
}

Result<v1::BasketLine> price_line(const ScannedItem& item, std::uint32_t line_no, Day day, const VatTable& vat) {
  const v1::Product& p = item.product;
  const int vc = static_cast<int>(p.vat_class());
  if (vc < 1 || vc > 4) {
    return failed_precondition(fmt::format("product {} has no VAT class", p.gtin14()));
  }
  auto rate = vat.rate_bp(static_cast<VatClass>(vc), day);
  if (!rate) return rate.error();

  v1::BasketLine line;
  line.set_line_no(line_no);
  line.set_gtin14(p.gtin14());
  line.set_name_sv(p.name_sv());
  line.set_name_en(p.name_en());
  line.set_unit(p.unit() == v1::SALE_UNIT_PER_KG ? v1::SALE_UNIT_PER_KG : v1::SALE_UNIT_EACH);
  line.set_unit_price_ore(p.price_ore());
  line.set_vat_rate_bp(*rate);
  line.set_age_limit(p.age_limit());
  line.set_image(p.image());

  if (line.unit() == v1::SALE_UNIT_PER_KG) {
    if (item.embedded_weight_mg) {
      if (*item.embedded_weight_mg <= 0) {
        return invalid_argument(fmt::format("code {}: weight label is {} mg", item.code, *item.embedded_weight_mg));
      }
      line.set_quantity(*item.embedded_weight_mg);
      line.set_line_total_ore(item.embedded_price_ore ? *item.embedded_price_ore
                                                      : price_for_weight(p.price_ore(), *item.embedded_weight_mg));
      line.set_expected_weight_mg(*item.embedded_weight_mg);
    } else if (item.embedded_price_ore) {
      // A price label without weight: derive the weight from the price for the bagging check.
      line.set_line_total_ore(*item.embedded_price_ore);
      const std::int64_t mg = p.price_ore() > 0 ? mul_div_round(*item.embedded_price_ore, 1'000'000, p.price_ore()) : 0;
      line.set_quantity(mg);
      line.set_expected_weight_mg(mg);
    } else if (item.scale_weight_mg) {
      // Weighed on the scale: the weight is stable, above Min and rounded to e (Scale.WeighProduce).
      if (*item.scale_weight_mg <= 0) {
        return invalid_argument(fmt::format("code {}: the scale weighed {} mg", item.code, *item.scale_weight_mg));
      }
      line.set_quantity(*item.scale_weight_mg);
      line.set_line_total_ore(price_for_weight(p.price_ore(), *item.scale_weight_mg));
      line.set_expected_weight_mg(*item.scale_weight_mg);
      line.set_weighed(true);
    } else {
      return failed_precondition(fmt::format("{} is sold per kg: weigh it on the scale first", p.name_sv()));
    }
  } else {
    line.set_quantity(1);
    line.set_line_total_ore(item.embedded_price_ore ? *item.embedded_price_ore : p.price_ore());
    line.set_expected_weight_mg(p.no_weigh() ? 0 : p.expected_weight_mg());
  }
  line.set_label_price(item.embedded_price_ore.has_value());
  if (line.line_total_ore() < 0) {
    return invalid_argument(fmt::format("code {}: negative price {}", item.code, line.line_total_ore()));
  }
  line.set_vat_ore(vat_included(line.line_total_ore(), *rate));
  return line;
}

void apply_discounts(google::protobuf::RepeatedPtrField<v1::BasketLine>& lines,
                     google::protobuf::RepeatedPtrField<v1::PromotionDiscount>& discounts) {
  std::map<std::uint32_t, v1::BasketLine*> by_no;
  for (auto& l : lines) {
    l.set_discount_ore(0);
    by_no[l.line_no()] = &l;
  }
  google::protobuf::RepeatedPtrField<v1::PromotionDiscount> kept;
  for (auto& d : discounts) {
    auto it = by_no.find(d.line_no());
    // Deposits are never discounted by promotions.
    if (it == by_no.end() || it->second->voided() || it->second->deposit_for() != 0 || d.discount_ore() <= 0) continue;
    v1::BasketLine& l = *it->second;
    // Never below zero for a line: the shopper is never paid to take an item.
    const std::int64_t room = l.line_total_ore() - l.discount_ore();
    if (room <= 0) continue;
    d.set_discount_ore(std::min(d.discount_ore(), room));
    d.set_vat_rate_bp(l.vat_rate_bp());
    l.set_discount_ore(l.discount_ore() + d.discount_ore());
    *kept.Add() = std::move(d);
  }
  discounts.Swap(&kept);
  for (auto& l : lines) l.set_vat_ore(vat_included(l.line_total_ore() - l.discount_ore(), l.vat_rate_bp()));
}

v1::Totals basket_totals(const google::protobuf::RepeatedPtrField<v1::BasketLine>& lines) {
  struct Sum {
    std::int64_t gross = 0;
    std::int64_t vat = 0;
  };
  std::map<std::int32_t, Sum> by_rate;
  v1::Totals t;
  std::int64_t total = 0;
  std::int64_t discount = 0;
  std::int64_t deposit = 0;
  std::uint32_t items = 0;
  for (const auto& l : lines) {
    if (l.voided()) continue;
    const std::int64_t gross = l.line_total_ore() - l.discount_ore();
    total += gross;
    discount += l.discount_ore();
    if (l.deposit_for() != 0) {
      deposit += gross;  // a pant line is not a piece of its own
    } else {
      items += l.unit() == v1::SALE_UNIT_PER_KG ? 1U : static_cast<std::uint32_t>(l.quantity());
    }
    auto& s = by_rate[l.vat_rate_bp()];
    s.gross += gross;
    s.vat += l.vat_ore();
  }
  t.set_total_ore(total);
  t.set_discount_ore(discount);
  t.set_deposit_ore(deposit);
  t.set_item_count(items);
  for (const auto& [rate, s] : by_rate) {
    auto* v = t.add_vat();
    v->set_rate_bp(rate);
    v->set_gross_ore(s.gross);
    v->set_vat_ore(s.vat);
    v->set_net_ore(s.gross - s.vat);
  }
  return t;
}

}  // namespace kiosk::checkout
