// kioskctl: the store IT command line.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "commands.h"
#include "common/config.h"

int main(int argc, char** argv) {
  CLI::App app{"kioskctl: store IT command line for a kiosk"};
  app.require_subcommand(1);
  std::string config_path = "/etc/kiosk/kiosk.toml";
  app.add_option("--config", config_path, "kiosk TOML config file (the local kiosk, when no --kiosk is given)");

  auto* catalog = app.add_subcommand("catalog", "product catalog");
  catalog->require_subcommand(1);
  catalog->fallthrough();  // --kiosk, --ca, ... may also follow the command (catalog push --kiosk ...)
  kiosk::ctl::ConnectOptions connect;
  catalog
      ->add_option("--kiosk", connect.kiosks,
                   "a kiosk's catalog: unix:PATH or HOST:PORT (TLS); repeat for several (default: this kiosk)")
      ->expected(1)
      ->take_all();
  catalog->add_option("--ca", connect.ca, "PEM CA of the kiosks' TLS certificates (for HOST:PORT kiosks)");
  catalog->add_option("--cert", connect.cert, "PEM client certificate, for kiosks that require one");
  catalog->add_option("--key", connect.key, "PEM key of --cert");
  catalog->add_option("--token-file", connect.token_file,
                      std::string("file holding the store-IT token (default: $") + kiosk::ctl::kTokenEnv + ")");

  std::string file;
  bool delta = false;
  auto* push = catalog->add_subcommand("push", "push a CSV as a new catalog version to each kiosk (all or nothing)");
  push->alias("import");
  push->add_option("FILE", file, "catalog CSV (or JSON Lines when named *.jsonl)")->required();
  push->add_flag("--delta", delta, "upsert the rows in the file instead of replacing the catalog");
  std::string code;
  auto* get = catalog->add_subcommand("get", "show the product for a GTIN, EAN, UPC or PLU");
  get->add_option("CODE", code, "code as scanned")->required();
  std::string text;
  unsigned limit = 20;
  auto* search = catalog->add_subcommand("search", "find products by name");
  search->add_option("TEXT", text, "part of a Swedish or English name")->required();
  search->add_option("--limit", limit, "most products to list");
  auto* version = catalog->add_subcommand("version", "the catalog version being served");
  auto* versions = catalog->add_subcommand("versions", "the catalog versions kept, newest (served) first");
  std::uint64_t diff_from = 0;
  std::uint64_t diff_to = 0;
  auto* diff = catalog->add_subcommand("diff", "products added, removed and changed from version A to B");
  diff->add_option("A", diff_from, "older version")->required();
  diff->add_option("B", diff_to, "newer version")->required();
  std::uint64_t rollback_to = 0;
  auto* rollback = catalog->add_subcommand("rollback", "serve a kept version again, as a new version");
  rollback->add_option("VERSION", rollback_to, "version to serve again")->required();

  auto* stock = catalog->add_subcommand("stock", "stock counts: get, set, watch low-stock events");
  stock->require_subcommand(1);
  std::string stock_gtin;
  std::int64_t stock_quantity = 0;
  auto* stock_get = stock->add_subcommand("get", "a product's stock count and low-stock threshold");
  stock_get->add_option("GTIN", stock_gtin, "the product's GTIN (any form)")->required();
  auto* stock_set = stock->add_subcommand("set", "set a product's stock count (pieces, or grams by weight)");
  stock_set->add_option("GTIN", stock_gtin, "the product's GTIN (any form)")->required();
  stock_set->add_option("QUANTITY", stock_quantity, "the counted quantity")->required();
  bool watch_current = false;
  unsigned watch_count = 0;
  auto* stock_watch = stock->add_subcommand("watch", "print low-stock events as they happen");
  stock_watch->add_flag("--current", watch_current, "first list every product at or below its threshold now");
  stock_watch->add_option("--count", watch_count, "stop after this many events (default: run until interrupted)");

  auto* health = app.add_subcommand("health", "ask every service whether it is serving");
  auto* hash_pin = app.add_subcommand("hash-pin", "read a PIN on stdin, print its Argon2id hash");
  auto* token_hash = app.add_subcommand(
      "token-hash", "read a store-IT token on stdin, print its SHA-256 for [catalog] token_sha256 / token_file");

  CLI11_PARSE(app, argc, argv);

  if (hash_pin->parsed() || token_hash->parsed()) {
    std::string secret;
    std::getline(std::cin, secret);
    if (!secret.empty() && secret.back() == '\r') secret.pop_back();
    if (token_hash->parsed()) {
      if (secret.empty()) {
        std::cerr << "kioskctl: no token on stdin\n";
        return 1;
      }
      std::cout << kiosk::ctl::token_hash(secret) << "\n";
      return 0;
    }
    auto h = kiosk::ctl::hash_pin(secret);
    if (!h) {
      std::cerr << "kioskctl: " << h.message() << "\n";
      return 1;
    }
    std::cout << *h << "\n";
    return 0;
  }

  // The config is only needed for the local kiosk: store IT pushing to --kiosk addresses has none.
  std::optional<kiosk::Config> config;
  if (health->parsed() || connect.kiosks.empty()) {
    auto c = kiosk::Config::load(config_path);
    if (!c) {
      std::cerr << "kioskctl: " << c.message() << "\n";
      return 2;
    }
    config = std::move(*c);
  }
  if (health->parsed()) return kiosk::ctl::health(*config, std::cout);

  auto conn = kiosk::ctl::connect(connect, config ? &*config : nullptr);
  if (!conn) {
    std::cerr << "kioskctl: " << conn.message() << "\n";
    return 2;
  }
  if (push->parsed()) {
    return kiosk::ctl::catalog_push(*conn, file, delta, std::cout, std::cerr, ::isatty(STDERR_FILENO) == 1);
  }
  if (get->parsed()) return kiosk::ctl::catalog_get(*conn, code, std::cout, std::cerr);
  if (search->parsed()) return kiosk::ctl::catalog_search(*conn, text, limit, std::cout, std::cerr);
  if (version->parsed()) return kiosk::ctl::catalog_version(*conn, std::cout, std::cerr);
  if (versions->parsed()) return kiosk::ctl::catalog_versions(*conn, std::cout, std::cerr);
  if (diff->parsed()) return kiosk::ctl::catalog_diff(*conn, diff_from, diff_to, std::cout, std::cerr);
  if (rollback->parsed()) return kiosk::ctl::catalog_rollback(*conn, rollback_to, std::cout, std::cerr);
  if (stock_get->parsed()) return kiosk::ctl::stock_get(*conn, stock_gtin, std::cout, std::cerr);
  if (stock_set->parsed()) return kiosk::ctl::stock_set(*conn, stock_gtin, stock_quantity, std::cout, std::cerr);
  if (stock_watch->parsed()) {
    return kiosk::ctl::stock_watch(*conn, watch_current, watch_count, std::cout, std::cerr);
  }
  return 2;
}
