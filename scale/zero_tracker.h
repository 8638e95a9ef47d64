#pragma once
// Automatic zero tracking (OIML R 76, 4.5.7): a load cell creeps with temperature, so an empty
// platform slowly stops showing 0. While the weight is stable and within ±band of zero, the zero
// point follows it at no more than rate_mg_per_s, and never further than range_mg from where it began
// (beyond that the scale needs a real zero, Z). Moving loads and anything on the platform are never
// tracked away. Times in ms on any monotonic scale.
#include <cstdint>
#include <optional>

namespace kiosk::scale {

struct ZeroTrackingOptions {
  bool enabled = true;
  std::int64_t band_mg = 500;        // ±0.5 e: only what is indistinguishable from zero
  std::int64_t rate_mg_per_s = 500;  // ≤ 0.5 e per second
  std::int64_t range_mg = 600'000;   // 2 % of a 30 kg Max
};

class ZeroTracker {
 public:
  explicit ZeroTracker(ZeroTrackingOptions options) : options_(options) {}

  // The reading corrected by the tracked zero.
  std::int64_t apply(std::int64_t raw_mg) const { return raw_mg - offset_mg_; }
  // A (corrected) stable weight at now_ms, or nullopt while unstable.
  void update(std::optional<std::int64_t> stable_mg, std::int64_t now_ms);
  // A real zero (Z) was set: start over.
  void reset() { offset_mg_ = 0, last_ms_.reset(); }
  std::int64_t offset_mg() const { return offset_mg_; }

 private:
  ZeroTrackingOptions options_;
  std::int64_t offset_mg_ = 0;
  std::optional<std::int64_t> last_ms_;
  double carry_mg_ = 0;  // sub-mg progress between updates
};

}  // namespace kiosk::scale
