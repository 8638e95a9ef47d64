#pragma once
// Weighing produce sold per kg, by the metrology rules for a class III retail scale (OIML R 76 /
// NAWI directive): the weight must be stable, the net load at least the minimum capacity Min = 20 e,
// the gross at most Max, and the price is computed from the weight rounded to the interval e. Anything
// else is refused with the reason, never weighed "approximately".
#include <cstdint>
#include <optional>

#include "common/result.h"

namespace kiosk::scale {

struct ProduceRules {
  std::int64_t interval_mg = 1000;        // e
  std::int64_t min_load_e = 20;           // Min = 20 e
  std::int64_t capacity_mg = 30'000'000;  // Max
};

struct ProduceScaleState {
  bool online = false;
  std::optional<std::int64_t> stable_mg;  // the stable gross weight, when stable
  std::int64_t tare_mg = 0;               // what was on the platform before (the session's baseline)
};

struct ProduceWeight {
  std::int64_t net_mg = 0;  // rounded to e
  std::int64_t gross_mg = 0;
  std::int64_t tare_mg = 0;
};

// kUnavailable when the scale is offline; kFailedPrecondition (with the reason) when the weight is
// not stable, below Min, above Max or negative.
Result<ProduceWeight> weigh_produce(const ProduceRules& rules, const ProduceScaleState& state);

// Rounds to the nearest multiple of e (halves away from zero).
std::int64_t round_to_interval(std::int64_t mg, std::int64_t interval_mg);

}  // namespace kiosk::scale
