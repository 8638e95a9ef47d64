#include "mtsics_responder.h"

#include <fmt/format.h>

namespace kiosk::scale::sim {
namespace {
constexpr std::int64_t kRepeatMs = 100;  // SIR update rate
constexpr std::size_t kMaxCommand = 64;  // longer input overflows the scale's buffer: ET

int decimals_for(std::int64_t interval_mg) {
  int d = 3;
  while (d > 0 && interval_mg % 10 == 0) {
    interval_mg /= 10;
    --d;
  }
  return d;
}

}  // namespace

std::string format_grams(std::int64_t mg, std::int64_t interval_mg) {
  const int d = decimals_for(interval_mg);
  const std::int64_t a = mg < 0 ? -mg : mg;
  std::string s = fmt::format("{}{}", mg < 0 ? "-" : "", a / 1000);
  if (d > 0) s += "." + fmt::format("{:03}", a % 1000).substr(0, static_cast<std::size_t>(d));
  return s;
}

std::string weight_line(std::string_view id, char status, std::int64_t mg, std::int64_t interval_mg) {
  return fmt::format("{} {} {:>10} g", id, status, format_grams(mg, interval_mg));
}

std::string MtSicsResponder::si_line(std::int64_t now_ms) {
  const Shown s = model_.sample(now_ms);
  if (s.overload) return "S +";
  if (s.underload) return "S -";
  return weight_line("S", s.stable ? 'S' : 'D', s.net_mg, model_.interval_mg());
}

std::optional<std::vector<std::string>> MtSicsResponder::run(const std::string& line, std::int64_t now_ms,
                                                             bool timed_out) {
  if (line.size() > kMaxCommand) return std::vector<std::string>{"ET"};
  std::vector<std::string_view> args;
  {
    std::string_view rest(line);
    while (!rest.empty()) {
      const auto sp = rest.find(' ');
      if (sp != 0) args.push_back(rest.substr(0, sp));
      if (sp == std::string_view::npos) break;
      rest.remove_prefix(sp + 1);
    }
  }
  if (args.empty()) return std::vector<std::string>{"ES"};
  const std::string_view cmd = args[0];
  const std::size_t nargs = args.size() - 1;
  const bool stable = model_.settled(now_ms);
  const Fault f = model_.fault();
  auto one = [](std::string s) {
    return std::optional<std::vector<std::string>>(std::vector<std::string>{std::move(s)});
  };

  if (cmd == "SI" || cmd == "SIR" || cmd == "S" || cmd == "Z" || cmd == "ZI" || cmd == "T" || cmd == "TAC" ||
      cmd == "@" || cmd == "I1" || cmd == "I2" || cmd == "I3" || cmd == "I4") {
    if (nargs != 0) return one("EL");  // these take no parameters
  }
  if (cmd == "SI") return one(si_line(now_ms));
  if (cmd == "SIR") {
    repeating_ = true;
    next_repeat_ms_ = now_ms + kRepeatMs;
    return one(si_line(now_ms));
  }
  if (cmd == "S") {
    if (f == Fault::kOverload) return one("S +");
    if (f == Fault::kUnderload) return one("S -");
    if (!stable) return timed_out ? one("S I") : std::nullopt;
    const Shown s = model_.sample(now_ms);
    if (s.overload) return one("S +");
    if (s.underload) return one("S -");
    return one(weight_line("S", 'S', s.net_mg, model_.interval_mg()));
  }
  if (cmd == "Z" || cmd == "ZI") {
    if (f == Fault::kOverload) return one(std::string(cmd) + " +");
    if (f == Fault::kUnderload) return one(std::string(cmd) + " -");
    if (cmd == "Z" && !stable) return timed_out ? one("Z I") : std::nullopt;
    switch (model_.zero(now_ms)) {
      case WeightModel::LimitResult::kAbove:
        return one(std::string(cmd) + " +");
      case WeightModel::LimitResult::kBelow:
        return one(std::string(cmd) + " -");
      case WeightModel::LimitResult::kDone:
        break;
    }
    return one(cmd == "Z" ? "Z A" : (stable ? "ZI S" : "ZI D"));
  }
  if (cmd == "T") {
    if (f == Fault::kOverload) return one("T +");
    if (f == Fault::kUnderload) return one("T -");
    if (!stable) return timed_out ? one("T I") : std::nullopt;
    switch (model_.tare(now_ms)) {
      case WeightModel::LimitResult::kAbove:
        return one("T +");
      case WeightModel::LimitResult::kBelow:
        return one("T -");
      case WeightModel::LimitResult::kDone:
        break;
    }
    return one(weight_line("T", 'S', model_.tare_mg(), model_.interval_mg()));
  }
  if (cmd == "TA") {
    if (nargs == 0) return one(weight_line("TA", 'A', model_.tare_mg(), model_.interval_mg()));
    if (nargs != 2) return one("EL");
    std::optional<std::int64_t> mg;
    {
      // "<value> <unit>", value with up to the unit's mg resolution.
      const std::string_view v = args[1], u = args[2];
      const std::int64_t per = u == "g" ? 1000 : u == "kg" ? 1'000'000 : 0;
      const auto dot = v.find('.');
      const auto ip = v.substr(0, dot);
      const auto fp = dot == std::string_view::npos ? std::string_view{} : v.substr(dot + 1);
      bool ok = per != 0 && !ip.empty() && ip.size() <= 9 && fp.size() <= (per == 1000 ? 3u : 6u);
      std::int64_t acc = 0;
      for (char c : ip) ok = ok && c >= '0' && c <= '9', acc = acc * 10 + (c - '0');
      acc *= per;
      std::int64_t fs = per;
      for (char c : fp) ok = ok && c >= '0' && c <= '9', fs /= 10, acc += (c - '0') * fs;
      if (ok) mg = acc;
    }
    if (!mg || !model_.set_tare(*mg)) return one("TA L");
    return one(weight_line("TA", 'A', model_.tare_mg(), model_.interval_mg()));
  }
  if (cmd == "TAC") {
    model_.clear_tare();
    return one("TAC A");
  }
  if (cmd == "@") {  // reset: stops SIR, drops waiting commands and the tare, answers the serial number
    repeating_ = false;
    queue_.clear();
    model_.clear_tare();
    return one(fmt::format("I4 A \"{}\"", id_.serial));
  }
  if (cmd == "I1") return one(fmt::format("I1 A \"{}\" \"1.00\" \"1.00\" \"\" \"\"", id_.mtsics_level));
  if (cmd == "I2") return one(fmt::format("I2 A \"{} {} g\"", id_.type, format_grams(30'000'000, 1000)));
  if (cmd == "I3") return one(fmt::format("I3 A \"{}\"", id_.software));
  if (cmd == "I4") return one(fmt::format("I4 A \"{}\"", id_.serial));
  return one("ES");
}

void MtSicsResponder::drain(std::int64_t now_ms, std::vector<std::string>& out) {
  while (!queue_.empty()) {
    const Waiting w = queue_.front();  // a copy: @ clears the queue while it runs
    auto r = run(w.cmd, now_ms, now_ms - w.since_ms >= stable_timeout_ms_);
    if (!r) return;  // still waiting for a stable weight
    if (w.cmd != "@") queue_.pop_front();
    for (auto& l : *r) out.push_back(std::move(l));
  }
}

std::vector<std::string> MtSicsResponder::on_command(std::string_view line, std::int64_t now_ms) {
  std::vector<std::string> out;
  if (model_.fault() == Fault::kOffline) return out;  // a dead line: nothing comes back
  if (line.empty()) return out;
  repeating_ = false;               // any command ends an SIR stream
  if (line == "@") queue_.clear();  // reset preempts what is waiting
  queue_.push_back({std::string(line), now_ms});
  drain(now_ms, out);
  return out;
}

std::vector<std::string> MtSicsResponder::poll(std::int64_t now_ms) {
  std::vector<std::string> out;
  if (model_.fault() == Fault::kOffline) {
    queue_.clear();
    repeating_ = false;
    return out;
  }
  drain(now_ms, out);
  if (repeating_ && queue_.empty() && now_ms >= next_repeat_ms_) {
    out.push_back(si_line(now_ms));
    next_repeat_ms_ = now_ms + kRepeatMs;
  }
  return out;
}

}  // namespace kiosk::scale::sim
