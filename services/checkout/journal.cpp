#include "checkout/journal.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/evp.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <charconv>
#include <sstream>

namespace kiosk::checkout {
namespace {

constexpr const char* kSessionKey = "session";
constexpr const char* kLaneKey = "lane_state";

std::string sale_key(std::uint32_t n) {
  return fmt::format("sale/{:010}", n);
}
std::string event_key(std::uint64_t rev) {
  return fmt::format("event/{:020}", rev);
}
std::string stock_key(std::uint32_t n) {
  return fmt::format("stock/{:010}", n);
}
std::string request_key(const std::string& id) {
  return "request/" + id;
}

std::string deterministic_bytes(const google::protobuf::MessageLite& m) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream sos(&out);
    google::protobuf::io::CodedOutputStream cos(&sos);
    cos.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&cos);
  }
  return out;
}

std::string encode_lane(const LaneState& l) {
  return fmt::format("session_seq={} age_approved_through={} receipt_shown_unix_ms={} vision_seq={}", l.session_seq,
                     l.age_approved_through, l.receipt_shown_unix_ms, l.vision_seq);
}

LaneState decode_lane(const std::string& s) {
  LaneState l;
  std::istringstream in(s);
  std::string kv;
  while (in >> kv) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    const std::string k = kv.substr(0, eq);
    const std::string v = kv.substr(eq + 1);
    if (k == "session_seq") l.session_seq = std::stoull(v);
    if (k == "age_approved_through") l.age_approved_through = static_cast<std::uint32_t>(std::stoul(v));
    if (k == "receipt_shown_unix_ms") l.receipt_shown_unix_ms = std::stoll(v);
    if (k == "vision_seq") l.vision_seq = std::stoull(v);
  }
  return l;
}

Error db_error(const rocksdb::Status& s, std::string_view what) {
  return data_loss(fmt::format("checkout journal: {}: {}", what, s.ToString()));
}

}  // namespace

std::string Journal::sale_hash(const v1::Sale& sale) {
  v1::Sale copy = sale;
  copy.clear_hash();
  const std::string bytes = deterministic_bytes(copy);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

Journal::Journal(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
Journal::~Journal() = default;

Result<std::unique_ptr<Journal>> Journal::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return unavailable(fmt::format("cannot create journal folder {}: {}", dir.string(), ec.message()));
  rocksdb::Options opts;
  opts.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  const auto s = rocksdb::DB::Open(opts, dir.string(), &raw);
  if (!s.ok()) return unavailable(fmt::format("cannot open checkout journal {}: {}", dir.string(), s.ToString()));
  std::unique_ptr<Journal> j(new Journal(std::unique_ptr<rocksdb::DB>(raw)));
  // The last sale gives the next receipt number and the chain head.
  std::unique_ptr<rocksdb::Iterator> it(j->db_->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev("sale/~");
  if (it->Valid() && it->key().starts_with("sale/")) {
    v1::Sale sale;
    if (!sale.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return data_loss(fmt::format("checkout journal: record {} is unreadable", it->key().ToString()));
    }
    j->last_receipt_ = sale.receipt_number();
    j->last_hash_ = sale.hash();
  }
  return j;
}

Result<std::optional<Journal::Snapshot>> Journal::load() const {
  std::string v;
  auto s = db_->Get(rocksdb::ReadOptions(), kSessionKey, &v);
  if (s.IsNotFound()) return std::optional<Snapshot>();
  if (!s.ok()) return db_error(s, "reading the session");
  Snapshot snap;
  if (!snap.session.ParseFromString(v)) return data_loss("checkout journal: the session snapshot is unreadable");
  std::string l;
  s = db_->Get(rocksdb::ReadOptions(), kLaneKey, &l);
  if (s.ok()) snap.lane = decode_lane(l);
  return std::optional<Snapshot>(std::move(snap));
}

Status Journal::commit(const Transition& t) {
  rocksdb::WriteBatch batch;
  std::string sale_hash_value;
  if (t.sale) {
    if (t.sale->receipt_number() != next_receipt_number()) {
      return internal_error(
          fmt::format("receipt number {} is not the next one ({})", t.sale->receipt_number(), next_receipt_number()));
    }
    t.sale->set_prev_hash(last_hash_);
    sale_hash_value = sale_hash(*t.sale);
    t.sale->set_hash(sale_hash_value);
    batch.Put(sale_key(t.sale->receipt_number()), deterministic_bytes(*t.sale));
    // In the same synced write as the sale: a crash can never lose the stock decrement of a sale.
    batch.Put(stock_key(t.sale->receipt_number()), "");
  }
  if (t.session) {
    const std::string bytes = deterministic_bytes(*t.session);
    batch.Put(kSessionKey, bytes);
    batch.Put(event_key(t.session->revision()),
              fmt::format("{} {}", v1::SessionState_Name(t.session->state()), t.event));
    if (!t.request_id.empty()) batch.Put(request_key(t.request_id), bytes);
  }
  if (t.lane) batch.Put(kLaneKey, encode_lane(*t.lane));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const auto s = db_->Write(wo, &batch);
  if (!s.ok()) return db_error(s, "writing a transition");
  if (t.sale) {
    last_receipt_ = t.sale->receipt_number();
    last_hash_ = sale_hash_value;
  }
  return Status::ok();
}

Result<std::optional<v1::Session>> Journal::find_request(const std::string& id) const {
  std::string v;
  const auto s = db_->Get(rocksdb::ReadOptions(), request_key(id), &v);
  if (s.IsNotFound()) return std::optional<v1::Session>();
  if (!s.ok()) return db_error(s, "reading a request");
  v1::Session session;
  if (!session.ParseFromString(v)) return data_loss("checkout journal: a request record is unreadable");
  return std::optional<v1::Session>(std::move(session));
}

Result<v1::Sale> Journal::get_sale(std::uint32_t n) const {
  std::string v;
  const auto s = db_->Get(rocksdb::ReadOptions(), sale_key(n), &v);
  if (s.IsNotFound()) return not_found(fmt::format("no sale with receipt number {}", n));
  if (!s.ok()) return db_error(s, "reading a sale");
  v1::Sale sale;
  if (!sale.ParseFromString(v)) return data_loss(fmt::format("sale {} is unreadable", n));
  return sale;
}

Result<std::vector<v1::Sale>> Journal::list_sales(std::uint32_t after, std::uint32_t limit) const {
  std::vector<v1::Sale> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(sale_key(after + 1)); it->Valid() && it->key().starts_with("sale/"); it->Next()) {
    if (limit && out.size() >= limit) break;
    v1::Sale sale;
    if (!sale.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return data_loss(fmt::format("record {} is unreadable", it->key().ToString()));
    }
    out.push_back(std::move(sale));
  }
  return out;
}

Result<std::vector<std::uint32_t>> Journal::pending_stock(std::uint32_t limit) const {
  std::vector<std::uint32_t> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("stock/"); it->Valid() && it->key().starts_with("stock/"); it->Next()) {
    if (limit && out.size() >= limit) break;
    const std::string digits = it->key().ToString().substr(6);
    std::uint32_t n = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || p != digits.data() + digits.size()) {
      return data_loss(fmt::format("checkout journal: bad stock record key {}", it->key().ToString()));
    }
    out.push_back(n);
  }
  if (!it->status().ok()) return db_error(it->status(), "reading the stock queue");
  return out;
}

