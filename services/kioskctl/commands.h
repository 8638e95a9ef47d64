#pragma once
// kioskctl commands: each talks to a service over its Unix socket (from the config), prints for a
// person on `out`, problems on `err`, and returns the process exit code (0 ok, 1 failed, 2 usage).
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/result.h"

namespace kiosk::ctl {

// Pushes a CSV (JSON Lines when the name ends in .jsonl); prints "version N: M products", or every error as "file:line:
// column: message".
int catalog_import(const Config& config, const std::filesystem::path& csv, bool delta, std::ostream& out,
                   std::ostream& err);
int catalog_get(const Config& config, std::string_view code, std::ostream& out, std::ostream& err);
int catalog_search(const Config& config, std::string_view text, unsigned limit, std::ostream& out, std::ostream& err);
int catalog_version(const Config& config, std::ostream& out, std::ostream& err);
// One line per kept version, newest first; the served one is marked with '*'.
int catalog_versions(const Config& config, std::ostream& out, std::ostream& err);
// "+ gtin name price" for added, "- ..." for removed, "~ gtin name: field old -> new, ..." for changed.
int catalog_diff(const Config& config, std::uint64_t from, std::uint64_t to, std::ostream& out, std::ostream& err);
// Serves kept version `version` again as a new version; prints "version N: M products (rollback to V)".
int catalog_rollback(const Config& config, std::uint64_t version, std::ostream& out, std::ostream& err);

// grpc.health.v1 Check on every service socket; one line each: name, socket, status. 0 when all serve.
int health(const Config& config, std::ostream& out);

// libsodium crypto_pwhash_str (Argon2id, interactive limits) of a PIN, for the attendants file.
Result<std::string> hash_pin(std::string_view pin);

}  // namespace kiosk::ctl
