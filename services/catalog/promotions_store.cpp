// CatalogStore's promotions: a promotions push as a new catalog version, and basket pricing with the
// served version's promotions (key layout in catalog_store.h).
#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>

#include "catalog_store.h"

namespace kiosk::catalog {
namespace {

std::string version_prefix(std::uint64_t v) {
  return fmt::format("v/{:020}/", v);
}

Error storage_error(const rocksdb::Status& s, std::string_view what) {
  return internal_error(fmt::format("catalog database: {}: {}", what, s.ToString()));
}

}  // namespace

Result<ImportOutcome> CatalogStore::push_promotions(std::string_view text, InputFormat format,
                                                    std::string_view source_name) {
  ParsedPromotions parsed = parse_promotions(text, format);
  ImportOutcome out;
  out.version = version();
  if (!parsed.errors.empty()) {
    out.errors = std::move(parsed.errors);
    return out;
  }
  std::lock_guard import_lock(import_mu_);
  const VersionInfo old = version();
  out.version = old;
  if (old.version == 0) {
    out.errors.push_back({0, "", "the catalog has no products yet: push the products before their promotions"});
    return out;
  }
  // Every product named must be served now (import_mu_ keeps the version from changing meanwhile).
  const std::string from = version_prefix(old.version);
  for (std::size_t i = 0; i < parsed.promotions.size(); ++i) {
    for (const auto& g : parsed.promotions[i].gtins) {
      std::string ignored;
      const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), from + "p/" + g, &ignored);
      if (s.IsNotFound()) {
        out.errors.push_back(
            {parsed.lines[i], "gtins", fmt::format("no product has GTIN {} in catalog version {}", g, old.version)});
      } else if (!s.ok()) {
        return storage_error(s, "checking a promotion's products");
      }
    }
  }
  if (!out.errors.empty()) return out;

  // The new version: the served one's records but its promotions, then the pushed promotions.
  const std::uint64_t next = old.version + 1;
  const std::string to = version_prefix(next);
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(from); it->Valid() && it->key().starts_with(from); it->Next()) {
    const std::string rest = it->key().ToString().substr(from.size());
    if (rest.starts_with("m/")) continue;
    batch.Put(to + rest, it->value());
  }
  if (!it->status().ok()) return storage_error(it->status(), "reading the served version");
  for (const auto& p : parsed.promotions) batch.Put(to + "m/" + p.id, encode_promotion(p));

  VersionInfo nv = old;  // products and scheduled prices unchanged
  nv.version = next;
  nv.applied_unix_ms = clock_.now_unix_ms();
  nv.source_name = std::string(source_name);
  nv.promotion_count = static_cast<std::uint32_t>(parsed.promotions.size());
  if (auto st = commit_version(batch, nv); !st) return st.error();
  out.applied = true;
  out.version = nv;
  return out;
}

Result<std::vector<Promotion>> CatalogStore::promotions() const {
  std::vector<Promotion> out;
  std::shared_lock lock(mu_);  // the served version is not pruned while we read it
  if (current_.version == 0) return out;
  const std::string from = version_prefix(current_.version) + "m/";
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(from); it->Valid() && it->key().starts_with(from); it->Next()) {
    auto p = decode_promotion(std::string_view(it->value().data(), it->value().size()));
    if (!p) return p.error();
    out.push_back(std::move(*p));
  }
  if (!it->status().ok()) return storage_error(it->status(), "reading promotions");
  return out;
}

Result<CatalogStore::PricedBasket> CatalogStore::price_basket(const std::vector<BasketLine>& lines,
                                                              std::int64_t at_unix_ms, bool member) const {
  if (auto st = validate_basket(lines); !st) return st.error();
  const std::uint64_t v = version().version;
  auto promos = promotions();
  if (!promos) return promos.error();
  PricedBasket out;
  out.pricing = kiosk::catalog::price_basket(lines, *promos, at_unix_ms, member);
  out.catalog_version = v;
  return out;
}

}  // namespace kiosk::catalog
