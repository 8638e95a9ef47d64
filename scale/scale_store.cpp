#include "scale_store.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <rocksdb/db.h>

namespace kiosk::scale {

Result<std::unique_ptr<ScaleStore>> ScaleStore::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return unavailable(fmt::format("cannot create the scale's data folder {}: {}", dir, ec.message()));
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  const auto s = rocksdb::DB::Open(options, dir.string(), &raw);
  if (!s.ok()) return unavailable(fmt::format("cannot open the scale's store {}: {}", dir, s.ToString()));
  return std::unique_ptr<ScaleStore>(new ScaleStore(std::unique_ptr<rocksdb::DB>(raw)));
}

ScaleStore::ScaleStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
ScaleStore::~ScaleStore() = default;

Status ScaleStore::put(std::string_view key, std::string_view value) {
  rocksdb::WriteOptions wo;
  wo.sync = true;  // an alert or a learned weight must survive a power cut
  const auto s = db_->Put(wo, rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size()));
  if (!s.ok()) return unavailable(fmt::format("scale store write of '{}': {}", key, s.ToString()));
  return Status::ok();
}

Status ScaleStore::scan(std::string_view prefix, std::string_view start,
                        const std::function<bool(std::string_view, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const std::string from = start.empty() ? std::string(prefix) : std::string(start);
  for (it->Seek(from); it->Valid(); it->Next()) {
    const auto k = it->key();
    if (!k.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
    if (!fn(std::string_view(k.data(), k.size()), std::string_view(it->value().data(), it->value().size()))) break;
  }
  if (!it->status().ok())
    return unavailable(fmt::format("scale store scan of '{}': {}", prefix, it->status().ToString()));
  return Status::ok();
}

}  // namespace kiosk::scale
