#pragma once
// The lane journal in RocksDB, every write synced (WriteOptions.sync) and atomic (one WriteBatch):
//   session              the current Session snapshot (a restart resumes it)
//   lane_state           core bookkeeping that is not part of Session (see LaneState)
//   event/<rev:020>      append-only log of transitions, one per revision (text)
//   sale/<receipt:010>   completed sales, append-only, consecutive receipt numbers, hash-chained
//   request/<id>         the Session an Act request_id produced (dedupe of repeated requests)
//   stock/<receipt:010>  a completed sale whose lines the catalog has not yet taken off its stock
//                        (Catalog.RecordSale); written with the sale, removed once the catalog answers
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "kiosk/v1/checkout.pb.h"

namespace rocksdb {
class DB;
}

namespace kiosk::checkout {

// Bookkeeping of the state machine that the published Session does not carry.
struct LaneState {
  std::uint64_t session_seq = 0;           // sessions started on this lane
  std::uint32_t age_approved_through = 0;  // age-limited lines up to this line_no are approved
  std::int64_t receipt_shown_unix_ms = 0;  // when RECEIPT was entered (for the receipt timeout)
  std::uint64_t vision_seq = 0;            // last Vision scan handled (resubscribe after it)
};

struct JournalVerdict {
  bool ok = true;
  std::uint32_t sales_checked = 0;
  std::string first_problem;
};

class Journal {
 public:
  static Result<std::unique_ptr<Journal>> open(const std::filesystem::path& dir);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  struct Snapshot {
    v1::Session session;
    LaneState lane;
  };
  // The last committed snapshot, or nullopt for a new journal.
  Result<std::optional<Snapshot>> load() const;

  // One transition, written atomically and synced. `sale` (optional) must carry receipt_number ==
  // next_receipt_number(); the journal fills prev_hash and hash.
  struct Transition {
    const v1::Session* session = nullptr;
    const LaneState* lane = nullptr;
    std::string event;  // one line describing the cause (never a PIN)
    v1::Sale* sale = nullptr;
    std::string request_id;  // stored with the resulting session when not empty
  };
  Status commit(const Transition& t);

  // The Session an earlier Act with this request_id produced.
  Result<std::optional<v1::Session>> find_request(const std::string& request_id) const;

  std::uint32_t next_receipt_number() const { return last_receipt_ + 1; }
  Result<v1::Sale> get_sale(std::uint32_t receipt_number) const;
  Result<std::vector<v1::Sale>> list_sales(std::uint32_t after, std::uint32_t limit) const;
  // The transition log from `after_revision` on (for audits and tests).
  Result<std::vector<std::string>> events(std::uint64_t after_revision, std::uint32_t limit) const;
  // Sales still to be reported to the catalog's stock (oldest first, at most `limit`; 0 = all).
  Result<std::vector<std::uint32_t>> pending_stock(std::uint32_t limit) const;
  // The catalog took the sale's lines off its stock (or refused them for good): not pending any more.
  Status stock_recorded(std::uint32_t receipt_number);

  // Walks every sale: consecutive numbers, prev_hash links and each record's own hash.
  JournalVerdict verify() const;

  // Hex SHA-256 over the sale with `hash` cleared (deterministic protobuf serialisation).
  static std::string sale_hash(const v1::Sale& sale);

 private:
  explicit Journal(std::unique_ptr<rocksdb::DB> db);
  std::unique_ptr<rocksdb::DB> db_;
  std::uint32_t last_receipt_ = 0;
  std::string last_hash_;
};

}  // namespace kiosk::checkout
