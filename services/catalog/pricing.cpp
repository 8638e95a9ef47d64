#include "pricing.h"

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "common/gtin.h"

namespace kiosk::catalog {
namespace {

constexpr std::size_t kMaxOrderedGroup = 6;  // 6! = 720 orders per overlapping group

// One piece of an each-line, or a whole weighed line.
struct Item {
  std::size_t line;
  const std::string* gtin;
  Ore price;             // of the piece, or the weighed line's amount
  Milligrams weight_mg;  // > 0 for a weighed line
};

struct Applied {
  int promo = -1;  // index into the active promotions; -1 = none
  Ore discount = 0;
};

using Allocation = std::vector<Applied>;  // by item

// Shares `saving` between the pieces `chosen` in proportion to their prices; öre left over go to the
// first pieces. saving < sum of prices, so no piece gets more than its price.
void share(const std::vector<Item>& items, const std::vector<std::size_t>& chosen, Ore saving, int promo,
           Allocation& alloc) {
  Ore sum = 0;
  for (auto i : chosen) sum += items[i].price;
  Ore given = 0;
  for (auto i : chosen) {
    const Ore part = sum > 0 ? saving * items[i].price / sum : 0;
    alloc[i] = {promo, part};
    given += part;
  }
  for (std::size_t k = 0; given < saving && k < chosen.size(); ++k, ++given) ++alloc[chosen[k]].discount;
}

// Unused pieces (not weighed lines) of the given products, most expensive first, then by basket order.
std::vector<std::size_t> free_pieces(const std::vector<Item>& items, const Allocation& alloc,
                                     const std::vector<std::string>& gtins) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (alloc[i].promo < 0 && items[i].weight_mg == 0 &&
        std::binary_search(gtins.begin(), gtins.end(), *items[i].gtin)) {
      out.push_back(i);
    }
  }
  std::stable_sort(out.begin(), out.end(), [&](auto a, auto b) { return items[a].price > items[b].price; });
  return out;
}

// Applies promotion `pi` to the pieces still free; returns the discount it gave.
Ore apply(const Promotion& p, int pi, const std::vector<Item>& items, Allocation& alloc) {
  Ore total = 0;
  const auto bundles = [&](const std::vector<std::size_t>& pieces) {
    const std::size_t n = p.quantity;
    for (std::size_t at = 0; at + n <= pieces.size(); at += n) {
      const std::vector<std::size_t> chosen(pieces.begin() + static_cast<std::ptrdiff_t>(at),
                                            pieces.begin() + static_cast<std::ptrdiff_t>(at + n));
      if (p.kind == PromotionKind::kBuyXPayY) {
        // The cheapest X - Y of the X are free.
        for (std::size_t k = p.pay_quantity; k < n; ++k) {
          alloc[chosen[k]] = {pi, items[chosen[k]].price};
          total += items[chosen[k]].price;
        }
        for (std::size_t k = 0; k < p.pay_quantity; ++k) alloc[chosen[k]].promo = pi;
        continue;
      }
      Ore sum = 0;
      for (auto i : chosen) sum += items[i].price;
      if (sum <= p.price_ore) break;  // later bundles are cheaper still
      share(items, chosen, sum - p.price_ore, pi, alloc);
      total += sum - p.price_ore;
    }
  };
  switch (p.kind) {
    case PromotionKind::kMemberPrice:
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (alloc[i].promo >= 0 || !std::binary_search(p.gtins.begin(), p.gtins.end(), *items[i].gtin)) continue;
        const Ore member = items[i].weight_mg > 0 ? weighed_amount(p.price_ore, items[i].weight_mg) : p.price_ore;
        if (items[i].price > member) {
          alloc[i] = {pi, items[i].price - member};
          total += items[i].price - member;
        }
      }
      break;
    case PromotionKind::kMixMatch:
      bundles(free_pieces(items, alloc, p.gtins));
      break;
    case PromotionKind::kNForPrice:
    case PromotionKind::kBuyXPayY:
      for (const auto& g : p.gtins) bundles(free_pieces(items, alloc, {g}));
      break;
  }
  return total;
}

Ore run(const std::vector<int>& order, const std::vector<const Promotion*>& active, const std::vector<Item>& items,
        Allocation& alloc) {
  Ore total = 0;
  for (int pi : order) total += apply(*active[static_cast<std::size_t>(pi)], pi, items, alloc);
  return total;
}

}  // namespace

