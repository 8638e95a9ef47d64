#pragma once
// Stock counts, kept apart from catalog versions so that no push, delta or rollback resets them.
//
// Keys (in the catalog's RocksDB, outside the "v/" and "meta/" ranges that versions use):
//   stock/q/<gtin14>                     -> int64 count (pieces; grams for goods sold by weight)
//   stock/s/<receipt>\0<line:010>        -> the sale line recorded (gtin14, decrement), for idempotency
// A sale line is applied once: the count change and its marker are one synced WriteBatch, so a retry
// after a crash or a lost reply changes nothing and answers "already recorded".
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "product.h"

namespace rocksdb {
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace kiosk::catalog {

struct StockEvent {
  std::uint64_t seq = 0;  // increasing within one process run
  std::string gtin14;
  std::string name_sv;
  std::int64_t quantity = 0;  // the count now, at or below the threshold
  std::int64_t low_stock_threshold = 0;
  std::int64_t unix_ms = 0;
  std::string cause;  // "sale <receipt>/<line>", "set", "push"
};

struct SaleLine {
  std::uint32_t line = 0;  // the receipt's line number
  std::string gtin14;
  std::int64_t quantity = 0;  // pieces (goods sold each)
  Milligrams weight_mg = 0;   // goods sold by weight: the count drops by the weight in grams (rounded)
};

struct SaleLineOutcome {
  std::uint32_t line = 0;
  bool already_recorded = false;
  std::optional<std::int64_t> quantity;  // the count after; absent when the product was never counted
};

struct StockLevel {
  std::string gtin14;
  std::optional<std::int64_t> quantity;
  std::int64_t low_stock_threshold = 0;
  bool low() const { return quantity && *quantity <= low_stock_threshold; }
};

class StockLedger {
 public:
  // The product as served now, for its unit, name and threshold; kNotFound for an unknown GTIN.
  using ProductFn = std::function<Result<Product>(const std::string& gtin14)>;

  StockLedger(rocksdb::DB& db, const Clock& clock, ProductFn product);
  ~StockLedger();

  // Applies each line of a receipt that was not applied before (all in one synced write). A line seen
  // before with a different product or amount is kFailedPrecondition and nothing is applied.
  Result<std::vector<SaleLineOutcome>> record_sale(const std::string& receipt, const std::vector<SaleLine>& lines);

  // Store IT's count for a product (pieces; grams for goods sold by weight).
  Result<StockLevel> set(const std::string& gtin14, std::int64_t quantity);
  Result<StockLevel> get(const std::string& gtin14) const;
  // The count alone (no product lookup); absent when never counted.
  Result<std::optional<std::int64_t>> count(const std::string& gtin14) const;
  // Every counted product at or below its threshold now, in GTIN order.
  Result<std::vector<StockEvent>> low_now() const;

  // For a push that sets counts: adds the writes to the push's batch; call counts_written after it commits.
  void add_counts(rocksdb::WriteBatch& batch, const std::vector<Product>& products) const;
  void counts_written(const std::vector<Product>& products);

  // Low-stock events after `seq` (the last one seen; 0 for "from now" use last_seq()), waiting up to
  // `timeout` for one. Only the newest kKeptEvents are kept; a slow watcher skips older ones.
  std::vector<StockEvent> wait_after(std::uint64_t seq, std::chrono::milliseconds timeout);
  std::uint64_t last_seq() const;
  // Wakes every waiter for good (shutdown).
  void stop();
  bool stopped() const;

  static constexpr std::size_t kKeptEvents = 1000;

 private:
  void publish(const Product& p, std::int64_t quantity, std::string cause);  // caller holds mu_

  rocksdb::DB& db_;
  const Clock& clock_;
  ProductFn product_;
  std::mutex write_mu_;    // read-modify-write of counts, one at a time
  mutable std::mutex mu_;  // events
  std::condition_variable cv_;
  std::deque<StockEvent> events_;
  std::uint64_t seq_ = 0;
  bool stopped_ = false;
};

}  // namespace kiosk::catalog
