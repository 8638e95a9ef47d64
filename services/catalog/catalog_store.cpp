#include "catalog_store.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <algorithm>
#include <charconv>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <unordered_set>

#include "common/gtin.h"
#include "schedule.h"

namespace kiosk::catalog {
namespace {

constexpr std::string_view kCurrentKey = "meta/current";
constexpr std::string_view kVersionRecordPrefix = "meta/version/";

std::string version_record_key(std::uint64_t v) {
  return fmt::format("{}{:020}", kVersionRecordPrefix, v);
}

std::string version_prefix(std::uint64_t v) {
  return fmt::format("v/{:020}/", v);
}
std::string product_key(std::uint64_t v, std::string_view gtin14) {
  return version_prefix(v) + "p/" + std::string(gtin14);
}
std::string plu_key(std::uint64_t v, std::string_view plu) {
  return version_prefix(v) + "l/" + std::string(plu);
}
// Promotions of a version: "v/<version>/m/<id>" (promotions_store.cpp).
std::string promotions_prefix(std::uint64_t v) {
  return version_prefix(v) + "m/";
}

Error storage_error(const rocksdb::Status& s, std::string_view what) {
  return internal_error(fmt::format("catalog database: {}: {}", what, s.ToString()));
}

// A GTIN-14 (14 digits) as a number: the same identity as its text, cheaper to hash.
std::uint64_t gtin14_number(std::string_view gtin14) {
  std::uint64_t v = 0;
  std::from_chars(gtin14.data(), gtin14.data() + gtin14.size(), v);
  return v;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Indexes the products a version's WriteBatch puts: every writer (import, rollback, replica, promotions)
// puts all of the new version's products, so the batch is the version.
class BatchIndexer : public rocksdb::WriteBatch::Handler {
 public:
  explicit BatchIndexer(std::string prefix) : prefix_(std::move(prefix)) {}
  void Put(const rocksdb::Slice& key, const rocksdb::Slice& value) override {
    if (!error_.empty() || !key.starts_with(prefix_)) return;
    auto p = decode_product(std::string_view(value.data(), value.size()));
    if (!p) {
      error_ = p.message();
      return;
    }
    builder_.add(*p);
  }
  Result<std::shared_ptr<const SearchIndex>> finish() && {
    if (!error_.empty()) return internal_error("indexing the new version: " + error_);
    return std::move(builder_).build();
  }

 private:
  std::string prefix_;
  SearchIndex::Builder builder_;
  std::string error_;
};

}  // namespace

CatalogStore::CatalogStore(std::unique_ptr<rocksdb::DB> db, const Clock& clock, CatalogOptions options,
                           VersionInfo current)
    : db_(std::move(db)),
      clock_(clock),
      options_(std::move(options)),
      current_(std::move(current)),
      served_product_prefix_(version_prefix(current_.version) + "p/"),
      index_(SearchIndex::Builder().build()) {
  stock_ = std::make_unique<StockLedger>(*db_, clock_, [this](const std::string& gtin14) { return product(gtin14); });
}

CatalogStore::~CatalogStore() = default;

Result<std::unique_ptr<CatalogStore>> CatalogStore::open(const std::filesystem::path& dir, const Clock& clock,
                                                         CatalogOptions opts) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return unavailable(fmt::format("cannot create catalog folder {}: {}", dir, ec.message()));
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));  // point lookups dominate
  table.block_cache = rocksdb::NewLRUCache(opts.block_cache_bytes);
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = rocksdb::DB::Open(options, dir.string(), &raw);
  if (!s.ok()) return unavailable(fmt::format("cannot open catalog database {}: {}", dir, s.ToString()));
  std::unique_ptr<rocksdb::DB> db(raw);

  VersionInfo current;
  std::string bytes;
  const rocksdb::Status g = db->Get(rocksdb::ReadOptions(), std::string(kCurrentKey), &bytes);
  if (g.ok()) {
    auto v = decode_version(bytes);
    if (!v) return v.error();
    current = *v;
  } else if (!g.IsNotFound()) {
    return storage_error(g, "reading the current version");
  }
  std::unique_ptr<CatalogStore> store(new CatalogStore(std::move(db), clock, std::move(opts), current));
  if (store->options_.keep_versions == 0) return invalid_argument("catalog keep_versions must be at least 1");
  if (current.version > 0) {
    // Databases from before version records: the served version gets its record.
    auto rec = store->get(version_record_key(current.version));
    if (!rec && rec.error().code != ErrorCode::kNotFound) return rec.error();
    if (!rec) {
      rocksdb::WriteOptions wo;
      wo.sync = true;
      const rocksdb::Status s2 = store->db_->Put(wo, version_record_key(current.version), encode_version(current));
      if (!s2.ok()) return storage_error(s2, "recording the served version");
    }
  }
  // A crash between an import's flip and its cleanup leaves versions to prune.
  if (auto st = store->prune_versions(current.version); !st) return st.error();
  if (current.version > 0) {
    auto index = store->index_stored_version(current.version);
    if (!index) return index.error();
    store->index_ = std::move(*index);
  }
  return store;
}

