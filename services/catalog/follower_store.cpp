// CatalogStore's side of following a store catalog server: a version out as records, a version in as
// one atomic write (the key layout is described in catalog_store.h).
#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>

#include "catalog_store.h"

namespace kiosk::catalog {
namespace {

constexpr std::string_view kUpstreamKey = "meta/upstream";  // the store server's version served, 8 bytes LE

std::string version_prefix(std::uint64_t v) {
  return fmt::format("v/{:020}/", v);
}
std::string version_record_key(std::uint64_t v) {
  return fmt::format("meta/version/{:020}", v);
}

Error storage_error(const rocksdb::Status& s, std::string_view what) {
  return internal_error(fmt::format("catalog database: {}: {}", what, s.ToString()));
}

std::string encode_u64(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}

}  // namespace

Result<VersionInfo> CatalogStore::export_version(std::uint64_t v, const RecordSink& sink) const {
  const rocksdb::Snapshot* snap = db_->GetSnapshot();
  std::unique_ptr<const rocksdb::Snapshot, std::function<void(const rocksdb::Snapshot*)>> release(
      snap, [this](const rocksdb::Snapshot* s) { db_->ReleaseSnapshot(s); });
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  if (v == 0) v = version().version;
  if (v == 0) return not_found("the catalog is empty: nothing has been imported yet");
  std::string bytes;
  const rocksdb::Status s = db_->Get(ro, version_record_key(v), &bytes);
  if (s.IsNotFound()) return not_found(fmt::format("catalog version {} is not kept (see the version list)", v));
  if (!s.ok()) return storage_error(s, "reading a version record");
  auto info = decode_version(bytes);
  if (!info) return info.error();
  const std::string prefix = version_prefix(v);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string_view key(it->key().data() + prefix.size(), it->key().size() - prefix.size());
    if (auto st = sink(key, std::string_view(it->value().data(), it->value().size())); !st) return st.error();
  }
  if (!it->status().ok()) return storage_error(it->status(), "reading the version to send");
  return *info;
}

Result<VersionInfo> CatalogStore::apply_replica(const VersionInfo& upstream,
                                                const std::vector<std::pair<std::string, std::string>>& records) {
  std::uint32_t products = 0;
  for (const auto& [key, value] : records) {
    if (key.empty() || key.find('/') == std::string::npos) {
      return invalid_argument(fmt::format("store server version {}: malformed record key '{}'", upstream.version, key));
    }
    if (key.starts_with("p/")) {
      if (auto p = decode_product(value); !p) {
        return invalid_argument(
            fmt::format("store server version {}: product {}: {}", upstream.version, key.substr(2), p.message()));
      }
      ++products;
    }
  }
  if (products != upstream.product_count) {
    return invalid_argument(fmt::format("store server version {}: {} products received, its record says {}",
                                        upstream.version, products, upstream.product_count));
  }
  std::lock_guard import_lock(import_mu_);
  const VersionInfo old = version();
  const std::uint64_t next = old.version + 1;
  const std::string prefix = version_prefix(next);
  rocksdb::WriteBatch batch;
  for (const auto& [key, value] : records) batch.Put(prefix + key, value);
  batch.Put(std::string(kUpstreamKey), encode_u64(upstream.version));
  VersionInfo nv = upstream;
  nv.version = next;
  nv.applied_unix_ms = clock_.now_unix_ms();
  nv.source_name = fmt::format("store server version {} ({})", upstream.version, upstream.source_name);
  if (auto st = commit_version(batch, nv); !st) return st.error();
  return nv;
}

Result<std::uint64_t> CatalogStore::upstream_version() const {
  auto bytes = get(std::string(kUpstreamKey));
  if (!bytes) {
    if (bytes.error().code == ErrorCode::kNotFound) return std::uint64_t{0};
    return bytes.error();
  }
  if (bytes->size() != 8) return internal_error("catalog database: meta/upstream is not 8 bytes");
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>((*bytes)[i])) << (8 * i);
  return v;
}

}  // namespace kiosk::catalog
