#include "appliance.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"

namespace kiosk::demo {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
// The order services start in: each one's peers are up before it (checkoutd and visiond last, so
// the camera video starts when the lane is listening).
const std::vector<std::string> kServiceOrder = {"catalogd", "scaled", "paymentd", "checkoutd", "visiond"};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The line that starts with "ready" in a simulator's log, once it is there.
std::optional<std::string> ready_line(const std::filesystem::path& log) {
  std::istringstream in(read_file(log));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("ready", 0) == 0) return line;
  }
  return std::nullopt;
}

std::string service_of(const std::string& exe) {
  return exe.back() == 'd' ? exe.substr(0, exe.size() - 1) : exe;  // "catalogd" -> "catalog"
}

}  // namespace

Appliance::Appliance(ApplianceOptions o) : opts_(std::move(o)) {
  // Absolute, since every process gets these paths and some of them change folder.
  opts_.work_dir = std::filesystem::absolute(opts_.work_dir);
  opts_.bin_dir = std::filesystem::absolute(opts_.bin_dir);
  opts_.catalog_csv = std::filesystem::absolute(opts_.catalog_csv);
  if (!opts_.promotions_csv.empty()) opts_.promotions_csv = std::filesystem::absolute(opts_.promotions_csv);
}

Status Appliance::push_promotions() {
  const std::string csv = read_file(opts_.promotions_csv);
  if (csv.empty()) return not_found(fmt::format("cannot read promotions {}", opts_.promotions_csv));
  auto stub = v1::Catalog::NewStub(make_unix_channel(socket("catalog")));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + kStartTimeout);
  std::string token = read_file(token_path());
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  ctx.AddMetadata("authorization", "Bearer " + token);
  v1::PushPromotionsRequest req;
  req.set_format(v1::ImportRequest::FORMAT_CSV);
  req.set_data(csv);
  req.set_source_name(opts_.promotions_csv.filename().string());
  v1::ImportResponse resp;
  const grpc::Status st = stub->PushPromotions(&ctx, req, &resp);
  if (!st.ok()) return from_grpc_status(st, "Catalog.PushPromotions");
  if (!resp.applied()) {
    const std::string why = resp.errors_size() > 0 ? fmt::format("line {}: {}: {}", resp.errors(0).line(),
                                                                 resp.errors(0).column(), resp.errors(0).message())
                                                   : "not applied";
    return invalid_argument(fmt::format("promotions {}: {}", opts_.promotions_csv, why));
  }
  return {};
}

Appliance::~Appliance() {
  if (kiosk_) kiosk_->stop();
  // Reverse start order: consumers before their peers, simulators last.
  for (auto it = kServiceOrder.rbegin(); it != kServiceOrder.rend(); ++it) {
    if (auto p = procs_.find(*it); p != procs_.end()) p->second.stop();
  }
  procs_.clear();
}

std::filesystem::path Appliance::socket(const std::string& service) const {
  return opts_.work_dir / "run" / (service + ".sock");
}

Status Appliance::start() {
  std::error_code ec;
  std::filesystem::create_directories(log_dir(), ec);
  std::filesystem::create_directories(opts_.work_dir / "run", ec);
  std::filesystem::create_directories(opts_.work_dir / "data", ec);
  if (ec) return unavailable(fmt::format("cannot create {}: {}", opts_.work_dir, ec.message()));
  if (auto s = start_simulators(); !s) return s;
  if (auto s = write_config(); !s) return s;
  for (const auto& name : kServiceOrder) {
    if (auto s = start_service(name); !s) return s;
    if (name == "catalogd") {
      // Store IT's push of the demo catalog, through the same CLI store IT uses.
      auto import = Process::spawn({(opts_.bin_dir / "kioskctl").string(), "--config", config_path_.string(), "catalog",
                                    "--token-file", token_path().string(), "push", opts_.catalog_csv.string()},
                                   log_dir() / "kioskctl.log");
      if (!import) return import.error();
      Process p = std::move(*import);
      wait_until([&] { return !p.running(); }, kStartTimeout);
      if (const int rc = p.stop(); rc != 0) {
        return internal_error(fmt::format("catalog import failed ({}), see {}", rc, log_dir() / "kioskctl.log"));
      }
      if (!opts_.promotions_csv.empty()) {
        if (auto s = push_promotions(); !s) return s;
      }
    }
  }
  return {};
}

