#include "produce_weighing.h"

#include <fmt/format.h>

namespace kiosk::scale {

std::int64_t round_to_interval(std::int64_t mg, std::int64_t e) {
  if (e <= 1) return mg;
  const std::int64_t half = e / 2;
  return mg >= 0 ? (mg + half) / e * e : -((-mg + half) / e * e);
}

Result<ProduceWeight> weigh_produce(const ProduceRules& r, const ProduceScaleState& s) {
  if (r.interval_mg <= 0) return invalid_argument("the scale interval e must be > 0");
  if (!s.online) return unavailable("the scale is not answering: produce cannot be weighed");
  if (!s.stable_mg) return failed_precondition("the weight is not stable yet: keep the produce still on the scale");
  const std::int64_t max_mg = r.capacity_mg;
  if (*s.stable_mg > max_mg)
    return failed_precondition(fmt::format("the load {} g is above the scale's capacity Max = {} g",
                                           static_cast<double>(*s.stable_mg) / 1000,
                                           static_cast<double>(max_mg) / 1000));
  const std::int64_t net = round_to_interval(*s.stable_mg - s.tare_mg, r.interval_mg);
  const std::int64_t min_mg = r.min_load_e * r.interval_mg;
  if (net < 0) return failed_precondition("the weight went down, not up: put the produce on the scale");
  if (net < min_mg)
    return failed_precondition(fmt::format("net weight {} g is below the minimum load Min = {} e = {} g",
                                           static_cast<double>(net) / 1000, r.min_load_e,
                                           static_cast<double>(min_mg) / 1000));
  return ProduceWeight{net, *s.stable_mg, s.tare_mg};
}

}  // namespace kiosk::scale
