#pragma once
// The catalog: products in RocksDB, versioned and replaced all-or-nothing.
//
// Key layout (all in the default column family):
//   meta/current                 -> VersionInfo of the version being served
//   meta/version/<version:20>    -> VersionInfo of every version kept (for list, diff and rollback)
//   v/<version:20>/p/<gtin14>    -> Product
//   v/<version:20>/l/<plu>       -> gtin14 (PLU index)
//   v/<version:20>/m/<promo id>  -> Promotion (promotions.h); carried over by product pushes
//   stock/...                    -> stock counts and sale markers, outside versions (stock_ledger.h)
// An import (or a rollback) writes the whole new version under a fresh prefix and flips meta/current in
// the same synced WriteBatch, so a crash leaves either the old or the new version served, never a mix.
// Versions are numbered without gaps; the newest CatalogOptions::keep_versions are kept and older ones
// deleted afterwards (and at open, with any keys above the served version a crash left behind).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog_csv.h"
#include "common/clock.h"
#include "common/result.h"
#include "pricing.h"
#include "product.h"
#include "product_codec.h"
#include "promotions.h"
#include "search_index.h"
#include "stock_ledger.h"
#include "variable_measure.h"
#include "version_diff.h"

namespace rocksdb {
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace kiosk::catalog {

enum class ImportMode {
  kFull,   // the push replaces the whole catalog
  kDelta,  // the push upserts the products it names; the rest stay
};

struct ImportOutcome {
  bool applied = false;            // false: nothing changed, see errors
  VersionInfo version;             // the version served after the call
  std::vector<InputError> errors;  // every problem found, in file order
};

struct LookupHit {
  Product product;
  std::uint64_t catalog_version = 0;
  // Set for codes that carry an amount (variable-measure 2X codes, GS1 (392n)/(310n)).
  std::optional<Ore> embedded_price_ore;
  std::optional<Milligrams> embedded_weight_mg;
};

struct CatalogOptions {
  VariableMeasureRules variable_measure = swedish_variable_measure_rules();
  std::uint32_t keep_versions = 5;  // versions kept for diff and rollback, the served one included; >= 1
  // RocksDB block cache (bytes) for lookups: blocks of the served version stay decompressed in memory.
  std::size_t block_cache_bytes = 64u << 20;
};

class CatalogStore {
 public:
  // Opens (creating if needed) the database in `dir`. `clock` stamps versions and must outlive the store.
  static Result<std::unique_ptr<CatalogStore>> open(const std::filesystem::path& dir, const Clock& clock,
                                                    CatalogOptions options = {});
  ~CatalogStore();
  CatalogStore(const CatalogStore&) = delete;
  CatalogStore& operator=(const CatalogStore&) = delete;

  // Validates the whole CSV; applies it as a new version only if it has no error. An Error result
  // means storage failed (nothing applied either); input problems come back in ImportOutcome::errors.
  Result<ImportOutcome> import_csv(std::string_view csv, ImportMode mode, std::string_view source_name) {
    return import_text(csv, InputFormat::kCsv, mode, source_name);
  }
  Result<ImportOutcome> import_text(std::string_view text, InputFormat format, ImportMode mode,
                                    std::string_view source_name);
  // The same for rows already parsed (lines[i] is the input line of products[i], for errors).
  Result<ImportOutcome> import_products(const std::vector<Product>& products, const std::vector<std::uint32_t>& lines,
                                        ImportMode mode, std::string_view source_name);

  // A code as scanned or typed: EAN-8, UPC-E (8 digits, tried after EAN-8), UPC-A, EAN-13, GTIN-14,
  // a 4-6 digit PLU, a variable-measure EAN-13 (per CatalogOptions; the product is stored under the code
  // with its value digits zeroed, see parse_variable_measure) or a GS1 element string with (01) and
  // optionally (310n)/(392n). kInvalidArgument for a malformed code, kNotFound when no product has it.
  Result<LookupHit> lookup(std::string_view code) const;

  // Name search over name_sv, name_en and brand of the served version (search_index.h: folded words,
  // prefixes, one typo, ranked). At most `limit` products, best first, as lookups serve them.
  Result<std::vector<Product>> search(std::string_view query, std::size_t limit) const;

  // Departments of the served version, by name, with product counts.
  std::vector<DepartmentCount> departments() const;
  struct BrowsePage {
    std::vector<Product> products;  // by name_sv, then GTIN
    std::uint32_t total = 0;        // products in the department (with an image, when asked)
    std::uint64_t catalog_version = 0;
  };
  // One page of a department's products (matched case-insensitively), from position `offset`.
  Result<BrowsePage> browse(std::string_view department, bool images_only, std::size_t offset, std::size_t limit) const;
  // The served version's search index (never null), e.g. for its size.
  std::shared_ptr<const SearchIndex> search_index() const;

  VersionInfo version() const;

  // The versions kept, newest (the served one) first.
  Result<std::vector<VersionInfo>> versions() const;

  // Products added, removed and changed from version `from` to version `to` (either order).
  // kNotFound when a version is not (or no longer) kept.
  Result<VersionDiff> diff(std::uint64_t from, std::uint64_t to) const;

  // Serves the products of kept version `target` again, as a new version (atomically, like an import).
  // kNotFound when `target` is not kept; kFailedPrecondition when it is the one being served.
  Result<VersionInfo> rollback(std::uint64_t target);

  // Following a store catalog server (definitions in follower_store.cpp). A version travels as its
  // stored records: keys below the version's prefix ("p/<gtin14>", "l/<plu>", ...) with their values.
  using RecordSink = std::function<Status(std::string_view key, std::string_view value)>;
  // Calls `sink` for every record of kept version `v` (0 = the served one), in key order, from one
  // snapshot (a concurrent import cannot prune it away meanwhile). kNotFound when `v` is not kept.
  Result<VersionInfo> export_version(std::uint64_t v, const RecordSink& sink) const;
  // Serves `records` (as export_version gave them) as a new local version, atomically like an import,
  // and remembers upstream.version as the store server's version now served. The new version takes
  // upstream's counts and source. Product records are decoded first: one that does not decode changes
  // nothing (kInvalidArgument).
  Result<VersionInfo> apply_replica(const VersionInfo& upstream,
                                    const std::vector<std::pair<std::string, std::string>>& records);
  // The store server's version last applied by apply_replica; 0 when none.
  Result<std::uint64_t> upstream_version() const;

 public:
  // Promotions (definitions in promotions_store.cpp).
  // Replaces every promotion with those in `text`, checked whole (and their GTINs against the served
  // products), as a new version with the served products; or nothing applied and every error listed.
  Result<ImportOutcome> push_promotions(std::string_view text, InputFormat format, std::string_view source_name);
  // The served version's promotions, by id.
  Result<std::vector<Promotion>> promotions() const;
  struct PricedBasket {
    BasketPricing pricing;
    std::uint64_t catalog_version = 0;
  };
  // price_basket (pricing.h) with the served version's promotions; kInvalidArgument for a bad line.
  Result<PricedBasket> price_basket(const std::vector<BasketLine>& lines, std::int64_t at_unix_ms, bool member) const;

  // Stock counts, apart from versions (stock_ledger.h).
  StockLedger& stock() { return *stock_; }
  // The served product with GTIN-14 `gtin14` as sold now (scheduled price applied), without its stock count.
  Result<Product> product(const std::string& gtin14) const;
  std::int64_t now_unix_ms() const { return clock_.now_unix_ms(); }

 private:
  CatalogStore(std::unique_ptr<rocksdb::DB> db, const Clock& clock, CatalogOptions options, VersionInfo current);
  Result<LookupHit> lookup_embedded(const EmbeddedCode& code, std::string_view raw) const;
  Result<std::string> get(const std::string& key) const;  // kNotFound when absent
  Result<LookupHit> lookup_gtin14(const std::string& gtin14) const;
  // Deletes versions older than the newest keep_versions and keys above `current`.
  Status prune_versions(std::uint64_t current);
  // Adds the version records to `batch` and writes it synced, then serves `nv` and prunes. Caller holds
  // import_mu_. `index`: the new version's search index when the caller built it; null: built from the batch.
  Status commit_version(rocksdb::WriteBatch& batch, const VersionInfo& nv,
                        std::shared_ptr<const SearchIndex> index = nullptr);
  // The search index of the products (keys v/<version>/p/...) of a version kept in the database.
  Result<std::shared_ptr<const SearchIndex>> index_stored_version(std::uint64_t version) const;

  std::unique_ptr<rocksdb::DB> db_;
  const Clock& clock_;
  const CatalogOptions options_;
  std::mutex import_mu_;                      // one import at a time
  mutable std::shared_mutex mu_;              // readers vs. the version flip and old-version cleanup
  VersionInfo current_;                       // guarded by mu_
  std::string served_product_prefix_;         // "v/<current_.version>/p/"; guarded by mu_
  std::shared_ptr<const SearchIndex> index_;  // current_'s products; guarded by mu_, swapped with current_
  std::unique_ptr<StockLedger> stock_;
};

}  // namespace kiosk::catalog
