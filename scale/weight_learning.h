#pragma once
// Learning each product's real weight from what the scale measures, so that tolerances follow the
// goods on the shelf rather than the catalog's guess. Per product (GTIN-14 and the catalog's expected
// weight, so a quantity line or a changed catalog weight is a different product) it keeps the last
// `window` observations: the stable weight change of an item bagged alone and ACCEPTED (weight 1), or
// one an attendant confirmed with ACCEPT_WEIGHT (weight `attendant_weight`).
//
// Estimate (robust to outliers: a bag put down with the item, a wrong item accepted once):
//  - the weighted median m and MAD of the window; an observation is consistent when within
//    max(consistent_k × 1.4826 × MAD, consistent_floor_mg) of m;
//  - the learned weight is adopted once the consistent observations weigh ≥ adopt_after; its mean is
//    their weighted mean, its spread their standard deviation pooled with the catalog's spread (worth
//    prior_weight observations), widened by the mean's own uncertainty and taken at an upper
//    confidence bound (spread_upper_z), at least spread_floor_mg;
//  - observations accepted automatically can only have been within the catalog's tolerance; a learned
//    weight further from the catalog than that needs ≥ min_attendant consistent attendant confirmations.
// Records persist in the ScaleStore (when given) and are loaded at construction. Not thread-safe.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "scale_store.h"

namespace kiosk::scale {

struct LearningOptions {
  bool enabled = true;
  std::size_t window = 25;
  int attendant_weight = 3;
  int adopt_after = 8;
  int min_attendant = 2;
  double consistent_k = 3.0;
  std::int64_t consistent_floor_mg = 3000;
  std::int64_t spread_floor_mg = 1000;
  // The catalog's spread counts as this many observations. A spread needs many observations (a window
  // of 25 misjudges it by 15 % one time in ten) while a mean settles within a few: bench_scale, prior
  // 8 / 25 / 50 at k 3.75-4.5 → false alerts fall 1.03 → 0.59 → 0.47 % at k 4 with catch unchanged.
  double prior_weight = 50;
  // The spread may be taken at an upper confidence bound of its estimate, σ̂ × (1 + z / √(2 (n +
  // prior − 1))): a window of 25 observations underestimates a spread by 15 % one time in ten, and
  // a tolerance of 4.5 σ̂ is then 3.8 σ. bench_scale (true weights drawn from the catalog's spread):
  // z = 0 / 1 / 1.645 → false alerts 0.65 / 0.45 / 0.35 % of baskets, unscanned > 2x caught
  // 99.0 / 98.8 / 98.6 %. 0 (default): the estimate as is.
  double spread_upper_z = 0;
};

struct WeightObservation {
  std::int64_t mg = 0;
  bool attendant = false;
  std::int64_t at_unix_ms = 0;
};

struct LearnedWeight {
  std::int64_t mean_mg = 0;
  std::int64_t spread_mg = 0;
  int consistent = 0;  // weight of the consistent observations
  int total = 0;       // weight of all observations in the window
  bool adopted = false;
};

class WeightLearner {
 public:
  // `store` may be null (memory only, as in the benchmark). Loading reports corrupt records.
  static Result<std::unique_ptr<WeightLearner>> open(LearningOptions options, ScaleStore* store);

  // The learned weight of the product; nullopt when nothing was observed. `catalog_tolerance_mg`
  // bounds how far automatic observations alone may move it.
  std::optional<LearnedWeight> estimate(const std::string& gtin14, std::int64_t catalog_mg,
                                        std::int64_t catalog_spread_mg, std::int64_t catalog_tolerance_mg) const;
  // Records an observation (persisted before it counts).
  Status observe(const std::string& gtin14, std::int64_t catalog_mg, const WeightObservation& obs);

  const LearningOptions& options() const { return options_; }

 private:
  WeightLearner(LearningOptions options, ScaleStore* store) : options_(options), store_(store) {}
  static std::string key(const std::string& gtin14, std::int64_t catalog_mg);

  LearningOptions options_;
  ScaleStore* store_;
  std::map<std::string, std::vector<WeightObservation>> obs_;  // oldest first, ≤ window
};

}  // namespace kiosk::scale
