#pragma once
// The printed receipt (plain text, Swedish, 42 columns) and local time for printing.
#include <cstdint>
#include <string>

#include "kiosk/v1/checkout.pb.h"

namespace kiosk::checkout {

// Seller details printed on every receipt ([lane] in the config).
struct LaneInfo {
  std::uint32_t lane = 1;
  std::string store_name;
  std::string store_address;
  std::string org_number;
  std::string currency = "SEK";
};

// Receipt text for a completed sale: seller, org number, date/time, lane and receipt number, lines
// (each followed by its promotion discounts; a pant line "  Pant" under its item), total (and the
// discounts and pant in it), the member's masked card number, VAT per rate (pant in its item's rate),
// payment, thanks.
std::string format_receipt(const LaneInfo& lane, const v1::Sale& sale);

}  // namespace kiosk::checkout
