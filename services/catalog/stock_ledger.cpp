#include "stock_ledger.h"

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <algorithm>
#include <map>

#include "common/gtin.h"

namespace kiosk::catalog {
namespace {

constexpr std::string_view kCountPrefix = "stock/q/";
constexpr std::string_view kSalePrefix = "stock/s/";
constexpr std::size_t kMaxReceiptBytes = 64;

std::string count_key(std::string_view gtin14) {
  return std::string(kCountPrefix) + std::string(gtin14);
}
std::string sale_key(std::string_view receipt, std::uint32_t line) {
  std::string k = std::string(kSalePrefix) + std::string(receipt);
  k.push_back('\0');  // receipts may not hold NUL, so "12"/3 and "1"/23 never meet
  return k + fmt::format("{:010}", line);
}

std::string encode_i64(std::int64_t v) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFFu));
  return out;
}
Result<std::int64_t> decode_i64(std::string_view b) {
  if (b.size() != 8) return data_loss("stock record: not 8 bytes");
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(b[i])} << (8 * i);
  return static_cast<std::int64_t>(v);
}

Error storage_error(const rocksdb::Status& s, std::string_view what) {
  return internal_error(fmt::format("stock database: {}: {}", what, s.ToString()));
}

// What a sale line takes off the count: pieces, or grams for goods sold by weight (half up).
std::int64_t decrement_of(const SaleLine& l) {
  return l.weight_mg > 0 ? (l.weight_mg + 500) / 1000 : l.quantity;
}

}  // namespace

StockLedger::StockLedger(rocksdb::DB& db, const Clock& clock, ProductFn product)
    : db_(db), clock_(clock), product_(std::move(product)) {}

StockLedger::~StockLedger() {
  stop();
}

Result<std::optional<std::int64_t>> StockLedger::count(const std::string& gtin14) const {
  std::string v;
  const rocksdb::Status s = db_.Get(rocksdb::ReadOptions(), count_key(gtin14), &v);
  if (s.IsNotFound()) return std::optional<std::int64_t>();
  if (!s.ok()) return storage_error(s, "reading a count");
  auto q = decode_i64(v);
  if (!q) return q.error();
  return std::optional<std::int64_t>(*q);
}