Status Appliance::start_simulators() {
  const auto run = opts_.work_dir / "run";
  auto scale =
      Process::spawn({(opts_.bin_dir / "scale-sim").string(), "--link", (run / "scale.tty").string(), "--control",
                      (run / "scale-sim.sock").string(), "--seed", std::to_string(opts_.seed), "--noise-mg", "300"},
                     log_dir() / "scale-sim.log");
  if (!scale) return scale.error();
  procs_.emplace("scale-sim", std::move(*scale));

  auto terminal = Process::spawn({(opts_.bin_dir / "terminal-sim").string(), "--listen", "127.0.0.1:0", "--journal",
                                  (opts_.work_dir / "terminal-charges.jsonl").string()},
                                 log_dir() / "terminal-sim.log");
  if (!terminal) return terminal.error();
  procs_.emplace("terminal-sim", std::move(*terminal));

  std::vector<std::string> codes;
  std::string joined;
  for (const auto& c : opts_.camera_codes) joined += (joined.empty() ? "" : ",") + c;
  auto camera = Process::spawn(
      {(opts_.bin_dir / "camera-sim").string(), "--out", (opts_.work_dir / "camera.avi").string(), "--codes", joined,
       "--gap-ms", std::to_string(opts_.camera_gap_ms), "--seed", std::to_string(opts_.seed)},
      log_dir() / "camera-sim.log");
  if (!camera) return camera.error();
  Process cam = std::move(*camera);

  std::optional<std::string> scale_ready;
  std::optional<std::string> terminal_ready;
  const bool up = wait_until(
      [&] {
        scale_ready = ready_line(log_dir() / "scale-sim.log");
        terminal_ready = ready_line(log_dir() / "terminal-sim.log");
        return scale_ready && terminal_ready;
      },
      kStartTimeout);
  if (!up) {
    return unavailable(fmt::format("simulators not ready (scale-sim: {}, terminal-sim: {}); logs in {}",
                                   scale_ready ? "ok" : "no", terminal_ready ? "ok" : "no", log_dir()));
  }
  terminal_port_ = std::stoi(terminal_ready->substr(6));
  wait_until([&] { return !cam.running(); }, std::chrono::seconds(120));
  if (const int rc = cam.stop(); rc != 0) {
    return internal_error(fmt::format("camera-sim failed ({}), see {}", rc, log_dir() / "camera-sim.log"));
  }
  return {};
}

