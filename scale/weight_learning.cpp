#include "weight_learning.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace kiosk::scale {
namespace {

constexpr std::string_view kPrefix = "w/";

// Weighted median of (value, weight) pairs: the smallest value whose cumulative weight reaches half.
double weighted_median(std::vector<std::pair<double, int>> v) {
  std::sort(v.begin(), v.end());
  int total = 0;
  for (const auto& [x, w] : v) total += w;
  int acc = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    acc += v[i].second;
    if (2 * acc > total) return v[i].first;
    if (2 * acc == total && i + 1 < v.size()) return (v[i].first + v[i + 1].first) / 2;
  }
  return v.empty() ? 0.0 : v.back().first;
}

}  // namespace

std::string WeightLearner::key(const std::string& gtin14, std::int64_t catalog_mg) {
  return fmt::format("{}{}/{}", kPrefix, gtin14, catalog_mg);
}

Result<std::unique_ptr<WeightLearner>> WeightLearner::open(LearningOptions options, ScaleStore* store) {
  if (options.window == 0 || options.adopt_after < 1 || options.attendant_weight < 1)
    return invalid_argument("learning: window, adopt_after and attendant_weight must be ≥ 1");
  std::unique_ptr<WeightLearner> l(new WeightLearner(options, store));
  if (!store) return l;
  std::optional<Error> bad;
  auto s = store->scan(kPrefix, {}, [&](std::string_view k, std::string_view v) {
    try {
      const auto j = nlohmann::json::parse(v);
      std::vector<WeightObservation> obs;
      for (const auto& o : j.at("obs"))
        obs.push_back({o.at(0).get<std::int64_t>(), o.at(1).get<int>() != 0, o.at(2).get<std::int64_t>()});
      l->obs_[std::string(k)] = std::move(obs);
    } catch (const nlohmann::json::exception& e) {
      bad = data_loss(fmt::format("learned weight record '{}' is malformed: {}", k, e.what()));
      return false;
    }
    return true;
  });
  if (!s) return s.error();
  if (bad) return *bad;
  return l;
}

std::optional<LearnedWeight> WeightLearner::estimate(const std::string& gtin14, std::int64_t catalog_mg,
                                                     std::int64_t catalog_spread_mg,
                                                     std::int64_t catalog_tolerance_mg) const {
  const auto it = obs_.find(key(gtin14, catalog_mg));
  if (it == obs_.end() || it->second.empty()) return std::nullopt;
  const auto& obs = it->second;
  std::vector<std::pair<double, int>> xs;
  for (const auto& o : obs) xs.emplace_back(static_cast<double>(o.mg), o.attendant ? options_.attendant_weight : 1);
  const double m = weighted_median(xs);
  std::vector<std::pair<double, int>> dev;
  for (const auto& [x, w] : xs) dev.emplace_back(std::abs(x - m), w);
  const double sigma = 1.4826 * weighted_median(dev);
  const double band = std::max(options_.consistent_k * sigma, static_cast<double>(options_.consistent_floor_mg));
  LearnedWeight out;
  double sw = 0, sx = 0, sxx = 0;
  int attendant = 0, n = 0;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const auto [x, w] = xs[i];
    out.total += w;
    if (std::abs(x - m) > band) continue;
    out.consistent += w;
    sw += w;
    sx += w * x;
    sxx += w * x * x;
    ++n;
    if (obs[i].attendant) ++attendant;
  }
  if (n == 0) {  // two far-apart observations: no consensus yet
    out.mean_mg = std::llround(m);
    out.spread_mg = catalog_spread_mg;
    return out;
  }
  const double mean = sx / sw;
  const double var = n > 1 ? std::max(0.0, (sxx / sw - mean * mean) * n / (n - 1)) : 0.0;
  // The spread shrinks toward the catalog's with the weight of `prior_weight` observations (a few
  // observations say little about a spread), and widens by the mean's own uncertainty (1 + 1/n).
  const double cat = static_cast<double>(catalog_spread_mg);
  const double n0 = catalog_spread_mg > 0 ? options_.prior_weight : 0.0;
  const double pooled = (n * var + n0 * cat * cat) / std::max(1.0, n + n0);
  out.mean_mg = std::llround(mean);
  const double dof = std::max(1.0, n + n0 - 1);  // the estimate's degrees of freedom, the prior's included
  const double upper = 1.0 + options_.spread_upper_z / std::sqrt(2.0 * dof);
  out.spread_mg =
      std::max<std::int64_t>(options_.spread_floor_mg, std::llround(std::sqrt(pooled * (1.0 + 1.0 / n)) * upper));
  out.adopted = options_.enabled && out.consistent >= options_.adopt_after;
  if (out.adopted && std::llabs(out.mean_mg - catalog_mg) > catalog_tolerance_mg && attendant < options_.min_attendant)
    out.adopted = false;  // far from the catalog on automatic evidence alone: keep the catalog's weight
  return out;
}

Status WeightLearner::observe(const std::string& gtin14, std::int64_t catalog_mg, const WeightObservation& o) {
  if (!options_.enabled || gtin14.empty()) return Status::ok();
  const std::string k = key(gtin14, catalog_mg);
  auto obs = obs_[k];
  obs.push_back(o);
  if (obs.size() > options_.window) obs.erase(obs.begin(), obs.end() - static_cast<std::ptrdiff_t>(options_.window));
  if (store_) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& x : obs) arr.push_back({x.mg, x.attendant ? 1 : 0, x.at_unix_ms});
    const nlohmann::json j = {{"gtin14", gtin14}, {"catalog_mg", catalog_mg}, {"obs", arr}};
    if (auto s = store_->put(k, j.dump()); !s) return s;
  }
  obs_[k] = std::move(obs);
  return Status::ok();
}

}  // namespace kiosk::scale
