#include "config.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <fstream>
#include <sstream>

namespace kiosk {
namespace {

template <typename T>
Result<T> typed(const toml::table& t, std::string_view section, std::string_view key, T def,
                std::string_view type_name) {
  const toml::node* n = t.at_path(fmt::format("{}.{}", section, key)).node();
  if (n == nullptr) return def;
  if (auto v = n->value<T>()) return *v;
  return invalid_argument(
      fmt::format("config {}.{} (line {}): expected {}", section, key, n->source().begin.line, type_name));
}

}  // namespace

Result<Config> Config::load(const std::filesystem::path& file) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(file, ec);
  if (ec) return invalid_argument(fmt::format("config {}: {}", file, ec.message()));
  std::ifstream in(abs);
  if (!in) return invalid_argument(fmt::format("config {}: cannot open", abs));
  std::ostringstream text;
  text << in.rdbuf();
  auto c = parse(text.str(), abs.parent_path());
  if (!c) return invalid_argument(fmt::format("{}: {}", abs, c.message()));
  return c;
}

Result<Config> Config::parse(std::string_view toml_text, const std::filesystem::path& base_dir) {
  Config c;
  // Debian's toml++ is built with exceptions; they stop here and become an error value.
  try {
    c.table_ = toml::parse(toml_text);
  } catch (const toml::parse_error& err) {
    return invalid_argument(fmt::format("config line {} column {}: {}", err.source().begin.line,
                                        err.source().begin.column, err.description()));
  }
  c.base_dir_ = base_dir;
  auto rt = c.get_path("runtime", "dir", "/run/kiosk");
  if (!rt) return rt.error();
  auto data = c.get_path("runtime", "data_dir", "/var/lib/kiosk");
  if (!data) return data.error();
  c.runtime_dir_ = *rt;
  c.data_dir_ = *data;
  return c;
}

std::filesystem::path Config::resolve(const std::filesystem::path& p) const {
  return p.is_absolute() ? p : (base_dir_ / p).lexically_normal();
}

std::filesystem::path Config::socket_path(std::string_view service) const {
  return runtime_dir_ / fmt::format("{}.sock", service);
}

std::filesystem::path Config::data_path(std::string_view service) const {
  return data_dir_ / service;
}

Result<std::string> Config::get_string(std::string_view s, std::string_view k, std::string def) const {
  return typed<std::string>(table_, s, k, std::move(def), "a string");
}
Result<std::int64_t> Config::get_int(std::string_view s, std::string_view k, std::int64_t def) const {
  return typed<std::int64_t>(table_, s, k, def, "an integer");
}
Result<bool> Config::get_bool(std::string_view s, std::string_view k, bool def) const {
  return typed<bool>(table_, s, k, def, "true or false");
}
Result<std::filesystem::path> Config::get_path(std::string_view s, std::string_view k,
                                               std::filesystem::path def) const {
  auto v = get_string(s, k, def.string());
  if (!v) return v.error();
  return resolve(*v);
}

}  // namespace kiosk
