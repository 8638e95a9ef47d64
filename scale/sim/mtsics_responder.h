#pragma once
// The scale's side of MT-SICS: one received command line in, the answer lines out (without CR LF),
// in the formats of the MT-SICS reference manual: `S S     123.45 g` (value right-aligned in a
// 10-character field, then the unit), `S D ...` while moving, `S I`, `S +`, `S -`, `Z A`, `T S ...`,
// `TA A ...`, `I4 A "B123456789"`, and `ES`/`ET`/`EL` for commands it cannot take.
// Commands run in order; S, Z and T wait (up to 3 s, or stable_timeout_ms) for a stable weight, as
// a real scale does, then answer `I`.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weight_model.h"

namespace kiosk::scale::sim {

struct Identity {
  std::string mtsics_level = "01";              // I1: level 0 and 1 commands implemented
  std::string type = "SIM-BAG30";               // I2: type
  std::string software = "1.00 10.20.0.001.0";  // I3: software version and type definition
  std::string serial = "B123456789";            // I4 and @
};

// "123.45" for 123450 mg at e = 10 mg: as many decimals (in g) as the interval needs.
std::string format_grams(std::int64_t mg, std::int64_t interval_mg);
// `S S     123.45 g`: id, status, the value right-aligned in 10 characters, unit.
std::string weight_line(std::string_view id, char status, std::int64_t mg, std::int64_t interval_mg);

class MtSicsResponder {
 public:
  MtSicsResponder(WeightModel& model, Identity identity, std::int64_t stable_timeout_ms = 3000)
      : model_(model), id_(std::move(identity)), stable_timeout_ms_(stable_timeout_ms) {}

  // A command line arrived (CR LF removed). Returns what to send now.
  std::vector<std::string> on_command(std::string_view line, std::int64_t now_ms);
  // Time passed: answers waiting commands that became answerable, and SIR repeats.
  std::vector<std::string> poll(std::int64_t now_ms);

 private:
  struct Waiting {
    std::string cmd;
    std::int64_t since_ms = 0;
  };
  // Runs one command; nullopt means "wait for stability" (S, Z, T while moving).
  std::optional<std::vector<std::string>> run(const std::string& cmd, std::int64_t now_ms, bool timed_out);
  std::string si_line(std::int64_t now_ms);
  void drain(std::int64_t now_ms, std::vector<std::string>& out);

  WeightModel& model_;
  Identity id_;
  std::int64_t stable_timeout_ms_;
  std::deque<Waiting> queue_;
  bool repeating_ = false;  // SIR
  std::int64_t next_repeat_ms_ = 0;
};

}  // namespace kiosk::scale::sim
