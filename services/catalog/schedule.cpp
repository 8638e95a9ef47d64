#include "schedule.h"

#include <fmt/format.h>
#include <chrono>
#include <cstdio>

#include "common/vat.h"

namespace kiosk::catalog {
namespace {

bool digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

Result<std::int64_t> parse_utc_time(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return invalid_argument(
        fmt::format("'{}' is not a time ({}; expected e.g. 2026-04-01 or 2026-04-01T06:00:00Z "
                    "or 2026-04-01T08:00:00+02:00)",
                    text, why));
  };
  if (text.size() < 10) return bad("too short");
  auto day = parse_iso_date(text.substr(0, 10));
  if (!day) return bad("the date part is wrong");
  std::int64_t ms = std::int64_t{*day} * 86'400'000;
  std::string_view rest = text.substr(10);
  if (rest.empty()) return ms;
  if (rest.front() != 'T' && rest.front() != ' ') return bad("a T must separate date and time");
  rest.remove_prefix(1);
  if (rest.size() < 5 || rest[2] != ':' || !digits(rest.substr(0, 2)) || !digits(rest.substr(3, 2))) {
    return bad("the time must be HH:MM or HH:MM:SS");
  }
  const int hh = num(rest.substr(0, 2));
  const int mm = num(rest.substr(3, 2));
  int ss = 0;
  rest.remove_prefix(5);
  if (!rest.empty() && rest.front() == ':') {
    if (rest.size() < 3 || !digits(rest.substr(1, 2))) return bad("seconds must be two digits");
    ss = num(rest.substr(1, 2));
    rest.remove_prefix(3);
  }
  if (hh > 23 || mm > 59 || ss > 59) return bad("hour, minute or second out of range");
  ms += (std::int64_t{hh} * 3600 + mm * 60 + ss) * 1000;
  if (rest == "Z") return ms;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' && digits(rest.substr(1, 2)) &&
      digits(rest.substr(4, 2))) {
    const int oh = num(rest.substr(1, 2));
    const int om = num(rest.substr(4, 2));
    if (oh > 14 || om > 59) return bad("offset out of range");
    const std::int64_t offset_ms = (std::int64_t{oh} * 60 + om) * 60'000;
    return rest[0] == '+' ? ms - offset_ms : ms + offset_ms;
  }
  return bad("a time needs Z (UTC) or an offset like +02:00");
}

std::string format_utc_time(std::int64_t unix_ms) {
  const std::chrono::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds(unix_ms)};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

Product served_at(Product p, std::int64_t now_unix_ms) {
  if (p.scheduled_price && now_unix_ms >= p.scheduled_price->from_unix_ms) {
    p.price_ore = p.scheduled_price->price_ore;
    p.scheduled_price.reset();
  }
  return p;
}

}  // namespace kiosk::catalog