Status CatalogStore::prune_versions(std::uint64_t current) {
  // Everything under "v/" sorts between "v/" and "v0" ('0' follows '/').
  // Version 0 is "nothing imported" and never has keys worth keeping.
  const std::uint64_t oldest = current >= options_.keep_versions ? current - options_.keep_versions + 1 : 1;
  std::string above = version_prefix(current);
  above.back() = '0';
  rocksdb::WriteBatch batch;
  batch.DeleteRange(std::string("v/"), version_prefix(oldest));
  batch.DeleteRange(above, std::string("v0"));
  batch.DeleteRange(std::string(kVersionRecordPrefix), version_record_key(oldest));
  batch.DeleteRange(version_record_key(current + 1), std::string("meta/version0"));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const rocksdb::Status s = db_->Write(wo, &batch);
  if (!s.ok()) return storage_error(s, "deleting old versions");
  return {};
}

Status CatalogStore::commit_version(rocksdb::WriteBatch& batch, const VersionInfo& nv,
                                    std::shared_ptr<const SearchIndex> index) {
  // The new version's search index, built before the flip so both are served together (imports
  // build it from their products; the other writers from the batch, which holds the whole version).
  if (index == nullptr) {
    BatchIndexer indexer(version_prefix(nv.version) + "p/");
    if (const rocksdb::Status is = batch.Iterate(&indexer); !is.ok())
      return storage_error(is, "indexing the new version");
    auto built = std::move(indexer).finish();
    if (!built) return built.error();
    index = std::move(*built);
  }
  const std::string record = encode_version(nv);
  batch.Put(std::string(kCurrentKey), record);
  batch.Put(version_record_key(nv.version), record);
  rocksdb::WriteOptions wo;
  wo.sync = true;  // the version is durable before we say it is applied
  // Written before taking mu_: lookups go on from the served version (under its own prefix, untouched
  // by this batch) during a large write, and see the new one once current_ flips.
  const rocksdb::Status s = db_->Write(wo, &batch);
  if (!s.ok()) return storage_error(s, "writing the new version");
  std::unique_lock lock(mu_);
  current_ = nv;
  served_product_prefix_ = version_prefix(nv.version) + "p/";
  index_ = std::move(index);
  // Readers hold mu_ across their reads, so none is still reading a pruned version now.
  return prune_versions(nv.version);
}

VersionInfo CatalogStore::version() const {
  std::shared_lock lock(mu_);
  return current_;
}

Result<ImportOutcome> CatalogStore::import_text(std::string_view text, InputFormat format, ImportMode mode,
                                                std::string_view source_name) {
  ParsedCatalog parsed = parse_catalog(text, format);
  if (!parsed.errors.empty()) {
    ImportOutcome out;
    out.version = version();
    out.errors = std::move(parsed.errors);
    return out;
  }
  return import_products(parsed.products, parsed.lines, mode, source_name);
}

