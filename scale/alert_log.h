#pragma once
// The record of every alert and every attendant decision: an append-only log in the ScaleStore
// ("a/<seq>"), so a dispute about an alert can be settled later from its evidence. Records are kept
// in memory too when there is no store (the benchmark). Thread-safe.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bagging_verifier.h"
#include "scale_store.h"

namespace kiosk::scale {

struct AlertRecord {
  enum class Event { kRaised, kClosed, kDecision };
  std::uint64_t seq = 0;  // assigned by the log, 1, 2, ...
  Event event = Event::kRaised;
  std::int64_t at_unix_ms = 0;
  std::string session_id;
  Alert alert;                       // the alert as raised or closed, with its evidence
  std::optional<Decision> decision;  // kDecision
  std::string attendant_id;          // kDecision
  std::string detail;                // why it closed; the outcome of a decision
};

class AlertLog {
 public:
  // `store` may be null (memory only). Continues the sequence of the records already stored.
  static Result<std::unique_ptr<AlertLog>> open(ScaleStore* store);

  // Appends (persisted first when there is a store); returns the record's seq.
  Result<std::uint64_t> append(AlertRecord r);
  // Records with seq > after, oldest first, at most `limit` (0: no limit).
  Result<std::vector<AlertRecord>> list(std::uint64_t after, std::size_t limit) const;
  std::uint64_t last_seq() const;

 private:
  explicit AlertLog(ScaleStore* store) : store_(store) {}
  ScaleStore* store_;
  mutable std::mutex mu_;
  std::uint64_t seq_ = 0;
  std::vector<AlertRecord> memory_;  // only without a store
};

std::string_view to_string(AlertRecord::Event e);
std::string_view to_string(Decision d);

}  // namespace kiosk::scale