Status Appliance::write_config() {
  // A demo attendant; the PIN hash is what `kioskctl hash-pin` writes for store IT.
  if (sodium_init() < 0) return internal_error("libsodium failed to initialise");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, opts_.attendant_pin.c_str(), opts_.attendant_pin.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return internal_error("cannot hash the attendant PIN");
  }
  std::ofstream(opts_.work_dir / "attendants.toml")
      << fmt::format("[[attendant]]\nid = \"{}\"\nname = \"Demo\"\npin_hash = \"{}\"\n", opts_.attendant_id, hash);

  // Store IT's token for catalog writes: random per run; the kiosk keeps only its SHA-256.
  unsigned char raw[24];
  randombytes_buf(raw, sizeof raw);
  char token[2 * sizeof raw + 1];
  sodium_bin2hex(token, sizeof token, raw, sizeof raw);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token), std::strlen(token));
  char token_sha256[2 * sizeof digest + 1];
  sodium_bin2hex(token_sha256, sizeof token_sha256, digest, sizeof digest);
  {
    std::ofstream tf(token_path());
    tf << token << "\n";
    if (!tf) return unavailable(fmt::format("cannot write {}", token_path()));
  }
  std::error_code perm_ec;
  std::filesystem::permissions(token_path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               perm_ec);

  config_path_ = opts_.work_dir / "kiosk.toml";
  std::ofstream out(config_path_);
  out << fmt::format(R"(# Generated by the appliance harness (demo and end-to-end tests).
[runtime]
dir = "run"
data_dir = "data"

[lane]
number = 1
store_name = "Demobutiken"
store_address = "Storgatan 1, 111 22 Stockholm"
org_number = "556000-0000"
currency = "SEK"

[vision]
source = "camera.avi"
realtime = true
loop = false
start_on_subscribe = true
debounce_ms = 1500

[scale]
device = "run/scale.tty"
baud = 9600
poll_ms = 100
stable_ms = 400
tolerance_min_mg = 10000
tolerance_k = 3
bagging_timeout_ms = 20000

[payment]
endpoint = "http://127.0.0.1:{}/nexo"
poi_id = "V400m-324688179"
sale_id = "kiosk-01"
timeout_ms = 20000

[checkout]
attendants_file = "attendants.toml"
# Demo loyalty cards: EAN-13 numbers starting 2990 (the demo shopper's card is 2990001234567).
member_card_prefixes = ["2990"]
member_card_digits = 13

[checkout.deposits]
PANT1 = 100
PANT2 = 200

[catalog]
token_sha256 = "{}"
)",
                     terminal_port_, token_sha256);
  if (!out) return unavailable(fmt::format("cannot write {}", config_path_));
  return {};
}

std::vector<std::string> Appliance::service_argv(const std::string& name) const {
  return {(opts_.bin_dir / name).string(), "--config", config_path_.string()};
}

Status Appliance::start_service(const std::string& name) {
  auto p = Process::spawn(service_argv(name), log_dir() / (name + ".log"));
  if (!p) return p.error();
  procs_.insert_or_assign(name, std::move(*p));
  return wait_serving(service_of(name), kStartTimeout);
}

Status Appliance::wait_serving(const std::string& service, std::chrono::milliseconds timeout) {
  if (!kiosk::wait_serving(socket(service), timeout)) {
    return unavailable(fmt::format("{} did not become SERVING; see {}", service, log_dir()));
  }
  return {};
}

Status Appliance::start_kiosk(const std::filesystem::path& screenshots, bool offscreen) {
  kiosk_screenshots_ = screenshots;
  kiosk_offscreen_ = offscreen;
  std::vector<std::string> argv = service_argv("kiosk");
  if (!screenshots.empty()) {
    std::filesystem::create_directories(screenshots);
    argv.insert(argv.end(), {"--screenshots", screenshots.string()});
  }
  std::map<std::string, std::string> env;
  if (offscreen) env["QT_QPA_PLATFORM"] = "offscreen";
  auto p = Process::spawn(argv, log_dir() / "kiosk.log", env);
  if (!p) return p.error();
  kiosk_.emplace(std::move(*p));
  return {};
}

void Appliance::kill9(const std::string& name) {
  if (name == "kiosk") {
    if (kiosk_) kiosk_->kill9();
    return;
  }
  if (auto p = procs_.find(name); p != procs_.end()) p->second.kill9();
}

Status Appliance::restart(const std::string& name) {
  if (name == "kiosk") return start_kiosk(kiosk_screenshots_, kiosk_offscreen_);
  if (auto p = procs_.find(name); p != procs_.end()) p->second.stop();
  return start_service(name);
}

Result<std::string> Appliance::scale_command(const std::string& line) {
  const auto path = opts_.work_dir / "run" / "scale-sim.sock";
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return unavailable("socket() failed");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return unavailable(fmt::format("scale-sim control {} not reachable", path));
  }
  const std::string msg = line + "\n";
  if (::write(fd, msg.data(), msg.size()) != static_cast<ssize_t>(msg.size())) {
    ::close(fd);
    return unavailable("scale-sim control: write failed");
  }
  std::string answer;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') answer.push_back(c);
  ::close(fd);
  if (answer.rfind("ok", 0) != 0) return invalid_argument(fmt::format("scale-sim: '{}' -> '{}'", line, answer));
  return answer;
}

}  // namespace kiosk::demo
