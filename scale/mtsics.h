#pragma once
// MT-SICS (Mettler Toledo Standard Interface Command Set) host side: parsing one response line.
// A response is `<id> <status> [<value> <unit> | "<text>" ...]` terminated by CR LF, for example
// `S S     100.00 g` (stable weight), `S D      99.98 g` (dynamic), `Z A` (zeroed), `I4 A "B123"`,
// or a command-level error `ES` (syntax), `ET` (transmission), `EL` (logical).
// Weights become integer milligrams parsed from the decimal text, never through floating point.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kiosk::scale {

// The status letter after the response id.
enum class MtSicsStatus {
  kStable,     // S: stable weight value (S/SI/T), or command done
  kDynamic,    // D: weight value while the scale is moving
  kDone,       // A: command executed (Z A, TA A, I4 A)
  kBusy,       // I: command understood but not executable now (moving, busy, timeout)
  kOverload,   // +: above the weighing or zero/tare range
  kUnderload,  // -: below the weighing or zero/tare range
  kLogical,    // L: wrong parameter (newer MT-SICS levels, e.g. `TA L`)
};

// A command-level error: the whole response is just the two letters.
enum class MtSicsError {
  kSyntax,        // ES: command not recognised
  kTransmission,  // ET: parity or overflow on the line
  kLogical,       // EL: command recognised but not executable
};

struct MtSicsResponse {
  std::string id;                    // response id: "S" for S/SI/SIR, "Z", "T", "TA", "I4" (also after @), ...
  std::optional<MtSicsError> error;  // set for ES/ET/EL; then status and the rest are unset
  MtSicsStatus status = MtSicsStatus::kStable;
  std::optional<std::int64_t> weight_mg;  // for responses carrying a weight value
  std::string unit;                       // the unit as sent ("g", "kg", "mg")
  std::vector<std::string> texts;         // quoted fields, e.g. the serial number of I4
};

// Parses one response line; a trailing CR LF is allowed, any other control byte is an error.
// Garbage, unknown statuses, missing or extra fields, unknown units and partial frames are errors
// that say where the frame is wrong; they never yield a weight.
Result<MtSicsResponse> parse_mtsics_response(std::string_view line);

// "123.45" in "g" → 123450 mg, exactly. mg allows no fraction, g up to 3 and kg up to 6 decimals.
Result<std::int64_t> parse_weight_mg(std::string_view value, std::string_view unit);

// Human-readable names for logs and error messages.
std::string_view to_string(MtSicsStatus s);
std::string_view to_string(MtSicsError e);

}  // namespace kiosk::scale