Ore weighed_amount(Ore price_per_kg, Milligrams weight_mg) {
  // öre/kg × mg / 1e6, half up; both non-negative and bounded (price <= 1e8, weight <= 1e8) so no overflow.
  return (price_per_kg * weight_mg + 500'000) / 1'000'000;
}

Status validate_basket(const std::vector<BasketLine>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    if (!is_valid_gtin14(l.gtin14)) {
      return invalid_argument(fmt::format("basket line {}: '{}' is not a valid GTIN-14", i, l.gtin14));
    }
    if (l.unit_price_ore < 0 || l.unit_price_ore > 100'000'000) {
      return invalid_argument(fmt::format("basket line {}: unit price {} öre is out of range", i, l.unit_price_ore));
    }
    if (l.weight_mg < 0 || l.weight_mg > 1'000'000'000) {
      return invalid_argument(fmt::format("basket line {}: weight {} mg is out of range", i, l.weight_mg));
    }
    if (l.weight_mg == 0 && (l.quantity < 1 || l.quantity > kMaxBasketPieces)) {
      return invalid_argument(
          fmt::format("basket line {}: quantity {} must be 1..{} pieces", i, l.quantity, kMaxBasketPieces));
    }
  }
  return {};
}

BasketPricing price_basket(const std::vector<BasketLine>& lines, const std::vector<Promotion>& promotions,
                           std::int64_t now_unix_ms, bool member) {
  std::vector<Item> items;
  std::set<std::string> basket_gtins;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    basket_gtins.insert(l.gtin14);
    if (l.weight_mg > 0) {
      items.push_back({i, &l.gtin14, weighed_amount(l.unit_price_ore, l.weight_mg), l.weight_mg});
    } else {
      for (std::int64_t k = 0; k < l.quantity; ++k) items.push_back({i, &l.gtin14, l.unit_price_ore, 0});
    }
  }
  // Active promotions touching the basket, by id.
  std::vector<const Promotion*> active;
  for (const auto& p : promotions) {
    if (!p.active_at(now_unix_ms) || (p.members_only && !member)) continue;
    if (std::any_of(p.gtins.begin(), p.gtins.end(), [&](const auto& g) { return basket_gtins.count(g) != 0; })) {
      active.push_back(&p);
    }
  }
  std::sort(active.begin(), active.end(), [](auto a, auto b) { return a->id < b->id; });

  // Groups of promotions linked by shared products (union-find); only within a group does order matter.
  std::vector<int> parent(active.size());
  std::iota(parent.begin(), parent.end(), 0);
  const auto find = [&](int x) {
    while (parent[static_cast<std::size_t>(x)] != x) x = parent[static_cast<std::size_t>(x)];
    return x;
  };
  std::map<std::string, int> first_with;
  for (std::size_t pi = 0; pi < active.size(); ++pi) {
    for (const auto& g : active[pi]->gtins) {
      const auto [it, fresh] = first_with.emplace(g, static_cast<int>(pi));
      if (!fresh) parent[static_cast<std::size_t>(find(static_cast<int>(pi)))] = find(it->second);
    }
  }
  std::map<int, std::vector<int>> groups;  // root -> members ascending (= by id)
  for (std::size_t pi = 0; pi < active.size(); ++pi) groups[find(static_cast<int>(pi))].push_back(static_cast<int>(pi));

  Allocation chosen(items.size());
  for (auto& [root, members] : groups) {
    std::vector<int> best_order = members;
    if (members.size() <= kMaxOrderedGroup) {
      // Every order, in lexicographic order of ids; strictly better replaces, so ties keep the first.
      std::vector<int> order = members;
      Ore best = -1;
      do {
        Allocation alloc(items.size());
        const Ore total = run(order, active, items, alloc);
        if (total > best) {
          best = total;
          best_order = order;
        }
      } while (std::next_permutation(order.begin(), order.end()));
    } else {
      std::vector<std::pair<Ore, int>> alone;
      for (int pi : members) {
        Allocation alloc(items.size());
        alone.emplace_back(-run({pi}, active, items, alloc), pi);
      }
      std::sort(alone.begin(), alone.end());
      best_order.clear();
      for (const auto& a : alone) best_order.push_back(a.second);
    }
    run(best_order, active, items, chosen);  // groups share no products, so they never compete for pieces
  }

  std::map<std::pair<std::size_t, std::string>, Ore> per_line;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (chosen[i].promo >= 0 && chosen[i].discount > 0) {
      per_line[{items[i].line, active[static_cast<std::size_t>(chosen[i].promo)]->id}] += chosen[i].discount;
    }
  }
  BasketPricing out;
  for (const auto& [key, discount] : per_line) {
    const auto* p = *std::find_if(active.begin(), active.end(), [&](auto a) { return a->id == key.second; });
    out.discounts.push_back({key.first, key.second, receipt_text(*p), discount});
    out.total_discount_ore += discount;
  }
  return out;
}

}  // namespace kiosk::catalog