Result<ImportOutcome> CatalogStore::import_products(const std::vector<Product>& products,
                                                    const std::vector<std::uint32_t>& lines, ImportMode mode,
                                                    std::string_view source_name) {
  std::lock_guard import_lock(import_mu_);
  const VersionInfo old = version();  // only imports change it, and we hold import_mu_
  ImportOutcome out;
  out.version = old;
  const auto line_of = [&](std::size_t i) { return i < lines.size() ? lines[i] : 0u; };

  // Validate what parsing alone cannot see (callers may hand in products not from a CSV). GTIN-14s as
  // numbers in a hash set: a million-product push checks in well under a second.
  std::unordered_set<std::uint64_t> gtins;
  gtins.reserve(products.size());
  std::map<std::string, std::string> plu_owner;  // plu -> gtin14, for the new version
  for (std::size_t i = 0; i < products.size(); ++i) {
    const Product& p = products[i];
    if (!is_valid_gtin14(p.gtin14)) {
      out.errors.push_back({line_of(i), "gtin", fmt::format("'{}' is not a valid GTIN-14", p.gtin14)});
    } else if (!gtins.insert(gtin14_number(p.gtin14)).second) {
      out.errors.push_back({line_of(i), "gtin", fmt::format("duplicate GTIN {}", p.gtin14)});
    }
  }
  if (products.empty()) out.errors.push_back({0, "", "the push holds no products"});
  if (!out.errors.empty()) return out;

  const std::uint64_t next = old.version + 1;
  const std::string product_prefix = version_prefix(next) + "p/";
  std::string key = product_prefix;  // reused: product_prefix + gtin14
  const auto key_of = [&](std::string_view gtin14) -> const std::string& {
    key.resize(product_prefix.size());
    key.append(gtin14);
    return key;
  };
  // Reserved for the whole push (~150 bytes a product): growing a 150 MB batch by doubling copies it.
  rocksdb::WriteBatch batch(products.size() * 160);
  std::uint32_t count = 0;
  ScheduleSummary schedule;
  SearchIndex::Builder index_builder;

  if (mode == ImportMode::kDelta && old.version > 0) {
    // Carry over the current version's products that the push does not name, and their PLUs.
    const std::string from = version_prefix(old.version) + "p/";
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(from); it->Valid() && it->key().starts_with(from); it->Next()) {
      const std::string_view gtin = std::string_view(it->key().data(), it->key().size()).substr(from.size());
      if (gtins.count(gtin14_number(gtin)) != 0) continue;
      auto p = decode_product(std::string_view(it->value().data(), it->value().size()));
      if (!p) return p.error();
      batch.Put(key_of(gtin), it->value());
      if (!p->plu.empty()) plu_owner[p->plu] = std::string(gtin);
      schedule.add(*p);
      index_builder.add(*p);
      ++count;
    }
    if (!it->status().ok()) return storage_error(it->status(), "reading the current version");
  }
  for (std::size_t i = 0; i < products.size(); ++i) {
    const Product& p = products[i];
    if (!p.plu.empty()) {
      const auto [o, fresh] = plu_owner.emplace(p.plu, p.gtin14);
      if (!fresh && o->second != p.gtin14) {
        out.errors.push_back(
            {line_of(i), "plu", fmt::format("PLU {} already belongs to product {}", p.plu, o->second)});
      }
    }
  }
  if (!out.errors.empty()) return out;

  // The new products' search index is built on a second thread while this one encodes and writes
  // them: both read `products`, neither changes it.
  auto index_future = std::async(std::launch::async, [&products, builder = std::move(index_builder)]() mutable {
    for (const Product& p : products) builder.add(p);
    return std::move(builder).build();
  });
  for (const Product& p : products) {
    batch.Put(key_of(p.gtin14), encode_product(p));
    schedule.add(p);
    ++count;
  }
  for (const auto& [plu, gtin] : plu_owner) batch.Put(plu_key(next, plu), gtin);

  VersionInfo nv;
  nv.version = next;
  nv.product_count = count;
  nv.applied_unix_ms = clock_.now_unix_ms();
  nv.source_name = std::string(source_name);
  // Promotions are pushed on their own: a product push keeps the served ones.
  if (old.version > 0) {
    const std::string from = promotions_prefix(old.version);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(from); it->Valid() && it->key().starts_with(from); it->Next()) {
      batch.Put(promotions_prefix(next) + it->key().ToString().substr(from.size()), it->value());
      ++nv.promotion_count;
    }
    if (!it->status().ok()) {
      index_future.wait();
      return storage_error(it->status(), "reading the current promotions");
    }
  }
  schedule.fill(nv);
  // Counts given in the push (stock_quantity) are set with the version; stock not named stays.
  stock_->add_counts(batch, products);
  if (auto st = commit_version(batch, nv, index_future.get()); !st) return st.error();
  stock_->counts_written(products);
  out.applied = true;
  out.version = nv;
  return out;
}

