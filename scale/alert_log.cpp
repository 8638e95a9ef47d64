#include "alert_log.h"

#include <fmt/format.h>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kiosk::scale {
namespace {

constexpr std::string_view kPrefix = "a/";

std::string record_key(std::uint64_t seq) {
  return fmt::format("{}{:020}", kPrefix, seq);
}

nlohmann::json encode(const AlertRecord& r) {
  const Alert& a = r.alert;
  nlohmann::json trace = nlohmann::json::array();
  for (const auto& t : a.trace) trace.push_back({t.at_unix_ms, t.weight_mg, t.stable ? 1 : 0});
  nlohmann::json j = {{"seq", r.seq},
                      {"event", to_string(r.event)},
                      {"at_unix_ms", r.at_unix_ms},
                      {"session_id", r.session_id},
                      {"alert_id", a.alert_id},
                      {"kind", to_string(a.kind)},
                      {"expectation_id", a.expectation_id},
                      {"gtin14", a.gtin14},
                      {"expected_mg", a.expected_mg},
                      {"tolerance_mg", a.tolerance_mg},
                      {"measured_delta_mg", a.measured_delta_mg},
                      {"baseline_mg", a.baseline_mg},
                      {"measured_mg", a.measured_mg},
                      {"raised_unix_ms", a.at_unix_ms},
                      {"trace", trace},
                      {"attendant_id", r.attendant_id},
                      {"detail", r.detail}};
  if (r.decision) j["decision"] = to_string(*r.decision);
  return j;
}

template <typename E, std::size_t N>
E parse_enum(const std::string& s, const std::array<E, N>& all) {
  for (E e : all)
    if (to_string(e) == s) return e;
  throw std::invalid_argument("unknown value '" + s + "'");
}

AlertRecord decode(const nlohmann::json& j) {
  AlertRecord r;
  r.seq = j.at("seq").get<std::uint64_t>();
  r.event =
      parse_enum(j.at("event").get<std::string>(),
                 std::array{AlertRecord::Event::kRaised, AlertRecord::Event::kClosed, AlertRecord::Event::kDecision});
  r.at_unix_ms = j.at("at_unix_ms").get<std::int64_t>();
  r.session_id = j.at("session_id").get<std::string>();
  Alert& a = r.alert;
  a.alert_id = j.at("alert_id").get<std::string>();
  a.kind =
      parse_enum(j.at("kind").get<std::string>(), std::array{Alert::Kind::kWeightMismatch, Alert::Kind::kUnexpectedItem,
                                                             Alert::Kind::kItemRemoved, Alert::Kind::kDeviceFault});
  a.expectation_id = j.at("expectation_id").get<std::string>();
  a.gtin14 = j.at("gtin14").get<std::string>();
  a.expected_mg = j.at("expected_mg").get<std::int64_t>();
  a.tolerance_mg = j.at("tolerance_mg").get<std::int64_t>();
  a.measured_delta_mg = j.at("measured_delta_mg").get<std::int64_t>();
  a.baseline_mg = j.at("baseline_mg").get<std::int64_t>();
  a.measured_mg = j.at("measured_mg").get<std::int64_t>();
  a.at_unix_ms = j.at("raised_unix_ms").get<std::int64_t>();
  for (const auto& t : j.at("trace"))
    a.trace.push_back({t.at(1).get<std::int64_t>(), t.at(2).get<int>() != 0, t.at(0).get<std::int64_t>()});
  a.open = r.event != AlertRecord::Event::kClosed;
  r.attendant_id = j.at("attendant_id").get<std::string>();
  r.detail = j.at("detail").get<std::string>();
  a.detail = r.detail;
  if (j.contains("decision"))
    r.decision = parse_enum(j.at("decision").get<std::string>(),
                            std::array{Decision::kAcceptWeight, Decision::kItemRemoved, Decision::kOverride});
  return r;
}

}  // namespace

std::string_view to_string(AlertRecord::Event e) {
  switch (e) {
    case AlertRecord::Event::kRaised:
      return "raised";
    case AlertRecord::Event::kClosed:
      return "closed";
    case AlertRecord::Event::kDecision:
      return "decision";
  }
  return "?";
}

std::string_view to_string(Decision d) {
  switch (d) {
    case Decision::kAcceptWeight:
      return "ACCEPT_WEIGHT";
    case Decision::kItemRemoved:
      return "ITEM_REMOVED";
    case Decision::kOverride:
      return "OVERRIDE";
  }
  return "?";
}

Result<std::unique_ptr<AlertLog>> AlertLog::open(ScaleStore* store) {
  std::unique_ptr<AlertLog> log(new AlertLog(store));
  if (!store) return log;
  std::optional<Error> bad;
  auto s = store->scan(kPrefix, {}, [&](std::string_view k, std::string_view) {
    const std::string_view digits = k.substr(kPrefix.size());
    std::uint64_t seq = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
    if (ec != std::errc() || p != digits.data() + digits.size()) {
      bad = data_loss(fmt::format("alert log key '{}' is malformed", k));
      return false;
    }
    log->seq_ = std::max(log->seq_, seq);
    return true;
  });
  if (!s) return s.error();
  if (bad) return *bad;
  return log;
}

Result<std::uint64_t> AlertLog::append(AlertRecord r) {
  std::lock_guard lock(mu_);
  r.seq = seq_ + 1;
  if (store_) {
    if (auto s = store_->put(record_key(r.seq), encode(r).dump()); !s) return s.error();
  } else {
    memory_.push_back(r);
  }
  seq_ = r.seq;
  return r.seq;
}

Result<std::vector<AlertRecord>> AlertLog::list(std::uint64_t after, std::size_t limit) const {
  std::lock_guard lock(mu_);
  std::vector<AlertRecord> out;
  if (!store_) {
    for (const auto& r : memory_)
      if (r.seq > after && (limit == 0 || out.size() < limit)) out.push_back(r);
    return out;
  }
  std::optional<Error> bad;
  auto s = store_->scan(kPrefix, record_key(after + 1), [&](std::string_view k, std::string_view v) {
    try {
      out.push_back(decode(nlohmann::json::parse(v)));
    } catch (const std::exception& e) {
      bad = data_loss(fmt::format("alert record '{}' is malformed: {}", k, e.what()));
      return false;
    }
    return limit == 0 || out.size() < limit;
  });
  if (!s) return s.error();
  if (bad) return *bad;
  return out;
}

std::uint64_t AlertLog::last_seq() const {
  std::lock_guard lock(mu_);
  return seq_;
}

}  // namespace kiosk::scale
