#pragma once
// kioskctl commands: each talks to a service over its Unix socket (from the config) or to the kiosks
// named with --kiosk, prints for a person on `out`, problems on `err`, and returns the process exit
// code (0 ok, 1 failed, 2 usage).
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/result.h"
#include "kiosk_target.h"

namespace kiosk::ctl {

// Pushes a CSV (JSON Lines when the name ends in .jsonl) to every kiosk at once (ImportStream) and
// reports each: "version N: M products", or every error as "file:line: column: message" (each line
// prefixed with "<kiosk>: " when there are several kiosks). A progress bar of the bytes sent goes to
// `err` for pushes of 1 MB or more: redrawn in place when `err_is_tty`, else a line per 10 %. Returns
// 1 if any kiosk failed or rejected the push.
int catalog_push(const Connection& conn, const std::filesystem::path& file, bool delta, std::ostream& out,
                 std::ostream& err, bool err_is_tty);
int catalog_get(const Connection& conn, std::string_view code, std::ostream& out, std::ostream& err);
int catalog_search(const Connection& conn, std::string_view text, unsigned limit, std::ostream& out, std::ostream& err);
int catalog_version(const Connection& conn, std::ostream& out, std::ostream& err);
// One line per kept version, newest first; the served one is marked with '*'.
int catalog_versions(const Connection& conn, std::ostream& out, std::ostream& err);
// "+ gtin name price" for added, "- ..." for removed, "~ gtin name: field old -> new, ..." for changed.
int catalog_diff(const Connection& conn, std::uint64_t from, std::uint64_t to, std::ostream& out, std::ostream& err);
// Serves kept version `version` again as a new version; prints "version N: M products (rollback to V)".
int catalog_rollback(const Connection& conn, std::uint64_t version, std::ostream& out, std::ostream& err);

// Stock counts (store IT): one line "gtin  stock N  low-stock threshold T[  LOW]" per kiosk.
int stock_get(const Connection& conn, std::string_view gtin, std::ostream& out, std::ostream& err);
int stock_set(const Connection& conn, std::string_view gtin, std::int64_t quantity, std::ostream& out,
              std::ostream& err);
// Low-stock events of one kiosk as they happen, a line each; ends after `count` events (0: never).
int stock_watch(const Connection& conn, bool include_current, unsigned count, std::ostream& out, std::ostream& err);

// grpc.health.v1 Check on every service socket; one line each: name, socket, status. 0 when all serve.
int health(const Config& config, std::ostream& out);

// The SHA-256 (hex) of a store-IT token, for [catalog] token_sha256 / token_file on the kiosks.
std::string token_hash(std::string_view token);

// libsodium crypto_pwhash_str (Argon2id, interactive limits) of a PIN, for the attendants file.
Result<std::string> hash_pin(std::string_view pin);

}  // namespace kiosk::ctl
