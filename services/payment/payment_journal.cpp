#include "payment/payment_journal.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <charconv>
#include <nlohmann/json.hpp>

namespace kiosk::payment {
namespace {

constexpr std::string_view kRecordPrefix = "pay/";
constexpr std::string_view kCounterKey = "meta/service_id";
constexpr std::string_view kReconciledKey = "meta/reconciled_at_ms";
constexpr std::string_view kReconciliationPrefix = "recon/";
constexpr std::uint64_t kMaxServiceId = 9'999'999'999ULL;  // nexo ServiceID is at most 10 characters

rocksdb::WriteOptions synced() {
  rocksdb::WriteOptions w;
  w.sync = true;
  return w;
}

std::string record_key(std::string_view key) {
  return std::string(kRecordPrefix) + std::string(key);
}

}  // namespace

std::string_view to_string(PaymentState s) {
  switch (s) {
    case PaymentState::kStarted:
      return "STARTED";
    case PaymentState::kInProgress:
      return "IN_PROGRESS";
    case PaymentState::kApproved:
      return "APPROVED";
    case PaymentState::kDeclined:
      return "DECLINED";
    case PaymentState::kAborted:
      return "ABORTED";
    case PaymentState::kFailed:
      return "FAILED";
    case PaymentState::kReversed:
      return "REVERSED";
    case PaymentState::kRefunded:
      return "REFUNDED";
  }
  return "FAILED";
}

std::optional<PaymentState> parse_payment_state(std::string_view s) {
  for (auto st : {PaymentState::kStarted, PaymentState::kInProgress, PaymentState::kApproved, PaymentState::kDeclined,
                  PaymentState::kAborted, PaymentState::kFailed, PaymentState::kReversed, PaymentState::kRefunded})
    if (to_string(st) == s) return st;
  return std::nullopt;
}

std::string encode_record(const PaymentRecord& r) {
  nlohmann::json j{{"key", r.key},
                   {"kind", r.kind},
                   {"original_key", r.original_key},
                   {"original_poi_transaction_id", r.original_poi_transaction_id},
                   {"original_poi_timestamp", r.original_poi_timestamp},
                   {"sale_reference", r.sale_reference},
                   {"sale_id", r.sale_id},
                   {"poi_id", r.poi_id},
                   {"service_id", r.service_id},
                   {"sale_transaction_id", r.sale_transaction_id},
                   {"sale_timestamp", r.sale_timestamp},
                   {"amount_ore", r.amount_ore},
                   {"currency", r.currency},
                   {"state", std::string(to_string(r.state))},
                   {"error_condition", r.error_condition},
                   {"refusal_reason", r.refusal_reason},
                   {"poi_transaction_id", r.poi_transaction_id},
                   {"poi_timestamp", r.poi_timestamp},
                   {"authorized_ore", r.authorized_ore},
                   {"masked_pan", r.masked_pan},
                   {"card_brand", r.card_brand},
                   {"auth_code", r.auth_code},
                   {"receipt_text", r.receipt_text},
                   {"created_unix_ms", r.created_unix_ms},
                   {"updated_unix_ms", r.updated_unix_ms}};
  return j.dump();
}

Result<PaymentRecord> decode_record(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return data_loss("payment journal record is not a JSON object");
  PaymentRecord r;
  try {
    r.key = j.at("key").get<std::string>();
    r.kind = j.value("kind", "payment");
    r.original_key = j.value("original_key", "");
    r.original_poi_transaction_id = j.value("original_poi_transaction_id", "");
    r.original_poi_timestamp = j.value("original_poi_timestamp", "");
    r.sale_reference = j.value("sale_reference", "");
    r.sale_id = j.at("sale_id").get<std::string>();
    r.poi_id = j.at("poi_id").get<std::string>();
    r.service_id = j.at("service_id").get<std::string>();
    r.sale_transaction_id = j.at("sale_transaction_id").get<std::string>();
    r.sale_timestamp = j.value("sale_timestamp", "");
    r.amount_ore = j.at("amount_ore").get<Ore>();
    r.currency = j.at("currency").get<std::string>();
    auto st = parse_payment_state(j.at("state").get<std::string>());
    if (!st) return data_loss(fmt::format("payment journal record '{}' has unknown state", r.key));
    r.state = *st;
    r.error_condition = j.value("error_condition", "");
    r.refusal_reason = j.value("refusal_reason", "");
    r.poi_transaction_id = j.value("poi_transaction_id", "");
    r.poi_timestamp = j.value("poi_timestamp", "");
    r.authorized_ore = j.value("authorized_ore", Ore{0});
    r.masked_pan = j.value("masked_pan", "");
    r.card_brand = j.value("card_brand", "");
    r.auth_code = j.value("auth_code", "");
    r.receipt_text = j.value("receipt_text", "");
    r.created_unix_ms = j.value("created_unix_ms", std::int64_t{0});
    r.updated_unix_ms = j.value("updated_unix_ms", std::int64_t{0});
  } catch (const nlohmann::json::exception& e) {
    return data_loss(fmt::format("payment journal record is malformed: {}", e.what()));
  }
  return r;
}

Result<std::unique_ptr<PaymentJournal>> PaymentJournal::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return unavailable(fmt::format("cannot create payment journal folder {}: {}", dir, ec.message()));
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(options, dir.string(), &raw);
  if (!s.ok()) return unavailable(fmt::format("cannot open payment journal {}: {}", dir, s.ToString()));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string value;
  std::uint64_t counter = 0;
  s = db->Get(rocksdb::ReadOptions(), std::string(kCounterKey), &value);
  if (s.ok()) {
    auto [p, e] = std::from_chars(value.data(), value.data() + value.size(), counter);
    if (e != std::errc() || p != value.data() + value.size())
      return data_loss(fmt::format("payment journal {}: ServiceID counter '{}' is corrupt", dir, value));
  } else if (!s.IsNotFound()) {
    return unavailable(fmt::format("payment journal {}: {}", dir, s.ToString()));
  }
  return std::unique_ptr<PaymentJournal>(new PaymentJournal(std::move(db), counter));
}

