#pragma once
// USB HID POS scale reports (HID Point of Sale Usage Tables, usage page 0x8D "Scales"), host side.
// Input report "Scale Data Report", 6 bytes:
//   [0] report id 3  [1] status  [2] unit  [3] data scaling: signed 10-exponent
//   [4..5] weight, 16-bit unsigned little-endian; the weight is value × 10^exponent units.
// Status (usages 0x71-0x78): 1 fault, 2 stable at centre of zero, 3 in motion, 4 weight stable,
//   5 under zero, 6 over weight limit, 7 requires calibration, 8 requires re-zeroing.
// Unit (usages 0x51-0x5C): 1 mg, 2 g, 3 kg, 4 carat, 5 tael, 6 grain, 7 pennyweight, 8 metric ton,
//   9 avoirdupois ton, 10 troy ounce, 11 ounce, 12 pound.
// Output report "Scale Control Report": [0] report id 2, [1] bit 0 Enforced Zero Return, bit 1 Zero Scale.
// Weights become integer mg, exactly where the unit allows and otherwise rounded to the nearest mg
// (half away from zero): 5.6 oz = 158 757.3295 mg → 158 757 mg.
// Sources: HID Point of Sale Usage Tables 1.02 (usb.org, pos1_02.pdf), chapter "Scales page"; the
// report descriptor of a USB HID scale published with the usages (report ids 2, 3, Data Scaling
// −127..127, Data Weight 0..65534).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kiosk::scale {

inline constexpr std::uint8_t kHidScaleDataReportId = 3;
inline constexpr std::uint8_t kHidScaleControlReportId = 2;
inline constexpr std::size_t kHidScaleDataReportSize = 6;

enum class HidScaleStatus : std::uint8_t {
  kFault = 1,
  kStableZero = 2,
  kInMotion = 3,
  kStable = 4,
  kUnderZero = 5,
  kOverWeight = 6,
  kNeedsCalibration = 7,
  kNeedsRezero = 8,
};

enum class HidWeightUnit : std::uint8_t {
  kMilligram = 1,
  kGram = 2,
  kKilogram = 3,
  kCarat = 4,
  kTael = 5,  // the Hong Kong tael, 37.79936375 g (the usage tables do not say which tael)
  kGrain = 6,
  kPennyweight = 7,
  kMetricTon = 8,
  kAvoirTon = 9,  // the short (US) ton of 2000 lb
  kTroyOunce = 10,
  kOunce = 11,
  kPound = 12,
};

struct HidScaleReport {
  HidScaleStatus status = HidScaleStatus::kFault;
  HidWeightUnit unit = HidWeightUnit::kGram;
  std::int8_t exponent = 0;
  std::uint16_t value = 0;
  // The weight, for the statuses that carry one (stable at zero, in motion, stable).
  std::optional<std::int64_t> weight_mg;
};

// Decodes one input report. Wrong length, report id, status or unit, an exponent outside ±18 and
// weights past 1 000 t are errors that say which byte is wrong.
Result<HidScaleReport> decode_hid_scale_report(std::span<const std::uint8_t> report);

// value × 10^exponent units, in mg (rounded to the nearest mg, half away from zero).
Result<std::int64_t> hid_weight_mg(std::uint16_t value, std::int8_t exponent, HidWeightUnit unit);

// The Zero Scale output report.
std::array<std::uint8_t, 2> hid_zero_report();

std::string_view to_string(HidScaleStatus s);
std::string_view to_string(HidWeightUnit u);

// Splits what a device delivers into data reports. A hidraw device delivers one report per read
// (`aligned`). A byte stream (a pseudo-terminal or FIFO in tests) has no boundaries, but the scale
// writes whole reports: everything read until the line goes quiet (a burst) ends on a report
// boundary, so reports are taken from the end of the burst backwards, as long as they are valid;
// whatever comes before them (noise, a cut report) is dropped. A stream of identical reports seen
// one byte out of step can look valid too, which is why the end, not the start, of a burst is
// trusted. On both kinds, a report in another unit than the last one is held until a second one
// confirms the change (noise is rarely consistent twice).
class HidReportSplitter {
 public:
  // One read (aligned) or one burst (a stream): the reports it held, oldest first.
  std::vector<HidScaleReport> feed(std::span<const std::uint8_t> bytes, bool aligned);
  std::size_t rejected_bytes() const { return rejected_; }
  std::string last_error() const { return last_error_; }

 private:
  std::optional<HidWeightUnit> unit_;     // of the last report passed on
  std::optional<HidWeightUnit> pending_;  // a unit change seen once
  std::size_t rejected_ = 0;
  std::string last_error_;
};

}  // namespace kiosk::scale
