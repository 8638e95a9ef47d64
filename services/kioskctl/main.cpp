// kioskctl: the store IT command line.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <iostream>
#include <string>

#include "commands.h"
#include "common/config.h"

int main(int argc, char** argv) {
  CLI::App app{"kioskctl: store IT command line for a kiosk"};
  app.require_subcommand(1);
  std::string config_path = "/etc/kiosk/kiosk.toml";
  app.add_option("--config", config_path, "kiosk TOML config file");

  auto* catalog = app.add_subcommand("catalog", "product catalog");
  catalog->require_subcommand(1);
  std::string csv;
  bool delta = false;
  auto* import = catalog->add_subcommand("import", "push a CSV as a new catalog version (all or nothing)");
  import->add_option("FILE", csv, "catalog CSV (or JSON Lines when named *.jsonl)")->required();
  import->add_flag("--delta", delta, "upsert the rows in the file instead of replacing the catalog");
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

  auto* health = app.add_subcommand("health", "ask every service whether it is serving");
  auto* hash_pin = app.add_subcommand("hash-pin", "read a PIN on stdin, print its Argon2id hash");

  CLI11_PARSE(app, argc, argv);

  if (hash_pin->parsed()) {
    std::string pin;
    std::getline(std::cin, pin);
    if (!pin.empty() && pin.back() == '\r') pin.pop_back();
    auto h = kiosk::ctl::hash_pin(pin);
    if (!h) {
      std::cerr << "kioskctl: " << h.message() << "\n";
      return 1;
    }
    std::cout << *h << "\n";
    return 0;
  }

  auto config = kiosk::Config::load(config_path);
  if (!config) {
    std::cerr << "kioskctl: " << config.message() << "\n";
    return 2;
  }
  if (health->parsed()) return kiosk::ctl::health(*config, std::cout);
  if (import->parsed()) return kiosk::ctl::catalog_import(*config, csv, delta, std::cout, std::cerr);
  if (get->parsed()) return kiosk::ctl::catalog_get(*config, code, std::cout, std::cerr);
  if (search->parsed()) return kiosk::ctl::catalog_search(*config, text, limit, std::cout, std::cerr);
  if (version->parsed()) return kiosk::ctl::catalog_version(*config, std::cout, std::cerr);
  if (versions->parsed()) return kiosk::ctl::catalog_versions(*config, std::cout, std::cerr);
  if (diff->parsed()) return kiosk::ctl::catalog_diff(*config, diff_from, diff_to, std::cout, std::cerr);
  if (rollback->parsed()) return kiosk::ctl::catalog_rollback(*config, rollback_to, std::cout, std::cerr);
  return 2;
}
