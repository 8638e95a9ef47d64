#pragma once
// One TOML file configures every process of a kiosk (deploy/kiosk.toml is the default). Each service
// reads its own [section]; [runtime] says where sockets and databases live. Relative paths in the file
// are relative to the file's own folder, so a test or the demo can keep everything in one temp dir.
#include <toml++/toml.h>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "result.h"

namespace kiosk {

class Config {
 public:
  // Parses the file; errors name the file, line and column.
  static Result<Config> load(const std::filesystem::path& file);
  static Result<Config> parse(std::string_view toml_text, const std::filesystem::path& base_dir);

  // <runtime.dir>/<service>.sock, e.g. socket_path("catalog").
  std::filesystem::path socket_path(std::string_view service) const;
  // <runtime.data_dir>/<service>, for the service's RocksDB.
  std::filesystem::path data_path(std::string_view service) const;
  const std::filesystem::path& runtime_dir() const { return runtime_dir_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::filesystem::path& base_dir() const { return base_dir_; }

  // Typed access to "section.key" with a default; a present value of the wrong type is an error.
  Result<std::string> get_string(std::string_view section, std::string_view key, std::string def) const;
  Result<std::int64_t> get_int(std::string_view section, std::string_view key, std::int64_t def) const;
  Result<bool> get_bool(std::string_view section, std::string_view key, bool def) const;
  // A path value, resolved against the config file's folder when relative.
  Result<std::filesystem::path> get_path(std::string_view section, std::string_view key,
                                         std::filesystem::path def) const;
  Result<std::chrono::milliseconds> get_ms(std::string_view section, std::string_view key,
                                           std::chrono::milliseconds def) const {
    auto v = get_int(section, key, def.count());
    if (!v) return v.error();
    return std::chrono::milliseconds(*v);
  }
  std::filesystem::path resolve(const std::filesystem::path& p) const;

  const toml::table& table() const { return table_; }

 private:
  toml::table table_;
  std::filesystem::path base_dir_;
  std::filesystem::path runtime_dir_;
  std::filesystem::path data_dir_;
};

}  // namespace kiosk
