#pragma once
// Scheduled price changes: a product row may carry a new price and the UTC time it takes effect. The
// change is stored with the product in its catalog version (so it survives restarts, diffs and
// rollbacks) and applied when a lookup happens at or after that time, by the store's injected clock.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "common/result.h"
#include "product.h"
#include "product_codec.h"

namespace kiosk::catalog {

// "2026-04-01" (00:00 UTC), "2026-04-01T06:00Z", "2026-04-01T06:00:00Z" or with an offset
// ("2026-04-01T08:00:00+02:00") -> Unix milliseconds, UTC.
Result<std::int64_t> parse_utc_time(std::string_view text);
// Unix milliseconds -> "2026-04-01T06:00:00Z" (for messages and kioskctl).
std::string format_utc_time(std::int64_t unix_ms);

// The product as it is sold at `now_unix_ms`: once its scheduled change is due, price_ore is the new
// price and the schedule is cleared.
Product served_at(Product p, std::int64_t now_unix_ms);

// Counts a version's scheduled price changes for its VersionInfo (scheduled_price_count and the
// distinct times, at most kMaxListedPriceChanges of the earliest).
class ScheduleSummary {
 public:
  void add(const Product& p) {
    if (!p.scheduled_price) return;
    ++count_;
    times_.insert(p.scheduled_price->from_unix_ms);
    if (times_.size() > kMaxListedPriceChanges) times_.erase(std::prev(times_.end()));
  }
  void fill(VersionInfo& v) const {
    v.scheduled_price_count = count_;
    v.price_change_unix_ms.assign(times_.begin(), times_.end());
  }

 private:
  std::uint32_t count_ = 0;
  std::set<std::int64_t> times_;
};

}  // namespace kiosk::catalog
