#pragma once
// Promotions pushed by store IT: what they are, how a push file is read and validated, and their
// on-disk encoding. They belong to a catalog version (stored under it like products), so a promotions
// push is applied atomically as a new version and rolled back with it.
//
// Push columns (CSV header or JSONL keys): id,kind,name_sv,gtins,quantity,pay_quantity,price_ore,from,
// until,members_only
//   id           unique key chosen by store IT (letters, digits, - _ .)
//   kind         n_for_price | buy_x_pay_y | mix_match | member_price
//   name_sv      receipt text, e.g. "3 för 25 kr"; empty: made from the kind and numbers
//   gtins        the products (any GTIN form), separated by spaces, ';' or '|' (JSONL: also an array).
//                n_for_price and buy_x_pay_y count each product on its own; mix_match counts the group.
//   quantity     N of "N for a price" and of mix_match, X of "buy X pay for Y"
//   pay_quantity Y of "buy X pay for Y" (1 <= Y < X)
//   price_ore    the price of N (n_for_price, mix_match) or the member's price of one piece (per kg for
//                goods sold by weight) (member_price)
//   from, until  UTC times (see parse_utc_time; a bare date is 00:00 UTC); active from <= t < until
//   members_only 0|1: only for loyalty members (member_price always is)
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog_csv.h"
#include "common/money.h"
#include "common/result.h"
#include "product.h"

namespace kiosk::catalog {

enum class PromotionKind : int { kNForPrice = 1, kBuyXPayY = 2, kMixMatch = 3, kMemberPrice = 4 };  // = proto

std::string_view promotion_kind_name(PromotionKind k);

struct Promotion {
  std::string id;
  PromotionKind kind = PromotionKind::kNForPrice;
  std::string name_sv;             // as pushed; may be empty (see receipt_text)
  std::vector<std::string> gtins;  // GTIN-14, ascending, no duplicates
  std::uint32_t quantity = 0;      // N or X; 1 for member_price
  std::uint32_t pay_quantity = 0;  // Y for buy_x_pay_y, else 0
  Ore price_ore = 0;
  std::int64_t from_unix_ms = 0;   // inclusive
  std::int64_t until_unix_ms = 0;  // exclusive
  bool members_only = false;

  bool active_at(std::int64_t unix_ms) const { return from_unix_ms <= unix_ms && unix_ms < until_unix_ms; }
  bool operator==(const Promotion&) const = default;
};

// The Swedish text printed on the receipt under a discounted line: name_sv, or one made from the numbers
// ("3 för 25 kr", "Köp 3 betala för 2", "Valfria 3 för 50 kr", "Medlemspris").
std::string receipt_text(const Promotion& p);

struct ParsedPromotions {
  std::vector<Promotion> promotions;  // empty when there are errors
  std::vector<std::uint32_t> lines;   // the input line of each promotion
  std::vector<InputError> errors;     // every problem, in file order
};

// Reads and checks a whole promotions push. An empty push (a header only, or no lines) is valid: it
// removes every promotion. Whether the GTINs exist is checked by the store against its catalog.
ParsedPromotions parse_promotions(std::string_view text, InputFormat format);

std::string encode_promotion(const Promotion& p);
Result<Promotion> decode_promotion(std::string_view bytes);

}  // namespace kiosk::catalog
