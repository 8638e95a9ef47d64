#include "weight_model.h"

#include <fmt/format.h>
#include <cmath>
#include <numbers>

namespace kiosk::scale::sim {
namespace {
constexpr double kSwingPeriodMs = 220;  // the bag bouncing on the platform
}

WeightModel::WeightModel(WeightModelOptions options)
    : options_(options),
      rng_(options.seed),
      noise_(0.0, static_cast<double>(std::max<std::int64_t>(options.noise_mg, 0))) {}

double WeightModel::load_at(std::int64_t now_ms) const {
  const auto t = static_cast<double>(now_ms - change_ms_);
  if (t >= static_cast<double>(settle_ms_)) return static_cast<double>(target_mg_);
  const double decay = std::exp(-5.0 * t / static_cast<double>(settle_ms_));
  return static_cast<double>(target_mg_) +
         (from_mg_ - static_cast<double>(target_mg_)) * decay * std::cos(2 * std::numbers::pi * t / kSwingPeriodMs);
}

void WeightModel::set_target(std::int64_t load_mg, std::int64_t now_ms) {
  from_mg_ = load_at(now_ms);
  target_mg_ = load_mg;
  change_ms_ = now_ms;
  settle_ms_ = std::uniform_int_distribution<std::int64_t>(300, 600)(rng_);
}

std::int64_t WeightModel::round_to_interval(double mg) const {
  const auto e = static_cast<double>(options_.interval_mg);
  return static_cast<std::int64_t>(std::llround(mg / e)) * options_.interval_mg;
}

Shown WeightModel::sample(std::int64_t now_ms) {
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
