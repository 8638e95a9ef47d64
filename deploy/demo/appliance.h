#pragma once
// The whole appliance on one machine: the simulated devices (scale on a pseudo-terminal, nexo payment
// terminal over HTTP, camera video file) and the six real processes, configured by one generated
// kiosk.toml in a work folder. Used by the demo and by the end-to-end tests, so both exercise the
// production code path of every service.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "process.h"

namespace kiosk::demo {

struct ApplianceOptions {
  std::filesystem::path bin_dir;          // where catalogd, scale-sim, ... are (build/bin)
  std::filesystem::path work_dir;         // created; holds config, sockets, databases, logs, video
  std::filesystem::path catalog_csv;      // imported into catalogd before checkout starts
  std::filesystem::path promotions_csv;   // pushed after the catalog (Catalog.PushPromotions); empty: none
  std::vector<std::string> camera_codes;  // what the camera video shows, in order
  int camera_gap_ms = 3000;               // empty frames between two items
  std::uint64_t seed = 1;
  std::string attendant_id = "1001";
  std::string attendant_pin = "2468";
};

class Appliance {
 public:
  explicit Appliance(ApplianceOptions o);
  ~Appliance();  // stops everything, kiosk UI first

  // Starts simulators, then catalogd (and imports the catalog), scaled, paymentd, checkoutd,
  // visiond; returns once every service reports SERVING.
  Status start();

  // The UI, started separately so tests can crash and restart it. `screenshots` may be empty.
  Status start_kiosk(const std::filesystem::path& screenshots, bool offscreen);
  Process* kiosk() { return kiosk_ ? &*kiosk_ : nullptr; }

  // Crash (SIGKILL) or cleanly restart one service by name ("checkoutd", "kiosk", ...).
  void kill9(const std::string& name);
  Status restart(const std::string& name);

  // Sends one line to scale-sim's control socket and returns its answer line.
  Result<std::string> scale_command(const std::string& line);

  const std::filesystem::path& config_path() const { return config_path_; }
  const std::filesystem::path& work_dir() const { return opts_.work_dir; }
  std::filesystem::path socket(const std::string& service) const;
  std::filesystem::path log_dir() const { return opts_.work_dir / "logs"; }
  // The store-IT token kioskctl pushes the demo catalog with (catalogd holds only its SHA-256).
  std::filesystem::path token_path() const { return opts_.work_dir / "store-it.token"; }
  const ApplianceOptions& options() const { return opts_; }

 private:
  Status start_simulators();
  Status write_config();
  Status start_service(const std::string& name);
  // Store IT's promotions push (opts_.promotions_csv) to the running catalogd.
  Status push_promotions();
  Status wait_serving(const std::string& service, std::chrono::milliseconds timeout);
  std::vector<std::string> service_argv(const std::string& name) const;

  ApplianceOptions opts_;
  std::filesystem::path config_path_;
  int terminal_port_ = 0;
  std::map<std::string, Process> procs_;  // by executable name
  std::optional<Process> kiosk_;
  std::filesystem::path kiosk_screenshots_;
  bool kiosk_offscreen_ = true;
};

}  // namespace kiosk::demo
