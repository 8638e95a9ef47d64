#include "hid_pos.h"

#include <fmt/format.h>

namespace kiosk::scale {
namespace {

// 128-bit intermediates: 65535 × 10^18 × the largest unit factor does not fit 64 bits.
__extension__ typedef __int128 Int128;

constexpr int kMaxExponent = 18;
constexpr std::int64_t kMaxWeightMg = 1'000'000'000'000;  // 1 000 t: past any scale

// One unit in mg as an exact fraction.
struct MgPerUnit {
  std::int64_t num;
  std::int64_t den;
};

MgPerUnit mg_per_unit(HidWeightUnit u) {
  switch (u) {
    case HidWeightUnit::kMilligram:
      return {1, 1};
    case HidWeightUnit::kGram:
      return {1000, 1};
    case HidWeightUnit::kKilogram:
      return {1'000'000, 1};
    case HidWeightUnit::kCarat:
      return {200, 1};
    case HidWeightUnit::kTael:
      return {3'779'936'375, 100'000};  // 37.79936375 g
    case HidWeightUnit::kGrain:
      return {6'479'891, 100'000};  // 64.79891 mg
    case HidWeightUnit::kPennyweight:
      return {155'517'384, 100'000};  // 24 grains
    case HidWeightUnit::kMetricTon:
      return {1'000'000'000, 1};
    case HidWeightUnit::kAvoirTon:
      return {907'184'740, 1};  // 2000 lb
    case HidWeightUnit::kTroyOunce:
      return {311'034'768, 10'000};  // 31.1034768 g
    case HidWeightUnit::kOunce:
      return {28'349'523'125, 1'000'000};  // 28.349523125 g
    case HidWeightUnit::kPound:
      return {45'359'237, 100};  // 453.59237 g
  }
  return {0, 1};
}

bool known_unit(std::uint8_t u) {
  return u >= 1 && u <= 12;
}

}  // namespace

std::string_view to_string(HidScaleStatus s) {
  switch (s) {
    case HidScaleStatus::kFault:
      return "fault";
    case HidScaleStatus::kStableZero:
      return "stable at zero";
    case HidScaleStatus::kInMotion:
      return "in motion";
    case HidScaleStatus::kStable:
      return "stable";
    case HidScaleStatus::kUnderZero:
      return "under zero";
    case HidScaleStatus::kOverWeight:
      return "over weight limit";
    case HidScaleStatus::kNeedsCalibration:
      return "requires calibration";
    case HidScaleStatus::kNeedsRezero:
      return "requires re-zeroing";
  }
  return "?";
}

std::string_view to_string(HidWeightUnit u) {
  switch (u) {
    case HidWeightUnit::kMilligram:
      return "mg";
    case HidWeightUnit::kGram:
      return "g";
    case HidWeightUnit::kKilogram:
      return "kg";
    case HidWeightUnit::kCarat:
      return "ct";
    case HidWeightUnit::kTael:
      return "tael";
    case HidWeightUnit::kGrain:
      return "gr";
    case HidWeightUnit::kPennyweight:
      return "dwt";
    case HidWeightUnit::kMetricTon:
      return "t";
    case HidWeightUnit::kAvoirTon:
      return "ton";
    case HidWeightUnit::kTroyOunce:
      return "ozt";
    case HidWeightUnit::kOunce:
      return "oz";
    case HidWeightUnit::kPound:
      return "lb";
  }
  return "?";
}

Result<std::int64_t> hid_weight_mg(std::uint16_t value, std::int8_t exponent, HidWeightUnit unit) {
  if (!known_unit(static_cast<std::uint8_t>(unit)))
    return invalid_argument(fmt::format("unknown weight unit {}", static_cast<int>(unit)));
  if (exponent > kMaxExponent || exponent < -kMaxExponent)
    return invalid_argument(fmt::format("weight exponent {} outside ±{}", exponent, kMaxExponent));
  const MgPerUnit f = mg_per_unit(unit);
  Int128 num = static_cast<Int128>(value) * f.num;
  Int128 den = f.den;
  for (int i = 0; i < (exponent < 0 ? -exponent : exponent); ++i) (exponent < 0 ? den : num) *= 10;
  const Int128 mg = (2 * num + den) / (2 * den);  // non-negative: half rounds up (away from zero)
  if (mg > kMaxWeightMg)
    return invalid_argument(fmt::format("weight {}e{} {} is past 1000 t", value, exponent, to_string(unit)));
  return static_cast<std::int64_t>(mg);
}

Result<HidScaleReport> decode_hid_scale_report(std::span<const std::uint8_t> r) {
  if (r.size() != kHidScaleDataReportSize)
    return invalid_argument(
        fmt::format("HID scale report of {} bytes (expected {})", r.size(), kHidScaleDataReportSize));
  if (r[0] != kHidScaleDataReportId)
    return invalid_argument(fmt::format("HID scale report id 0x{:02x} at byte 0 (expected 0x03)", r[0]));
  if (r[1] < 1 || r[1] > 8) return invalid_argument(fmt::format("HID scale status {} at byte 1 (expected 1-8)", r[1]));
  if (!known_unit(r[2])) return invalid_argument(fmt::format("HID weight unit {} at byte 2 (expected 1-12)", r[2]));
  HidScaleReport out;
  out.status = static_cast<HidScaleStatus>(r[1]);
  out.unit = static_cast<HidWeightUnit>(r[2]);
  out.exponent = static_cast<std::int8_t>(r[3]);
  out.value = static_cast<std::uint16_t>(r[4] | (r[5] << 8));
  auto mg = hid_weight_mg(out.value, out.exponent, out.unit);
  if (!mg) return invalid_argument(fmt::format("HID scale report byte 3-5: {}", mg.message()));
  switch (out.status) {
    case HidScaleStatus::kStableZero:
    case HidScaleStatus::kInMotion:
    case HidScaleStatus::kStable:
      out.weight_mg = *mg;
      break;
    default:
      break;  // no valid weight with a fault, under zero, over weight or calibration status
  }
  return out;
}

std::array<std::uint8_t, 2> hid_zero_report() {
  return {kHidScaleControlReportId, 0x02};  // bit 1: Zero Scale
}

std::vector<HidScaleReport> HidReportSplitter::feed(std::span<const std::uint8_t> bytes, bool aligned) {
  constexpr std::size_t n = kHidScaleDataReportSize;
  std::vector<HidScaleReport> found;
  std::size_t start = bytes.size();  // the reports found span [start, end of burst)
  if (aligned) {
    auto r = decode_hid_scale_report(bytes);
    if (r) {
      found.push_back(*r);
      start = 0;
    } else {
      last_error_ = r.message();
    }
  } else {
    while (start >= n) {
      auto r = decode_hid_scale_report(bytes.subspan(start - n, n));
      if (!r) {
        last_error_ = r.message();
        break;
      }
      found.insert(found.begin(), *r);
      start -= n;
    }
    if (start > 0 && found.empty() && last_error_.empty()) last_error_ = "a burst shorter than a report";
  }
  rejected_ += start;
  std::vector<HidScaleReport> out;
  for (const auto& r : found) {
    if (unit_ && r.unit != *unit_ && pending_ != r.unit) {
      pending_ = r.unit;  // a unit change: wait for it to repeat
      rejected_ += n;
      continue;
    }
    unit_ = r.unit;
    pending_.reset();
    out.push_back(r);
  }
  return out;
}

}  // namespace kiosk::scale