Result<std::vector<VersionInfo>> CatalogStore::versions() const {
  std::vector<VersionInfo> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(std::string(kVersionRecordPrefix)); it->Valid() && it->key().starts_with(kVersionRecordPrefix);
       it->Next()) {
    auto v = decode_version(std::string_view(it->value().data(), it->value().size()));
    if (!v) return v.error();
    out.push_back(std::move(*v));
  }
  if (!it->status().ok()) return storage_error(it->status(), "listing versions");
  std::reverse(out.begin(), out.end());
  return out;
}

Result<VersionDiff> CatalogStore::diff(std::uint64_t from, std::uint64_t to) const {
  // One snapshot: a concurrent import's pruning cannot remove half of a version under us.
  const rocksdb::Snapshot* snap = db_->GetSnapshot();
  std::unique_ptr<const rocksdb::Snapshot, std::function<void(const rocksdb::Snapshot*)>> release(
      snap, [this](const rocksdb::Snapshot* s) { db_->ReleaseSnapshot(s); });
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  for (const std::uint64_t v : {from, to}) {
    std::string bytes;
    const rocksdb::Status s = db_->Get(ro, version_record_key(v), &bytes);
    if (s.IsNotFound()) return not_found(fmt::format("catalog version {} is not kept (see the version list)", v));
    if (!s.ok()) return storage_error(s, "reading a version record");
  }
  VersionDiff out;
  out.from_version = from;
  out.to_version = to;
  const std::string a_prefix = version_prefix(from) + "p/";
  const std::string b_prefix = version_prefix(to) + "p/";
  std::unique_ptr<rocksdb::Iterator> a(db_->NewIterator(ro));
  std::unique_ptr<rocksdb::Iterator> b(db_->NewIterator(ro));
  a->Seek(a_prefix);
  b->Seek(b_prefix);
  const auto a_valid = [&] { return a->Valid() && a->key().starts_with(a_prefix); };
  const auto b_valid = [&] { return b->Valid() && b->key().starts_with(b_prefix); };
  const auto product_at = [](rocksdb::Iterator& it) {
    return decode_product(std::string_view(it.value().data(), it.value().size()));
  };
  while (a_valid() || b_valid()) {
    const std::string_view ga =
        a_valid() ? std::string_view(a->key().data(), a->key().size()).substr(a_prefix.size()) : std::string_view();
    const std::string_view gb =
        b_valid() ? std::string_view(b->key().data(), b->key().size()).substr(b_prefix.size()) : std::string_view();
    if (!gb.empty() && (ga.empty() || gb < ga)) {
      auto p = product_at(*b);
      if (!p) return p.error();
      out.added.push_back(std::move(*p));
      b->Next();
    } else if (!ga.empty() && (gb.empty() || ga < gb)) {
      auto p = product_at(*a);
      if (!p) return p.error();
      out.removed.push_back(std::move(*p));
      a->Next();
    } else {
      if (a->value() != b->value()) {
        auto pa = product_at(*a);
        if (!pa) return pa.error();
        auto pb = product_at(*b);
        if (!pb) return pb.error();
        auto fields = changed_fields(*pa, *pb);
        if (!fields.empty()) out.changed.push_back({std::move(*pa), std::move(*pb), std::move(fields)});
      }
      a->Next();
      b->Next();
    }
  }
  if (!a->status().ok()) return storage_error(a->status(), "diff");
  if (!b->status().ok()) return storage_error(b->status(), "diff");
  return out;
}