Result<std::vector<SaleLineOutcome>> StockLedger::record_sale(const std::string& receipt,
                                                              const std::vector<SaleLine>& lines) {
  if (receipt.empty() || receipt.size() > kMaxReceiptBytes ||
      std::any_of(receipt.begin(), receipt.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return invalid_argument(fmt::format("receipt number must be 1-{} printable bytes", kMaxReceiptBytes));
  }
  if (lines.empty()) return invalid_argument("the sale has no lines");
  for (const auto& l : lines) {
    if (!is_valid_gtin14(l.gtin14)) {
      return invalid_argument(
          fmt::format("receipt {} line {}: '{}' is not a valid GTIN-14", receipt, l.line, l.gtin14));
    }
    if (l.weight_mg < 0 || l.quantity < 0 || (l.weight_mg == 0 && l.quantity == 0) || l.quantity > 1'000'000 ||
        l.weight_mg > 1'000'000'000) {
      return invalid_argument(
          fmt::format("receipt {} line {}: sell a quantity of pieces or a weight in mg, not {} pieces / {} mg", receipt,
                      l.line, l.quantity, l.weight_mg));
    }
  }
  std::lock_guard write_lock(write_mu_);
  rocksdb::WriteBatch batch;
  std::vector<SaleLineOutcome> out;
  std::map<std::string, std::optional<std::int64_t>> counts;  // gtin -> count after this sale
  std::map<std::string, std::string> markers;                 // key -> value, written in this batch
  std::vector<std::pair<std::string, std::string>> changed;   // gtin, cause
  for (const auto& l : lines) {
    const std::string key = sale_key(receipt, l.line);
    const std::string marker = l.gtin14 + encode_i64(decrement_of(l));
    std::string seen;
    bool was_seen = false;
    if (auto it = markers.find(key); it != markers.end()) {
      seen = it->second;
      was_seen = true;
    } else {
      const rocksdb::Status s = db_.Get(rocksdb::ReadOptions(), key, &seen);
      if (!s.ok() && !s.IsNotFound()) return storage_error(s, "reading a sale marker");
      was_seen = s.ok();
    }
    if (!counts.count(l.gtin14)) {
      auto c = count(l.gtin14);
      if (!c) return c.error();
      counts[l.gtin14] = *c;
    }
    auto& count = counts[l.gtin14];
    if (was_seen) {
      if (seen != marker) {
        return failed_precondition(
            fmt::format("receipt {} line {} was already recorded for another product or amount; nothing recorded",
                        receipt, l.line));
      }
      out.push_back({l.line, true, count});
      continue;
    }
    markers[key] = marker;
    batch.Put(key, marker);
    if (count) {
      *count -= decrement_of(l);
      changed.emplace_back(l.gtin14, fmt::format("sale {}/{}", receipt, l.line));
    }
    out.push_back({l.line, false, count});
  }
  for (const auto& [gtin, count] : counts) {
    if (count) batch.Put(count_key(gtin), encode_i64(*count));
  }
  if (batch.Count() > 0) {
    rocksdb::WriteOptions wo;
    wo.sync = true;  // a sale acknowledged is a sale kept
    const rocksdb::Status s = db_.Write(wo, &batch);
    if (!s.ok()) return storage_error(s, "recording a sale");
  }
  std::vector<std::pair<Product, std::string>> low;
  for (const auto& [gtin, cause] : changed) {
    auto p = product_(gtin);  // not under mu_: the store takes its own lock
    if (p && counts[gtin] && *counts[gtin] <= p->low_stock_threshold) low.emplace_back(std::move(*p), cause);
  }
  std::lock_guard lock(mu_);
  for (auto& [p, cause] : low) publish(p, *counts[p.gtin14], std::move(cause));
  return out;
}

Result<StockLevel> StockLedger::set(const std::string& gtin14, std::int64_t quantity) {
  if (quantity < 0 || quantity > 1'000'000'000) {
    return invalid_argument(fmt::format("stock count {} must be 0..1000000000", quantity));
  }
  auto p = product_(gtin14);
  if (!p) return p.error();
  std::lock_guard write_lock(write_mu_);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const rocksdb::Status s = db_.Put(wo, count_key(gtin14), encode_i64(quantity));
  if (!s.ok()) return storage_error(s, "setting a count");
  StockLevel level{gtin14, quantity, p->low_stock_threshold};
  if (level.low()) {
    std::lock_guard lock(mu_);
    publish(*p, quantity, "set");
  }
  return level;
}

Result<StockLevel> StockLedger::get(const std::string& gtin14) const {
  auto p = product_(gtin14);
  if (!p) return p.error();
  auto c = count(gtin14);
  if (!c) return c.error();
  return StockLevel{gtin14, *c, p->low_stock_threshold};
}

Result<std::vector<StockEvent>> StockLedger::low_now() const {
  std::vector<StockEvent> out;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(std::string(kCountPrefix)); it->Valid() && it->key().starts_with(kCountPrefix); it->Next()) {
    const std::string gtin = it->key().ToString().substr(kCountPrefix.size());
    auto q = decode_i64(std::string_view(it->value().data(), it->value().size()));
    if (!q) return q.error();
    auto p = product_(gtin);
    if (!p) continue;  // no longer sold: nothing to restock
    if (*q <= p->low_stock_threshold) {
      out.push_back({0, gtin, p->name_sv, *q, p->low_stock_threshold, clock_.now_unix_ms(), "current"});
    }
  }
  if (!it->status().ok()) return storage_error(it->status(), "listing counts");
  return out;
}

void StockLedger::add_counts(rocksdb::WriteBatch& batch, const std::vector<Product>& products) const {
  for (const auto& p : products) {
    if (p.stock_quantity) batch.Put(count_key(p.gtin14), encode_i64(*p.stock_quantity));
  }
}

void StockLedger::counts_written(const std::vector<Product>& products) {
  std::lock_guard lock(mu_);
  for (const auto& p : products) {
    if (p.stock_quantity && *p.stock_quantity <= p.low_stock_threshold) publish(p, *p.stock_quantity, "push");
  }
}

void StockLedger::publish(const Product& p, std::int64_t quantity, std::string cause) {
  events_.push_back(
      {++seq_, p.gtin14, p.name_sv, quantity, p.low_stock_threshold, clock_.now_unix_ms(), std::move(cause)});
  while (events_.size() > kKeptEvents) events_.pop_front();
  cv_.notify_all();
}

std::vector<StockEvent> StockLedger::wait_after(std::uint64_t seq, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return stopped_ || seq_ > seq; });
  std::vector<StockEvent> out;
  for (const auto& e : events_) {
    if (e.seq > seq) out.push_back(e);
  }
  return out;
}

std::uint64_t StockLedger::last_seq() const {
  std::lock_guard lock(mu_);
  return seq_;
}

void StockLedger::stop() {
  std::lock_guard lock(mu_);
  stopped_ = true;
  cv_.notify_all();
}

bool StockLedger::stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

}  // namespace kiosk::catalog
