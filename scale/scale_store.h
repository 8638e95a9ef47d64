#pragma once
// The scale's persistent state in RocksDB (Config::data_path("scale")): learned product weights and
// the alert log. Two key spaces: "w/<key>" → a learning record, "a/<20-digit seq>" → an alert record
// (values are JSON, written by weight_learning.cpp and alert_log.cpp). Thread-safe (RocksDB is).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace rocksdb {
class DB;
}

namespace kiosk::scale {

class ScaleStore {
 public:
  static Result<std::unique_ptr<ScaleStore>> open(const std::filesystem::path& dir);
  ~ScaleStore();

  Status put(std::string_view key, std::string_view value);
  // Every key with `prefix`, in key order, from `start` on (inclusive); stop by returning false.
  Status scan(std::string_view prefix, std::string_view start,
              const std::function<bool(std::string_view key, std::string_view value)>& fn) const;

 private:
  explicit ScaleStore(std::unique_ptr<rocksdb::DB> db);
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace kiosk::scale
