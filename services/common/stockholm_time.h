#pragma once
// Swedish local time (Europe/Stockholm) of a UTC instant, for the whole appliance: VAT rates change at
// local midnight (a sale at 00:30 on 1 April in Stockholm, 22:30 UTC on 31 March, is already at the
// April rate) and receipts print local time.
#include <cstdint>
#include <string>

#include "vat.h"

namespace kiosk {

// Stockholm's offset from UTC at `unix_ms` (ms): CET +1 h, CEST +2 h from 01:00 UTC on the last Sunday
// of March to 01:00 UTC on the last Sunday of October (the EU rule, Sweden's since 1996; GCC 12's
// libstdc++ has no std::chrono::locate_zone to read it from tzdata).
std::int64_t stockholm_offset_ms(std::int64_t unix_ms);

// Days since 1970-01-01 of the Stockholm calendar date at `unix_ms`.
Day stockholm_day_from_unix_ms(std::int64_t unix_ms);

// "YYYY-MM-DD HH:MM:SS" in Stockholm local time.
std::string stockholm_time_text(std::int64_t unix_ms);

}  // namespace kiosk
