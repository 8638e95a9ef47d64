#include "payment/reconciliation.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace kiosk::payment {

ReconciliationReport compare_totals(const std::vector<PaymentRecord>& records, std::int64_t from_unix_ms,
                                    std::int64_t to_unix_ms, const std::vector<PaymentTotal>& terminal) {
  ReconciliationReport r;
  r.from_unix_ms = from_unix_ms;
  r.to_unix_ms = to_unix_ms;
  for (const auto& rec : records) {
    if (rec.created_unix_ms <= from_unix_ms || rec.created_unix_ms > to_unix_ms) continue;
    std::string type;
    Ore amount = rec.authorized_ore != 0 ? rec.authorized_ore : rec.amount_ore;
    if (!is_final(rec.state)) {
      r.unresolved.push_back(rec.key);
      continue;
    }
    if (rec.kind == "refund" && rec.state == PaymentState::kRefunded)
      type = "Credit";
    else if (rec.kind == "payment" && rec.state == PaymentState::kApproved)
      type = "Debit";
    else if (rec.kind == "payment" && rec.state == PaymentState::kReversed)
      type = "ReverseDebit";
    else
      continue;  // declined, aborted, failed: no money moved
    auto& t = r.journal[type];
    ++t.count;
    t.amount_ore += amount;
  }
  for (const auto& t : terminal) {
    auto& sum = r.terminal[t.transaction_type];
    sum.count += t.transaction_count;
    sum.amount_ore += t.transaction_ore;
  }
  std::map<std::string, bool> types;
  for (const auto& [k, v] : r.journal) types[k] = true;
  for (const auto& [k, v] : r.terminal) types[k] = true;
  for (const auto& [type, unused] : types) {
    const Totals j = r.journal.count(type) ? r.journal.at(type) : Totals{};
    const Totals t = r.terminal.count(type) ? r.terminal.at(type) : Totals{};
    if (j == t) continue;
    r.differences.push_back(fmt::format("{}: journal {} for {} öre, terminal {} for {} öre", type, j.count,
                                        j.amount_ore, t.count, t.amount_ore));
  }
  if (!r.unresolved.empty())
    r.differences.push_back(fmt::format("{} payment(s) of the period still unresolved: {}", r.unresolved.size(),
                                        fmt::join(r.unresolved, ", ")));
  return r;
}

bool reconciliation_due(std::int64_t now_unix_ms, std::int64_t last_unix_ms, int at_minute_utc) {
  constexpr std::int64_t kDayMs = 86'400'000;
  const std::int64_t today_at = now_unix_ms / kDayMs * kDayMs + std::int64_t{at_minute_utc} * 60'000;
  return now_unix_ms >= today_at && last_unix_ms < today_at;
}

Result<int> parse_time_of_day(std::string_view s) {
  auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (s.size() != 5 || s[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
    return invalid_argument(fmt::format("time of day '{}' must be HH:MM", s));
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return invalid_argument(fmt::format("time of day '{}' is not between 00:00 and 23:59", s));
  return h * 60 + m;
}

std::string to_json(const ReconciliationReport& r) {
  auto totals = [](const std::map<std::string, Totals>& m) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : m) j[k] = {{"count", v.count}, {"amount_ore", v.amount_ore}};
    return j;
  };
  return nlohmann::json{{"poi_reconciliation_id", r.poi_reconciliation_id},
                        {"from_unix_ms", r.from_unix_ms},
                        {"to_unix_ms", r.to_unix_ms},
                        {"journal", totals(r.journal)},
                        {"terminal", totals(r.terminal)},
                        {"unresolved", r.unresolved},
                        {"differences", r.differences},
                        {"matches", r.matches()}}
      .dump();
}

}  // namespace kiosk::payment
