// kiosk-demo: the whole appliance with simulated devices and the demo catalog.
// Headless (no DISPLAY): a scripted shopper scans three items, a bottle (with its pant) and a loyalty card
// (member prices) from the camera video, bags them, pays
// and takes the receipt, while the kiosk UI runs offscreen and writes a screenshot of every screen.
// With a display the kiosk window opens and the same shopper runs in front of you.
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/std.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "appliance.h"
#include "common/logging.h"
#include "common/shutdown.h"
#include "demo_items.h"
#include "shopper.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

int main(int argc, char** argv) {
  kiosk::block_shutdown_signals();
  kiosk::init_logging("kiosk-demo");
  CLI::App app{"Runs the self-checkout kiosk with simulated scale, payment terminal and camera"};
  const fs::path self = fs::canonical("/proc/self/exe");
  fs::path bin_dir = self.parent_path();
  fs::path catalog = fs::path(KIOSK_SOURCE_DIR) / "deploy/demo/catalog.csv";
  fs::path promotions = fs::path(KIOSK_SOURCE_DIR) / "deploy/demo/promotions.csv";
  fs::path out = fs::current_path() / "out" / fmt::format("demo-{:%Y%m%d-%H%M%S}", fmt::gmtime(std::time(nullptr)));
  std::uint64_t seed = 7;
  bool keep_open = std::getenv("DISPLAY") != nullptr;
  app.add_option("--bin-dir", bin_dir, "Folder with the kiosk executables");
  app.add_option("--catalog", catalog, "Catalog CSV to import");
  app.add_option("--promotions", promotions, "Promotions CSV to push (\"\" for none)");
  app.add_option("--out", out, "Output folder for screenshots, receipt and logs");
  app.add_option("--seed", seed, "Seed for the simulated devices");
  app.add_flag("--keep-open,!--no-keep-open", keep_open, "Leave the appliance running until Ctrl-C");
  CLI11_PARSE(app, argc, argv);

  const bool headless = std::getenv("DISPLAY") == nullptr;
  auto items = kiosk::demo::pick_demo_items(catalog, 3);
  if (!items) {
    spdlog::error("{}", items.message());
    return 1;
  }
  kiosk::demo::ApplianceOptions opts;
  opts.bin_dir = bin_dir;
  opts.work_dir = out / "appliance";
  opts.catalog_csv = catalog;
  opts.promotions_csv = promotions;
  opts.seed = seed;
  // The everyday items, with a bottle (its pant line) after the first and the loyalty card after it
  // (member prices from deploy/demo/promotions.csv).
  auto bottle = kiosk::demo::find_deposit_item(catalog);
  if (!bottle) {
    spdlog::error("{}", bottle.message());
    return 1;
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    opts.camera_codes.push_back((*items)[i].code);
    if (i == 0) opts.camera_codes.insert(opts.camera_codes.end(), {bottle->code, kiosk::demo::kDemoMemberCard});
  }
  const std::size_t lines = items->size() + 2;  // the bottle and its pant line
  fs::create_directories(out);

  kiosk::demo::Appliance appliance(opts);
  spdlog::info("starting the appliance in {}", opts.work_dir);
  if (auto s = appliance.start(); !s) {
    spdlog::error("{}", s.message());
    return 1;
  }
  const fs::path screens = out / "screens";
  if (auto s = appliance.start_kiosk(screens, headless); !s) {
    spdlog::error("{}", s.message());
    return 1;
  }
  kiosk::demo::ScriptedShopper shopper(appliance);
  auto bagged = shopper.scan_and_bag(lines, 120s);
  if (!bagged) {
    spdlog::error("scanning: {}", bagged.message());
    return 1;
  }
  spdlog::info("basket: {} lines, total {} öre{}", bagged->lines_size(), bagged->totals().total_ore(),
               bagged->has_member() ? " (member " + bagged->member().masked_number() + ")" : "");
  auto paid = shopper.pay(60s);
  if (!paid || paid->state() != kiosk::v1::SESSION_STATE_RECEIPT) {
    spdlog::error("payment: {}", paid ? "not approved" : paid.message());
    return 1;
  }
  std::ofstream(out / "receipt.txt") << paid->receipt_text();
  spdlog::info("paid; receipt {}", paid->receipt_number());
  // Let the UI show the receipt screen before the shopper takes it.
  kiosk::demo::wait_until([&] { return kiosk::demo::screenshot_of(screens, "RECEIPT"); }, 10s);
  auto done = shopper.finish(30s);
  if (!done) {
    spdlog::error("finish: {}", done.message());
    return 1;
  }
  kiosk::demo::wait_until([&] { return kiosk::demo::screenshot_count(screens, "IDLE") >= 2; }, 10s);

  std::cout << "\nDemo complete. Receipt " << paid->receipt_number() << ", total " << paid->totals().total_ore() / 100
            << "," << fmt::format("{:02}", paid->totals().total_ore() % 100) << " kr\n"
            << "  screenshots: " << screens.string() << "\n"
            << "  receipt:     " << (out / "receipt.txt").string() << "\n"
            << "  logs:        " << appliance.log_dir().string() << "\n"
            << "Output folder: " << out.string() << std::endl;
  if (keep_open) {
    std::cout << "The appliance keeps running; press Ctrl-C to stop." << std::endl;
    kiosk::wait_for_shutdown_signal();
  }
  return 0;
}