PaymentJournal::PaymentJournal(std::unique_ptr<rocksdb::DB> db, std::uint64_t counter)
    : db_(std::move(db)), counter_(counter) {}

PaymentJournal::~PaymentJournal() = default;

Result<std::optional<PaymentRecord>> PaymentJournal::get(std::string_view key) const {
  std::string value;
  auto s = db_->Get(rocksdb::ReadOptions(), record_key(key), &value);
  if (s.IsNotFound()) return std::optional<PaymentRecord>();
  if (!s.ok()) return unavailable(fmt::format("payment journal read of '{}': {}", key, s.ToString()));
  auto r = decode_record(value);
  if (!r) return r.error();
  return std::optional<PaymentRecord>(std::move(*r));
}

std::string PaymentJournal::bump_counter_locked() {
  counter_ = counter_ >= kMaxServiceId ? 1 : counter_ + 1;
  return std::to_string(counter_);
}

Result<PaymentRecord> PaymentJournal::create(PaymentRecord r) {
  std::lock_guard lock(counter_mu_);
  std::string existing;
  if (db_->Get(rocksdb::ReadOptions(), record_key(r.key), &existing).ok())
    return Error{ErrorCode::kAlreadyExists, fmt::format("payment '{}' is already journaled", r.key)};
  const std::uint64_t before = counter_;
  r.service_id = bump_counter_locked();
  // SaleTransactionID ≤ 35 chars: up to 24 of the SaleID, '-', up to 10 digits.
  r.sale_transaction_id = fmt::format("{}-{}", r.sale_id.substr(0, 24), r.service_id);
  rocksdb::WriteBatch batch;
  batch.Put(std::string(kCounterKey), r.service_id);
  batch.Put(record_key(r.key), encode_record(r));
  auto s = db_->Write(synced(), &batch);
  if (!s.ok()) {
    counter_ = before;
    return unavailable(fmt::format("payment journal write of '{}': {}", r.key, s.ToString()));
  }
  return r;
}

Status PaymentJournal::put(const PaymentRecord& r) {
  auto s = db_->Put(synced(), record_key(r.key), encode_record(r));
  if (!s.ok()) return unavailable(fmt::format("payment journal write of '{}': {}", r.key, s.ToString()));
  return Status::ok();
}

Result<std::string> PaymentJournal::next_service_id() {
  std::lock_guard lock(counter_mu_);
  const std::uint64_t before = counter_;
  std::string id = bump_counter_locked();
  auto s = db_->Put(synced(), std::string(kCounterKey), id);
  if (!s.ok()) {
    counter_ = before;
    return unavailable(fmt::format("payment journal counter write: {}", s.ToString()));
  }
  return id;
}

Result<std::vector<PaymentRecord>> PaymentJournal::in_flight() const {
  auto every = all();
  if (!every) return every.error();
  std::vector<PaymentRecord> out;
  for (auto& r : *every)
    if (!is_final(r.state)) out.push_back(std::move(r));
  return out;
}

Result<std::vector<PaymentRecord>> PaymentJournal::all() const {
  std::vector<PaymentRecord> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(std::string(kRecordPrefix)); it->Valid() && it->key().starts_with(std::string(kRecordPrefix));
       it->Next()) {
    auto r = decode_record(it->value().ToStringView());
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  if (!it->status().ok()) return unavailable(fmt::format("payment journal scan: {}", it->status().ToString()));
  return out;
}

}  // namespace kiosk::payment

namespace kiosk::payment {

Result<std::int64_t> PaymentJournal::last_reconciliation_ms() const {
  std::string value;
  auto s = db_->Get(rocksdb::ReadOptions(), std::string(kReconciledKey), &value);
  if (s.IsNotFound()) return std::int64_t{0};
  if (!s.ok()) return unavailable(fmt::format("payment journal: {}", s.ToString()));
  std::int64_t at = 0;
  auto [p, e] = std::from_chars(value.data(), value.data() + value.size(), at);
  if (e != std::errc() || p != value.data() + value.size())
    return data_loss(fmt::format("payment journal: reconciliation time '{}' is corrupt", value));
  return at;
}

Status PaymentJournal::record_reconciliation(std::int64_t at_unix_ms, const std::string& report_json) {
  rocksdb::WriteBatch batch;
  batch.Put(std::string(kReconciledKey), std::to_string(at_unix_ms));
  batch.Put(fmt::format("{}{:020}", kReconciliationPrefix, at_unix_ms), report_json);
  auto s = db_->Write(synced(), &batch);
  if (!s.ok()) return unavailable(fmt::format("payment journal reconciliation write: {}", s.ToString()));
  return Status::ok();
}

}  // namespace kiosk::payment
