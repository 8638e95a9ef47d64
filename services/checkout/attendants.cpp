#include "checkout/attendants.h"

#include <fmt/format.h>
#include <sodium.h>
#include <toml++/toml.h>

#include <fstream>
#include <sstream>

namespace kiosk::checkout {

PinHashCost PinHashCost::minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string> hash_pin(std::string_view pin, PinHashCost cost) {
  if (sodium_init() < 0) return internal_error("libsodium failed to initialise");
  const auto ops = cost.opslimit ? cost.opslimit : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  const auto mem = cost.memlimit ? cost.memlimit : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, pin.data(), pin.size(), ops, mem) != 0) {
    return internal_error("out of memory while hashing the PIN");
  }
  return std::string(out);
}

Result<std::unique_ptr<AttendantDirectory>> AttendantDirectory::load(const std::filesystem::path& file,
                                                                     const Clock& clock) {
  std::ifstream in(file);
  if (!in) return not_found(fmt::format("attendants file {} cannot be read", file.string()));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), file.string(), clock);
}

Result<std::unique_ptr<AttendantDirectory>> AttendantDirectory::parse(std::string_view text, std::string_view where,
                                                                      const Clock& clock) {
  if (sodium_init() < 0) return internal_error("libsodium failed to initialise");
  toml::table parsed;
  // Debian's toml++ is built with exceptions; they stop here and become an error value.
  try {
    parsed = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return invalid_argument(
        fmt::format("{}:{}:{}: {}", where, e.source().begin.line, e.source().begin.column, e.description()));
  }
  std::unique_ptr<AttendantDirectory> dir(new AttendantDirectory(clock));
  const toml::array* arr = parsed["attendant"].as_array();
  if (!arr) return dir;  // no attendants: every attendant action is refused
  std::size_t i = 0;
  for (const auto& node : *arr) {
    ++i;
    const auto* t = node.as_table();
    if (!t) return invalid_argument(fmt::format("{}: attendant #{} is not a table", where, i));
    auto id = (*t)["id"].value<std::string>();
    auto hash = (*t)["pin_hash"].value<std::string>();
    if (!id || id->empty()) return invalid_argument(fmt::format("{}: attendant #{} has no id", where, i));
    if (!hash || hash->rfind("$argon2id$", 0) != 0) {
      return invalid_argument(
          fmt::format("{}: attendant '{}' needs pin_hash = \"$argon2id$...\" (crypto_pwhash_str)", where, *id));
    }
    if (dir->attendants_.count(*id)) {
      return invalid_argument(fmt::format("{}: attendant id '{}' appears twice", where, *id));
    }
    dir->attendants_[*id] = {(*t)["name"].value_or(std::string()), *hash};
  }
  return dir;
}

Status AttendantDirectory::verify(const std::string& id, const std::string& pin) {
  std::lock_guard lock(mu_);
  const std::int64_t now = clock_.now_unix_ms();
  Failures& f = failures_[id];
  if (f.locked_until_unix_ms > now) {
    return permission_denied(fmt::format("attendant '{}' is locked out for {} s after {} wrong PINs", id,
                                         (f.locked_until_unix_ms - now + 999) / 1000, kMaxFailures));
  }
  if (f.locked_until_unix_ms != 0) f = {};  // the lockout has run out: a fresh start
  auto it = attendants_.find(id);
  const bool ok =
      it != attendants_.end() && crypto_pwhash_str_verify(it->second.pin_hash.c_str(), pin.data(), pin.size()) == 0;
  if (ok) {
    f = {};
    return Status::ok();
  }
  if (++f.count >= kMaxFailures) {
    f.locked_until_unix_ms = now + std::chrono::duration_cast<std::chrono::milliseconds>(kLockout).count();
    return permission_denied(
        fmt::format("wrong attendant id or PIN; '{}' is now locked out for {} minutes", id, kLockout.count()));
  }
  return permission_denied(
      fmt::format("wrong attendant id or PIN ({} of {} attempts before lockout)", f.count, kMaxFailures));
}

std::string AttendantDirectory::name_of(const std::string& id) const {
  auto it = attendants_.find(id);
  return it == attendants_.end() ? std::string() : it->second.name;
}

}  // namespace kiosk::checkout
