// Conformance with Adyen's own Terminal API code: every kind of request our payment core sends over
// the encrypted HTTPS binding is captured by terminal-sim as raw bytes, then Adyen's
// @adyen/api-library (npm, pinned, installed into the build tree on first run) decrypts each with its
// NexoCrypto and round-trips it through its TerminalApiRequest model; no field may be lost or change
// (tests/payment/conformance/adyen_conformance.js).
//
// The npm registry must be reachable on the first run: CI fails loudly rather than skipping, so a
// green suite always means the check ran. KIOSK_CONFORMANCE_OFFLINE=skip skips it explicitly.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "common/clock.h"
#include "payment/http_transport.h"
#include "payment/nexo_codec.h"
#include "payment/payment_processor.h"
#include "secure_terminal.h"
#include "temp_dir.h"

using namespace kiosk::payment;
using namespace kiosk::test;
using namespace std::chrono_literals;

namespace {

const std::string kAdyenLibrary = "@adyen/api-library@" KIOSK_ADYEN_LIBRARY_VERSION;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

MessageHeader header(const std::string& category, const std::string& sid) {
  return {"3.0", "Service", category, "Request", sid, "kiosk-01", kPoiId};
}

}  // namespace

TEST_CASE("Adyen's api-library decrypts and round-trips every request we send", "[payment][conformance]") {
  const std::filesystem::path npm_dir = KIOSK_NPM_DIR;
  const std::filesystem::path modules = npm_dir / "node_modules";
  if (!std::filesystem::exists(modules / "@adyen" / "api-library" / "package.json")) {
    std::filesystem::create_directories(npm_dir);
    std::vector<std::string> cmd = {"/usr/bin/env", "npm",       "install",          "--prefix", npm_dir.string(),
                                    "--no-audit",   "--no-fund", "--ignore-scripts", "--no-save"};
    // Trust the system's CA store (where a store network's proxy CA is installed), as apt and curl do,
    // rather than only the CAs bundled with npm.
    if (std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt")) {
      cmd.insert(cmd.end(), {"--cafile", "/etc/ssl/certs/ca-certificates.crt"});
    }
    cmd.push_back(kAdyenLibrary);
    const int rc = run_to_exit(cmd, npm_dir / "npm-install.log", std::chrono::minutes(5));
    if (rc != 0) {
      const char* offline = std::getenv("KIOSK_CONFORMANCE_OFFLINE");
      if (offline && std::string(offline) == "skip") {
        WARN("npm install " << kAdyenLibrary << " failed; skipped (KIOSK_CONFORMANCE_OFFLINE=skip)");
        return;
      }
      FAIL("npm install " << kAdyenLibrary << " failed (exit " << rc << "): is the npm registry reachable?\n"
                          << slurp(npm_dir / "npm-install.log"));
    }
  }

  TempDir dir{"payment-conformance"};
  SecureTerminal terminal(dir.path());
  auto journal = PaymentJournal::open(dir.path() / "payment");
  REQUIRE(journal);
  HttpTransport transport(terminal.options());
  kiosk::SystemClock clock;
  PaymentConfig config;
  config.sale_id = "kiosk-01";
  config.poi_id = kPoiId;
  config.payment_timeout = 10s;
  config.status_timeout = 5s;
  config.recovery_interval = 10ms;
  PaymentProcessor processor(config, **journal, transport, clock);
  HttpTransport control({"https://127.0.0.1:" + std::to_string(terminal.port) + "/control", terminal.cert, kPoiId});

  // Payment, and TransactionStatus after a dropped answer, and Reversal.
  auto paid = processor.pay("conf/pay/1", 12345, "SEK");
  REQUIRE(paid);
  REQUIRE(paid->state == PaymentState::kApproved);
  REQUIRE(control.exchange(R"({"drop_next":1})", 5s));
  auto recovered = processor.pay("conf/pay/2", 990, "SEK");
  REQUIRE(recovered);
  REQUIRE(recovered->state == PaymentState::kApproved);
  auto reversed = processor.reverse("conf/pay/2", "sale could not complete");
  REQUIRE(reversed);
  CHECK(reversed->state == PaymentState::kReversed);
  // Abort of a payment waiting at the card reader.
  REQUIRE(control.exchange(R"({"hold_next_ms":10000})", 5s));
  auto held = std::async(std::launch::async, [&] { return processor.pay("conf/pay/3", 5000, "SEK"); });
  bool waiting = false;
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       !waiting && std::chrono::steady_clock::now() < deadline;) {
    waiting = terminal.latest_outcome() == "in_progress";
    if (!waiting) std::this_thread::sleep_for(5ms);  // polling the terminal's state with a deadline
  }
  CHECK(waiting);
  CHECK(processor.abort("conf/pay/3"));
  auto held_result = held.get();
  REQUIRE(held_result);
  CHECK(held_result->state == PaymentState::kAborted);
  // Refund (a payment of type Refund naming the original), Login and Reconciliation.
  PaymentRequest refund;
  refund.header = header("Payment", "9001");
  refund.sale_transaction = {"kiosk-01-refund-1", "2026-11-27T12:00:00.000Z"};
  refund.currency = "SEK";
  refund.requested_ore = 2345;
  refund.payment_type = "Refund";
  refund.original_poi_transaction = {paid->poi_transaction_id, paid->poi_timestamp};
  REQUIRE(transport.exchange(encode(refund), 5s));
  LoginRequest login;
  login.header = header("Login", "9002");
  login.date_time = "2026-11-27T12:00:00.000Z";
  login.manufacturer_id = "kiosk";
  login.application_name = "paymentd";
  login.software_version = "1.0";
  login.certification_code = "none";
  login.sale_capabilities = {"CustomerDisplay", "PrinterReceipt"};
  REQUIRE(transport.exchange(encode(login), 5s));
  ReconciliationRequest rec;
  rec.header = header("Reconciliation", "9003");
  REQUIRE(transport.exchange(encode(rec), 5s));

  std::vector<std::string> argv{"/usr/bin/env", "node",           std::string(KIOSK_CONFORMANCE_JS),
                                "--lib",        modules.string(), "--key-id",
                                "kiosk-key",    "--key-version",  "2",
                                "--passphrase", kPassphrase};
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "captures")) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  argv.insert(argv.end(), files.begin(), files.end());
  const auto log = dir.path() / "conformance.log";
  const int rc = run_to_exit(argv, log, std::chrono::minutes(2));
  const std::string out = slurp(log);
  INFO(out);
  CHECK(rc == 0);
  for (const char* category : {"Payment", "TransactionStatus", "Reversal", "Abort", "Login", "Reconciliation"})
    CHECK_THAT(out, Catch::Contains(std::string(": ") + category + " ok"));
  CHECK_THAT(out, Catch::Contains(", 0 differences"));
}
