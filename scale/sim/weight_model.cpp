#include "weight_model.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <numbers>

namespace kiosk::scale::sim {
namespace {

constexpr double kSwingPeriodMs = 220;  // the platform bouncing after a load change
constexpr double kTwoPi = 2 * std::numbers::pi;

// A load change of `delta` that began `t` ms ago and settles over `settle` ms (damped swing).
double settling(double delta, double t, double settle) {
  if (t < 0) return 0;
  if (t >= settle) return delta;
  return delta * (1.0 - std::exp(-5.0 * t / settle) * std::cos(kTwoPi * t / kSwingPeriodMs));
}

}  // namespace

WeightModel::WeightModel(WeightModelOptions options)
    : options_(options),
      rng_(options.seed),
      noise_(0.0, static_cast<double>(std::max<std::int64_t>(options.noise_mg, 0))) {}

double WeightModel::disturbance_at(const Disturbance& d, std::int64_t now_ms) const {
  const auto t = static_cast<double>(now_ms - d.start_ms);
  if (t < 0) return 0;
  switch (d.kind) {
    case Disturbance::Kind::kStep:
      return settling(d.amplitude_mg, t, d.tau_ms);
    case Disturbance::Kind::kSway:
      return d.amplitude_mg * std::exp(-t / d.tau_ms) * std::sin(kTwoPi * d.freq_hz * t / 1000 + d.phase);
    case Disturbance::Kind::kVibration:
    case Disturbance::Kind::kTremor: {
      if (now_ms >= d.end_ms) return 0;
      // Tremor and vibration ramp in and out over their duration (a sine envelope).
      const double env = std::sin(std::numbers::pi * t / static_cast<double>(d.end_ms - d.start_ms));
      return d.amplitude_mg * env * std::sin(kTwoPi * d.freq_hz * t / 1000 + d.phase);
    }
  }
  return 0;
}

bool WeightModel::disturbance_moving(const Disturbance& d, std::int64_t now_ms) const {
  if (now_ms < d.start_ms) return false;
  if (d.kind == Disturbance::Kind::kSway) {
    const auto t = static_cast<double>(now_ms - d.start_ms);
    return d.amplitude_mg * std::exp(-t / d.tau_ms) > static_cast<double>(options_.interval_mg) / 2;
  }
  return now_ms < d.end_ms;
}

double WeightModel::load_at(std::int64_t now_ms) const {
  double load = static_cast<double>(target_mg_);
  const auto t = static_cast<double>(now_ms - change_ms_);
  if (t < static_cast<double>(settle_ms_))
    load = from_mg_ + settling(static_cast<double>(target_mg_) - from_mg_, t, static_cast<double>(settle_ms_));
  for (const auto& d : dist_) load += disturbance_at(d, now_ms);
  return load + drift_mg_;
}

bool WeightModel::settled(std::int64_t now_ms) const {
  if (now_ms - change_ms_ < settle_ms_) return false;
  return std::none_of(dist_.begin(), dist_.end(), [&](const Disturbance& d) { return disturbance_moving(d, now_ms); });
}

void WeightModel::set_target(std::int64_t load_mg, std::int64_t now_ms) {
  // The settling part starts from where the target's own swing is now (disturbances keep theirs).
  const auto t = static_cast<double>(now_ms - change_ms_);
  from_mg_ = t < static_cast<double>(settle_ms_)
                 ? from_mg_ + settling(static_cast<double>(target_mg_) - from_mg_, t, static_cast<double>(settle_ms_))
                 : static_cast<double>(target_mg_);
  const bool increase = load_mg > target_mg_;
  target_mg_ = load_mg;
  change_ms_ = now_ms;
  settle_ms_ = std::uniform_int_distribution<std::int64_t>(300, 600)(rng_);
  if (increase && options_.sway_mg > 0 && std::bernoulli_distribution(options_.sway_probability)(rng_))
    sway(std::uniform_int_distribution<std::int64_t>(options_.interval_mg, options_.sway_mg)(rng_), now_ms);
}

void WeightModel::add_step(double delta_mg, std::int64_t at_ms) {
  const auto settle = std::uniform_int_distribution<std::int64_t>(200, 450)(rng_);
  dist_.push_back({Disturbance::Kind::kStep, at_ms, at_ms + settle, delta_mg, 0, static_cast<double>(settle), 0});
}

void WeightModel::hand(std::int64_t extra_mg, std::int64_t duration_ms, std::int64_t now_ms) {
  add_step(static_cast<double>(extra_mg), now_ms);
  add_step(-static_cast<double>(extra_mg), now_ms + duration_ms);
  // A resting hand is never still: 2–8 % of its weight at 6–10 Hz.
  const double tremor = static_cast<double>(extra_mg) * std::uniform_real_distribution<double>(0.02, 0.08)(rng_);
  dist_.push_back({Disturbance::Kind::kTremor, now_ms, now_ms + duration_ms, tremor,
                   std::uniform_real_distribution<double>(6, 10)(rng_), 0,
                   std::uniform_real_distribution<double>(0, kTwoPi)(rng_)});
}

void WeightModel::sway(std::int64_t amplitude_mg, std::int64_t now_ms) {
  dist_.push_back({Disturbance::Kind::kSway, now_ms, now_ms, static_cast<double>(amplitude_mg),
                   std::uniform_real_distribution<double>(1.5, 3.0)(rng_),
                   std::uniform_real_distribution<double>(100, 300)(rng_), 0});
}

void WeightModel::lift(std::int64_t item_mg, std::int64_t duration_ms, std::int64_t now_ms) {
  add_step(-static_cast<double>(item_mg), now_ms);
  add_step(static_cast<double>(item_mg), now_ms + duration_ms);
}

void WeightModel::vibrate(std::int64_t amplitude_mg, std::int64_t duration_ms, std::int64_t now_ms) {
  dist_.push_back({Disturbance::Kind::kVibration, now_ms, now_ms + duration_ms, static_cast<double>(amplitude_mg),
                   std::uniform_real_distribution<double>(10, 16)(rng_), 0,
                   std::uniform_real_distribution<double>(0, kTwoPi)(rng_)});
}

void WeightModel::advance_background(std::int64_t now_ms) {
  if (!background_started_) {
    background_started_ = true;
    background_ms_ = now_ms;
    return;
  }
  // One step per elapsed second at most (a sample every 100 ms draws nothing most of the time).
  while (now_ms - background_ms_ >= 1000) {
    background_ms_ += 1000;
    if (options_.drift_mg_per_min > 0)  // random walk: per-second steps of drift/√60
      drift_mg_ +=
          std::normal_distribution<double>(0, static_cast<double>(options_.drift_mg_per_min) / std::sqrt(60.0))(rng_);
    if (options_.vibration_per_min > 0 && options_.vibration_mg > 0 &&
        std::bernoulli_distribution(std::min(1.0, options_.vibration_per_min / 60.0))(rng_)) {
      const auto at = background_ms_ + std::uniform_int_distribution<std::int64_t>(0, 999)(rng_);
      vibrate(std::uniform_int_distribution<std::int64_t>(options_.interval_mg, options_.vibration_mg)(rng_),
              std::uniform_int_distribution<std::int64_t>(150, 400)(rng_), at);
    }
  }
}

std::int64_t WeightModel::round_to_interval(double mg) const {
  const auto e = static_cast<double>(options_.interval_mg);
  return static_cast<std::int64_t>(std::llround(mg / e)) * options_.interval_mg;
}

Shown WeightModel::sample(std::int64_t now_ms) {
  advance_background(now_ms);
  // Disturbances that are over leave for good; a finished step becomes part of nothing (hand off /
  // item back cancel their on-steps, which therefore leave together with them).
  std::erase_if(dist_, [&](const Disturbance& d) {
    if (d.kind == Disturbance::Kind::kStep) return false;
    if (d.kind == Disturbance::Kind::kSway) return now_ms - d.start_ms > static_cast<std::int64_t>(12 * d.tau_ms);
    return now_ms >= d.end_ms;
  });
  // Steps come in pairs (on, off) that sum to zero once both settled: drop such pairs.
  for (std::size_t i = 0; i + 1 < dist_.size(); ++i) {
    auto& a = dist_[i];
    if (a.kind != Disturbance::Kind::kStep || now_ms < a.end_ms) continue;
    for (std::size_t j = i + 1; j < dist_.size(); ++j) {
      auto& b = dist_[j];
      if (b.kind == Disturbance::Kind::kStep && now_ms >= b.end_ms && b.amplitude_mg == -a.amplitude_mg) {
        dist_.erase(dist_.begin() + static_cast<std::ptrdiff_t>(j));
        dist_.erase(dist_.begin() + static_cast<std::ptrdiff_t>(i));
        --i;
        break;
      }
    }
  }
  const double noise = options_.noise_mg > 0 ? noise_(rng_) : 0.0;
  const double gross = load_at(now_ms) + noise - static_cast<double>(zero_mg_);
  Shown s;
  s.stable = settled(now_ms);
  s.net_mg = round_to_interval(gross - static_cast<double>(tare_mg_));
  // Above Max + 9 e the display blanks (OIML); below the zero range it shows underload.
  s.overload =
      fault_ == Fault::kOverload || gross > static_cast<double>(options_.capacity_mg + 9 * options_.interval_mg);
  s.underload = fault_ == Fault::kUnderload || gross < -static_cast<double>(options_.capacity_mg / 50);
  last_ = s;
  return s;
}

WeightModel::LimitResult WeightModel::zero(std::int64_t now_ms) {
  const double load = load_at(now_ms);
  const auto range = static_cast<double>(options_.capacity_mg / 50);  // ±2 % of Max
  if (load > range) return LimitResult::kAbove;
  if (load < -range) return LimitResult::kBelow;
  zero_mg_ = round_to_interval(load);
  tare_mg_ = 0;
  return LimitResult::kDone;
}

WeightModel::LimitResult WeightModel::tare(std::int64_t now_ms) {
  const std::int64_t gross = round_to_interval(load_at(now_ms) - static_cast<double>(zero_mg_));
  if (gross > options_.capacity_mg) return LimitResult::kAbove;
  if (gross < 0) return LimitResult::kBelow;
  tare_mg_ = gross;
  return LimitResult::kDone;
}

Status WeightModel::set_tare(std::int64_t tare_mg) {
  if (tare_mg < 0 || tare_mg > options_.capacity_mg)
    return invalid_argument(fmt::format("preset tare {} mg outside 0..{} mg", tare_mg, options_.capacity_mg));
  tare_mg_ = round_to_interval(static_cast<double>(tare_mg));
  return Status::ok();
}

}  // namespace kiosk::scale::sim
