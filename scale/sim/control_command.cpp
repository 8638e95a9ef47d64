#include "control_command.h"

#include <fmt/format.h>
#include <charconv>
#include <vector>

namespace kiosk::scale::sim {
namespace {

constexpr std::int64_t kMaxLoadMg = 1'000'000'000;  // 1 t: far past any overload

Result<std::int64_t> parse_mg(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size())
    return invalid_argument(fmt::format("'{}' is not a whole number of milligrams", s));
  if (v < 0 || v > kMaxLoadMg) return invalid_argument(fmt::format("{} mg is outside 0..{}", v, kMaxLoadMg));
  return v;
}

}  // namespace

std::string handle_control(std::string_view line, WeightModel& model, std::int64_t now_ms) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  std::vector<std::string_view> w;
  for (std::size_t i = 0; i < line.size();) {
    while (i < line.size() && line[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) w.push_back(line.substr(start, i - start));
  }
  if (w.empty()) return "err empty command";
  const std::string_view cmd = w[0];
  if (cmd == "get") {
    if (w.size() != 1) return "err get takes no argument";
    const Shown s = model.sample(now_ms);
    return fmt::format("ok {} {} {}", model.target_mg(), s.net_mg, s.stable ? 1 : 0);
  }
  if (cmd == "fault") {
    if (w.size() != 2) return "err usage: fault none|overload|underload|offline";
    if (w[1] == "none")
      model.set_fault(Fault::kNone);
    else if (w[1] == "overload")
      model.set_fault(Fault::kOverload);
    else if (w[1] == "underload")
      model.set_fault(Fault::kUnderload);
    else if (w[1] == "offline")
      model.set_fault(Fault::kOffline);
    else
      return fmt::format("err unknown fault '{}' (none, overload, underload, offline)", w[1]);
    return "ok";
  }
  if (cmd == "place" || cmd == "remove" || cmd == "set") {
    if (w.size() != 2) return fmt::format("err usage: {} <mg>", cmd);
    auto mg = parse_mg(w[1]);
    if (!mg) return "err " + mg.message();
    std::int64_t target = model.target_mg();
    if (cmd == "place") {
      if (target + *mg > kMaxLoadMg) return "err the platform cannot take that much";
      target += *mg;
    } else if (cmd == "remove") {
      if (*mg > target) return fmt::format("err cannot remove {} mg: only {} mg on the platform", *mg, target);
      target -= *mg;
    } else {
      target = *mg;
    }
    model.set_target(target, now_ms);
    return fmt::format("ok {}", target);
  }
  // The noise model's disturbances (bench_scale's shopper does the same through the model).
  if (cmd == "hand" || cmd == "lift" || cmd == "vibrate" || cmd == "sway") {
    const std::size_t want = cmd == "sway" ? 2 : 3;
    if (w.size() != want) return cmd == "sway" ? "err usage: sway <mg>" : fmt::format("err usage: {} <mg> <ms>", cmd);
    auto mg = parse_mg(w[1]);
    if (!mg) return "err " + mg.message();
    std::int64_t ms = 0;
    if (want == 3) {
      auto d = parse_mg(w[2]);  // same range check: a whole number ≥ 0
      if (!d || *d == 0 || *d > 60'000) return fmt::format("err '{}' is not a duration of 1..60000 ms", w[2]);
      ms = *d;
    }
    if (cmd == "lift" && *mg > model.target_mg())
      return fmt::format("err cannot lift {} mg: only {} mg on the platform", *mg, model.target_mg());
    if (cmd == "hand") model.hand(*mg, ms, now_ms);
    if (cmd == "lift") model.lift(*mg, ms, now_ms);
    if (cmd == "vibrate") model.vibrate(*mg, ms, now_ms);
    if (cmd == "sway") model.sway(*mg, now_ms);
    return fmt::format("ok {}", model.target_mg());
  }
  return fmt::format("err unknown command '{}' (place, remove, set, get, fault, hand, lift, vibrate, sway)", cmd);
}

}  // namespace kiosk::scale::sim
