#include "stockholm_time.h"

#include <chrono>

#include <fmt/format.h>

namespace kiosk {
namespace {

// 01:00 UTC on the last Sunday of `month` in `year`, in ms since the epoch.
std::int64_t last_sunday_0100_utc_ms(int year, unsigned month) {
  using namespace std::chrono;
  const sys_days day{year_month_weekday_last{std::chrono::year{year}, std::chrono::month{month}, weekday_last{Sunday}}};
  return duration_cast<milliseconds>((day + hours(1)).time_since_epoch()).count();
}

}  // namespace

std::int64_t stockholm_offset_ms(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(unix_ms)));
  const int year = static_cast<int>(year_month_day{day}.year());
  const bool summer = unix_ms >= last_sunday_0100_utc_ms(year, 3) && unix_ms < last_sunday_0100_utc_ms(year, 10);
  return summer ? 2 * 3'600'000 : 3'600'000;
}

Day stockholm_day_from_unix_ms(std::int64_t unix_ms) {
  return day_from_unix_ms(unix_ms + stockholm_offset_ms(unix_ms));
}

std::string stockholm_time_text(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> local{milliseconds(unix_ms + stockholm_offset_ms(unix_ms))};
  const sys_days day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<seconds>(local - day)};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

}  // namespace kiosk
