#pragma once
// Datalogic Magellan scanner-scale, "single-cable" RS-232 protocol (9600 baud, 7 data bits, odd
// parity, 1 stop bit; every frame starts with 'S' and ends with CR). Host side: parsing one frame.
//   host → scale  `S11`  weight request: answered `S11<weight>` once a stable non-zero weight is on;
//                 `S14`  scale status (monitor) request: answered `S14<status>[<weight>]` at once;
//   scale → host  `S08<label id><data>` a barcode read, sent whenever the scanner reads one.
// S14 statuses: 0 cannot find zero (power-cycle or calibrate), 1 in motion, 2 over capacity,
// 3 stable at zero, 4 stable non-zero weight (the weight follows), 5 under zero.
// Weights carry no decimal point: 5 digits in metric mode are grams (0.001 kg), 4 digits in
// pounds mode are hundredths of a pound (converted to mg, rounded to the nearest mg). The host is
// told the mode, so a frame cut short by a lost byte never reads as the other mode's weight.
// Label ids: A UPC-A, E UPC-E, F EAN-13, FF EAN-8, B1 Code 39, B2 Interleaved 2 of 5, B3 Code 128.
//
// Sources: Datalogic knowledge-base article KA-01089 "Scale communication, RS232 and USB-COM single
// cable" (S11/S14 requests, the status digits, 4/5-digit weights); the Magellan 8300/8400/8500
// Product Reference Guides, appendix "Label identifiers" (A/E/F/FF prefixes and lengths); the
// Magellan handler of the CORE-POS project (SPH_Magellan_Scale.cs: 7O1 at 9600, S08 label prefixes
// B1/B2/B3, S14 polling).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "scale_device.h"

namespace kiosk::scale {

enum class MagellanUnits { kMetric, kPounds };

enum class MagellanStatus {
  kNoZero = 0,        // cannot find zero at power-on: needs a power cycle or calibration
  kMotion = 1,        // in motion: no weight
  kOverCapacity = 2,  // above Max
  kStableZero = 3,    // stable at zero
  kStable = 4,        // stable non-zero weight, sent with the status
  kUnderZero = 5,     // below zero (platform lifted, zero lost)
};

struct MagellanFrame {
  enum class Kind { kWeight, kStatus, kScan };
  Kind kind = Kind::kStatus;
  MagellanStatus status = MagellanStatus::kMotion;  // kWeight frames are kStable
  std::optional<std::int64_t> weight_mg;            // kWeight, and kStatus with status 4 (3 gives 0)
  ScannerScan scan;                                 // kScan (at_unix_ms left 0)
};

// Parses one frame (the CR already removed; a trailing CR is allowed). Garbage, partial frames,
// wrong lengths, non-digits and bad check digits are errors saying where; they never yield a weight
// or a scan.
Result<MagellanFrame> parse_magellan_frame(std::string_view frame, MagellanUnits units = MagellanUnits::kMetric);

// Metric "01234" → 1 234 000 mg (grams); pounds "0123" → 557 919 mg (1.23 lb, to the nearest mg).
Result<std::int64_t> parse_magellan_weight(std::string_view digits, MagellanUnits units);

std::string_view to_string(MagellanStatus s);

}  // namespace kiosk::scale