Status Journal::stock_recorded(std::uint32_t receipt_number) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const auto s = db_->Delete(wo, stock_key(receipt_number));
  if (!s.ok()) return db_error(s, "removing a stock record");
  return Status::ok();
}

Result<std::vector<std::string>> Journal::events(std::uint64_t after_revision, std::uint32_t limit) const {
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(event_key(after_revision + 1)); it->Valid() && it->key().starts_with("event/"); it->Next()) {
    if (limit && out.size() >= limit) break;
    out.push_back(it->value().ToString());
  }
  return out;
}

JournalVerdict Journal::verify() const {
  JournalVerdict v;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  std::string prev_hash;
  std::uint32_t expect = 1;
  auto fail = [&](std::string why) {
    v.ok = false;
    v.first_problem = std::move(why);
    return v;
  };
  for (it->Seek("sale/"); it->Valid() && it->key().starts_with("sale/"); it->Next()) {
    const std::string key = it->key().ToString();
    v1::Sale sale;
    if (!sale.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return fail(fmt::format("{}: record is unreadable", key));
    }
    if (key != sale_key(sale.receipt_number())) {
      return fail(fmt::format("{}: holds receipt number {}", key, sale.receipt_number()));
    }
    if (sale.receipt_number() != expect) {
      return fail(fmt::format("receipt {}: expected receipt number {} (a gap or a reused number)",
                              sale.receipt_number(), expect));
    }
    if (sale.prev_hash() != prev_hash) {
      return fail(fmt::format("receipt {}: prev_hash does not match the hash of receipt {}", sale.receipt_number(),
                              expect - 1));
    }
    if (sale_hash(sale) != sale.hash()) {
      return fail(fmt::format("receipt {}: content does not match its hash (altered record)", sale.receipt_number()));
    }
    prev_hash = sale.hash();
    ++expect;
    ++v.sales_checked;
  }
  return v;
}

}  // namespace kiosk::checkout
