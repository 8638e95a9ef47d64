#include "catalog_store.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "common/gtin.h"

namespace kiosk::catalog {
namespace {

constexpr std::string_view kCurrentKey = "meta/current";

std::string version_prefix(std::uint64_t v) {
  return fmt::format("v/{:020}/", v);
}
std::string product_key(std::uint64_t v, std::string_view gtin14) {
  return version_prefix(v) + "p/" + std::string(gtin14);
}
std::string plu_key(std::uint64_t v, std::string_view plu) {
  return version_prefix(v) + "l/" + std::string(plu);
}

Error storage_error(const rocksdb::Status& s, std::string_view what) {
  return internal_error(fmt::format("catalog database: {}: {}", what, s.ToString()));
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Lower case for matching: ASCII and the Latin-1 letters (Å Ä Ö É Ü ...) in their UTF-8 form.
std::string fold(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      auto d = static_cast<unsigned char>(out[i + 1]);
      if (d >= 0x80 && d <= 0x9E && d != 0x97) out[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
  return out;
}

// 0 = starts with, 1 = a word starts with, 2 = contains, 3 = no match.
int match_rank(std::string_view name, std::string_view q) {
  const std::size_t at = name.find(q);
  if (at == std::string_view::npos) return 3;
  if (at == 0) return 0;
  for (std::size_t p = at; p != std::string_view::npos; p = name.find(q, p + 1)) {
    const char before = name[p - 1];
    if (before == ' ' || before == '-' || before == '/' || before == '(' || before == ',') return 1;
  }
  return 2;
}

}  // namespace

CatalogStore::CatalogStore(std::unique_ptr<rocksdb::DB> db, const Clock& clock, CatalogOptions options,
                           VersionInfo current)
    : db_(std::move(db)), clock_(clock), options_(std::move(options)), current_(std::move(current)) {}

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
  // A crash between an import's flip and its cleanup leaves the old version's keys behind.
  if (auto st = store->drop_versions_except(current.version); !st) return st.error();
  return store;
}

Status CatalogStore::drop_versions_except(std::uint64_t keep) {
  // Everything under "v/" sorts between "v/" and "v0" ('0' follows '/').
  const std::string keep_prefix = version_prefix(keep);
  std::string keep_end = keep_prefix;
  keep_end.back() = '0';
  rocksdb::WriteBatch batch;
  batch.DeleteRange(std::string("v/"), keep_prefix);
  batch.DeleteRange(keep_end, std::string("v0"));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const rocksdb::Status s = db_->Write(wo, &batch);
  if (!s.ok()) return storage_error(s, "deleting old versions");
  return {};
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

  // Validate what parsing alone cannot see (callers may hand in products not from a CSV).
  std::set<std::string> gtins;
  std::map<std::string, std::string> plu_owner;  // plu -> gtin14, for the new version
  for (std::size_t i = 0; i < products.size(); ++i) {
    const Product& p = products[i];
    if (!is_valid_gtin14(p.gtin14)) {
      out.errors.push_back({line_of(i), "gtin", fmt::format("'{}' is not a valid GTIN-14", p.gtin14)});
    } else if (!gtins.insert(p.gtin14).second) {
      out.errors.push_back({line_of(i), "gtin", fmt::format("duplicate GTIN {}", p.gtin14)});
    }
  }
  if (products.empty()) out.errors.push_back({0, "", "the push holds no products"});
  if (!out.errors.empty()) return out;

  const std::uint64_t next = old.version + 1;
  rocksdb::WriteBatch batch;
  std::uint32_t count = 0;

  if (mode == ImportMode::kDelta && old.version > 0) {
    // Carry over the current version's products that the push does not name, and their PLUs.
    const std::string from = version_prefix(old.version) + "p/";
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(from); it->Valid() && it->key().starts_with(from); it->Next()) {
      const std::string gtin = it->key().ToString().substr(from.size());
      if (gtins.count(gtin) != 0) continue;
      auto p = decode_product(std::string_view(it->value().data(), it->value().size()));
      if (!p) return p.error();
      batch.Put(product_key(next, gtin), it->value());
      if (!p->plu.empty()) plu_owner[p->plu] = gtin;
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
    batch.Put(product_key(next, p.gtin14), encode_product(p));
    ++count;
  }
  if (!out.errors.empty()) return out;
  for (const auto& [plu, gtin] : plu_owner) batch.Put(plu_key(next, plu), gtin);

  VersionInfo nv{next, count, clock_.now_unix_ms(), std::string(source_name)};
  batch.Put(std::string(kCurrentKey), encode_version(nv));
  rocksdb::WriteOptions wo;
  wo.sync = true;  // the version is durable before we say it is applied
  {
    std::unique_lock lock(mu_);
    const rocksdb::Status s = db_->Write(wo, &batch);
    if (!s.ok()) return storage_error(s, "writing the new version");
    current_ = nv;
    // Readers hold mu_ across their reads, so none is still reading the old version now.
    if (auto st = drop_versions_except(next); !st) return st.error();
  }
  out.applied = true;
  out.version = nv;
  return out;
}

Result<std::string> CatalogStore::get(const std::string& key) const {
  std::string value;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), key, &value);
  if (s.IsNotFound()) return not_found(key);
  if (!s.ok()) return storage_error(s, "lookup");
  return value;
}

Result<LookupHit> CatalogStore::lookup_gtin14(const std::string& gtin14) const {
  // Caller holds mu_ (shared).
  auto bytes = get(product_key(current_.version, gtin14));
  if (!bytes) {
    if (bytes.error().code == ErrorCode::kNotFound) return not_found(fmt::format("no product has GTIN {}", gtin14));
    return bytes.error();
  }
  auto p = decode_product(*bytes);
  if (!p) return p.error();
  LookupHit hit;
  hit.product = std::move(*p);
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

Result<std::vector<Product>> CatalogStore::search(std::string_view query, std::size_t limit) const {
  const std::string q = fold(query);
  std::vector<std::pair<int, Product>> hits;
  if (q.empty()) return std::vector<Product>{};
  {
    std::shared_lock lock(mu_);
    if (current_.version == 0) return std::vector<Product>{};
    const std::string from = version_prefix(current_.version) + "p/";
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(from); it->Valid() && it->key().starts_with(from); it->Next()) {
      auto p = decode_product(std::string_view(it->value().data(), it->value().size()));
      if (!p) return p.error();
      const int rank = std::min(
          {match_rank(fold(p->name_sv), q), match_rank(fold(p->name_en), q), match_rank(fold(p->brand), q) + 1});
      if (rank < 3) hits.emplace_back(rank, std::move(*p));
    }
    if (!it->status().ok()) return storage_error(it->status(), "search");
  }
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.name_sv < b.second.name_sv;
  });
  std::vector<Product> out;
  for (auto& h : hits) {
    if (out.size() >= limit) break;
    out.push_back(std::move(h.second));
  }
  return out;
}

}  // namespace kiosk::catalog