Result<VersionInfo> CatalogStore::rollback(std::uint64_t target) {
  std::lock_guard import_lock(import_mu_);
  const VersionInfo old = version();
  auto rec = get(version_record_key(target));
  if (!rec) {
    if (rec.error().code == ErrorCode::kNotFound) {
      return not_found(fmt::format("catalog version {} is not kept (see the version list)", target));
    }
    return rec.error();
  }
  auto info = decode_version(*rec);
  if (!info) return info.error();
  if (target == old.version) return failed_precondition(fmt::format("catalog version {} is already served", target));

  // import_mu_ keeps pruning away while we copy.
  const std::uint64_t next = old.version + 1;
  rocksdb::WriteBatch batch;
  const std::string from = version_prefix(target);
  const std::string to = version_prefix(next);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(from); it->Valid() && it->key().starts_with(from); it->Next()) {
    batch.Put(to + it->key().ToString().substr(from.size()), it->value());
  }
  if (!it->status().ok()) return storage_error(it->status(), "reading the version to roll back to");
  VersionInfo nv = *info;  // counts, promotions and scheduled prices as in the target
  nv.version = next;
  nv.applied_unix_ms = clock_.now_unix_ms();
  nv.source_name = fmt::format("rollback to version {} ({})", target, info->source_name);
  if (auto st = commit_version(batch, nv); !st) return st.error();
  return nv;
}

Result<std::string> CatalogStore::get(const std::string& key) const {
  std::string value;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), key, &value);
  if (s.IsNotFound()) return not_found(key);
  if (!s.ok()) return storage_error(s, "lookup");
  return value;
}

Result<LookupHit> CatalogStore::lookup_gtin14(const std::string& gtin14) const {
  // Caller holds mu_ (shared). The value is read pinned in the block cache, not copied.
  std::string key;
  key.reserve(served_product_prefix_.size() + gtin14.size());
  key.append(served_product_prefix_).append(gtin14);
  rocksdb::PinnableSlice value;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), key, &value);
  if (s.IsNotFound()) return not_found(fmt::format("no product has GTIN {}", gtin14));
  if (!s.ok()) return storage_error(s, "lookup");
  auto p = decode_product(std::string_view(value.data(), value.size()));
  if (!p) return p.error();
  LookupHit hit;
  hit.product = served_at(std::move(*p), clock_.now_unix_ms());
  auto count = stock_->count(gtin14);
  if (!count) return count.error();
  hit.product.stock_quantity = *count;
  hit.catalog_version = current_.version;
  return hit;
}

Result<LookupHit> CatalogStore::lookup(std::string_view raw) const {
  std::string_view code = raw;
  while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
  while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
  if (code.empty()) return invalid_argument("empty code");
  if (looks_like_gs1_element_string(code)) {
    auto gs1 = parse_gs1_element_string(code);
    if (!gs1) return gs1.error();
    return lookup_embedded(*gs1, code);
  }
  if (auto vm = parse_variable_measure(code, options_.variable_measure); !vm) {
    return vm.error();
  } else if (*vm) {
    return lookup_embedded(**vm, code);
  }
  if (!all_digits(code)) return invalid_argument(fmt::format("code '{}' must be digits only", code));

  std::shared_lock lock(mu_);
  if (current_.version == 0) return not_found("the catalog is empty: nothing has been imported yet");
  if (code.size() >= 4 && code.size() <= 6) {
    auto gtin = get(plu_key(current_.version, code));
    if (!gtin) {
      if (gtin.error().code == ErrorCode::kNotFound) return not_found(fmt::format("no product has PLU {}", code));
      return gtin.error();
    }
    return lookup_gtin14(*gtin);
  }
  if (code.size() == 8) {
    // Eight digits are EAN-8 or UPC-E; a code valid as both is tried as EAN-8 first.
    auto ean8 = normalize_gtin(code);
    if (ean8) {
      auto hit = lookup_gtin14(*ean8);
      if (hit || hit.error().code != ErrorCode::kNotFound) return hit;
    }
    auto upce = normalize_gtin(code, true);
    if (upce) {
      auto hit = lookup_gtin14(*upce);
      if (hit || hit.error().code != ErrorCode::kNotFound) return hit;
    }
    if (!ean8 && !upce) {
      return invalid_argument(fmt::format("{}; read as UPC-E: {}", ean8.message(), upce.message()));
    }
    return not_found(fmt::format("no product has code {} (as EAN-8 or UPC-E)", code));
  }
  auto gtin = normalize_gtin(code);
  if (!gtin) return gtin.error();
  return lookup_gtin14(*gtin);
}

