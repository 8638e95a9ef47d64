#pragma once
// Loyalty member cards: which scanned codes are member cards ([checkout] member_card_prefixes and
// member_card_digits), and what the lane keeps of one. The card number is personal data: the lane keeps
// only its last 4 digits and, with a key, a keyed hash (BLAKE2b-256) that identifies the member without
// the number; the full number never reaches a log, the journal or the receipt.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/result.h"
#include "kiosk/v1/checkout.pb.h"

namespace kiosk::checkout {

class MemberCards {
 public:
  // No card is recognised (no prefixes configured).
  MemberCards() = default;
  // `prefixes`: digits each card number starts with; `digits`: the card number's length (8..19).
  // `key`: 32 bytes for the keyed hash, or nullopt to keep only the masked number.
  static Result<MemberCards> make(std::vector<std::string> prefixes, std::size_t digits,
                                  std::optional<std::array<unsigned char, 32>> key = std::nullopt);
  // [checkout] member_card_prefixes (array of digit strings; empty or absent: no cards),
  // member_card_digits (default 13), member_key_file (a file holding 64 hex digits; "" = no hash).
  static Result<MemberCards> from_config(const Config& config);

  bool enabled() const { return !prefixes_.empty(); }
  // The card number when `code` (as scanned or typed; a GTIN-14 with the leading 0 of its EAN-13 form
  // is taken as that EAN-13) is a member card, else nullopt.
  std::optional<std::string> card_number(const std::string& code) const;
  // What the session keeps of a card number: "****" + last 4 digits and the keyed hash (or "").
  v1::Member member(const std::string& card_number, std::int64_t now_unix_ms) const;

 private:
  std::vector<std::string> prefixes_;
  std::size_t digits_ = 13;
  std::optional<std::array<unsigned char, 32>> key_;
};

// "****4567": the last 4 digits of a card number.
std::string masked_card_number(const std::string& card_number);

}  // namespace kiosk::checkout