Result<LookupHit> CatalogStore::lookup_embedded(const EmbeddedCode& code, std::string_view raw) const {
  std::shared_lock lock(mu_);
  if (current_.version == 0) return not_found("the catalog is empty: nothing has been imported yet");
  auto hit = lookup_gtin14(code.gtin14);
  if (!hit) {
    if (hit.error().code == ErrorCode::kNotFound) {
      return not_found(fmt::format("no product has GTIN {} (from code {})", code.gtin14, raw));
    }
    return hit.error();
  }
  hit->embedded_price_ore = code.price_ore;
  hit->embedded_weight_mg = code.weight_mg;
  return hit;
}

Result<std::shared_ptr<const SearchIndex>> CatalogStore::index_stored_version(std::uint64_t version) const {
  SearchIndex::Builder builder;
  const std::string from = version_prefix(version) + "p/";
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(from); it->Valid() && it->key().starts_with(from); it->Next()) {
    auto p = decode_product(std::string_view(it->value().data(), it->value().size()));
    if (!p) return p.error();
    builder.add(*p);
  }
  if (!it->status().ok()) return storage_error(it->status(), "indexing the served version");
  return std::move(builder).build();
}

std::shared_ptr<const SearchIndex> CatalogStore::search_index() const {
  std::shared_lock lock(mu_);
  return index_;
}

Result<std::vector<Product>> CatalogStore::search(std::string_view query, std::size_t limit) const {
  // mu_ is held throughout: the products read are those of the version the index was built from.
  std::shared_lock lock(mu_);
  if (current_.version == 0) return std::vector<Product>{};
  std::vector<Product> out;
  for (const std::string& gtin : index_->search(query, limit)) {
    auto hit = lookup_gtin14(gtin);
    if (!hit) return hit.error();
    out.push_back(std::move(hit->product));
  }
  return out;
}

std::vector<DepartmentCount> CatalogStore::departments() const {
  std::shared_lock lock(mu_);
  return index_->departments();
}

Result<CatalogStore::BrowsePage> CatalogStore::browse(std::string_view department, bool images_only, std::size_t offset,
                                                      std::size_t limit) const {
  std::shared_lock lock(mu_);
  BrowsePage page;
  page.catalog_version = current_.version;
  const SearchIndex::Page found = index_->browse(department, images_only, offset, limit);
  page.total = found.total;
  for (const std::string& gtin : found.gtin14s) {
    auto hit = lookup_gtin14(gtin);
    if (!hit) return hit.error();
    page.products.push_back(std::move(hit->product));
  }
  return page;
}

}  // namespace kiosk::catalog

namespace kiosk::catalog {

Result<Product> CatalogStore::product(const std::string& gtin14) const {
  std::shared_lock lock(mu_);
  if (current_.version == 0) return not_found("the catalog is empty: nothing has been imported yet");
  auto bytes = get(product_key(current_.version, gtin14));
  if (!bytes) {
    if (bytes.error().code == ErrorCode::kNotFound) return not_found(fmt::format("no product has GTIN {}", gtin14));
    return bytes.error();
  }
  auto p = decode_product(*bytes);
  if (!p) return p.error();
  return served_at(std::move(*p), clock_.now_unix_ms());
}

}  // namespace kiosk::catalog
