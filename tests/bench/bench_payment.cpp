// bench_payment: what paymentd adds over the terminal, and the 1,000-payment fault run.
//   bench_payment [--samples N] [--payments N] [--seed N] [--bin DIR]
// 1. Latency: terminal-sim and paymentd as processes; the same approved PaymentRequest sent N times
//    straight to terminal-sim over HTTP, and N times as Payment.Pay through paymentd (journal-first,
//    two synced RocksDB writes, gRPC on a Unix socket), interleaved. Added = through − direct, at p50
//    and p99 (target ≤ 50 ms).
// 2. Faults: the run test_payment_faults does, with --payments sales (default 1,000): kill -9 of
//    paymentd and terminal-sim at random points, dropped answers, crashes after the charge.
// Prints a table, then one JSON line.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <vector>

#include "child_process.h"
#include "common/rpc.h"
#include "kiosk/v1/payment.grpc.pb.h"
#include "payment/http_transport.h"
#include "payment/nexo_codec.h"
#include "payment_fault_driver.h"
#include "temp_dir.h"

namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

double ms_since(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_payment: paymentd latency over the terminal, and the payment fault run"};
  int samples = 300;
  int payments = 1000;
  std::uint64_t seed = 20261127;
  std::string bin = KIOSK_BIN_DIR;
  app.add_option("--samples", samples, "payments per latency series");
  app.add_option("--payments", payments, "sales in the fault run (0: skip it)");
  app.add_option("--seed", seed, "fault run seed");
  app.add_option("--bin", bin, "folder with paymentd and terminal-sim");
  CLI11_PARSE(app, argc, argv);

  kiosk::test::TempDir dir{"bench-payment"};
  std::filesystem::create_directories(dir.path() / "run");
  kiosk::test::ChildProcess terminal({bin + "/terminal-sim", "--listen", "127.0.0.1:0"}, dir.path() / "terminal.log");
  const std::string ready = terminal.wait_for_line("ready ");
  if (ready.empty()) {
    std::cerr << "terminal-sim did not start\n";
    return 1;
  }
  const std::string endpoint = "http://127.0.0.1:" + ready.substr(6) + "/nexo";
  const auto config = dir.path() / "kiosk.toml";
  std::ofstream(config) << "[runtime]\ndir = \"" << (dir.path() / "run").string() << "\"\ndata_dir = \""
                        << (dir.path() / "data").string() << "\"\n[lane]\ncurrency = \"SEK\"\n[payment]\nendpoint = \""
                        << endpoint << "\"\npoi_id = \"V400m-324688179\"\nsale_id = \"kiosk-01\"\n";
  const auto socket = dir.path() / "run" / "payment.sock";
  kiosk::test::ChildProcess paymentd({bin + "/paymentd", "--config", config.string()}, dir.path() / "paymentd.log");
  if (!kiosk::wait_serving(socket, 20s)) {
    std::cerr << "paymentd is not serving\n";
    return 1;
  }
  auto stub = kiosk::v1::Payment::NewStub(kiosk::make_unix_channel(socket));
  kiosk::payment::HttpTransport direct(endpoint);

  std::vector<double> through_ms, direct_ms;
  int failures = 0;
  for (int i = 1; i <= samples; ++i) {
    const std::int64_t amount = 10000 + std::int64_t{i} * 10;  // öre ending in 0: never a test-card decline
    {
      kiosk::payment::PaymentRequest req;
      req.header.message_class = "Service";
      req.header.message_category = "Payment";
      req.header.message_type = "Request";
      req.header.service_id = fmt::format("d{}", i);
      req.header.sale_id = "bench-direct";
      req.header.poi_id = "V400m-324688179";
      req.sale_transaction = {fmt::format("bench-direct-{}", i), "2026-11-27T12:00:00.000Z"};
      req.currency = "SEK";
      req.requested_ore = amount;
      const auto t0 = SteadyClock::now();
      auto answer = direct.exchange(kiosk::payment::encode(req), 10s);
      direct_ms.push_back(ms_since(t0));
      failures += answer ? 0 : 1;
    }
    {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + 30s);
      kiosk::v1::PayRequest req;
      req.set_idempotency_key(fmt::format("bench/pay/{}", i));
      req.set_amount_ore(amount);
      req.set_currency("SEK");
      kiosk::v1::PaymentResult out;
      const auto t0 = SteadyClock::now();
      const auto st = stub->Pay(&ctx, req, &out);
      through_ms.push_back(ms_since(t0));
      failures += st.ok() && out.outcome() == kiosk::v1::PAYMENT_OUTCOME_APPROVED ? 0 : 1;
    }
  }
  paymentd.stop();
  terminal.stop();
  const double d50 = percentile(direct_ms, 0.50), d99 = percentile(direct_ms, 0.99);
  const double t50 = percentile(through_ms, 0.50), t99 = percentile(through_ms, 0.99);
  const double added50 = std::max(0.0, t50 - d50), added99 = std::max(0.0, t99 - d99);

  fmt::print("bench_payment: {} approved payments each way\n", samples);
  fmt::print("  {:<36} {:>9} {:>9}\n", "round trip (ms)", "p50", "p99");
  fmt::print("  {:<36} {:>9.2f} {:>9.2f}\n", "terminal-sim direct (HTTP)", d50, d99);
  fmt::print("  {:<36} {:>9.2f} {:>9.2f}\n", "Payment.Pay through paymentd", t50, t99);
  fmt::print("  {:<36} {:>9.2f} {:>9.2f}   (target <= 50 ms)\n", "added by paymentd", added50, added99);
  if (failures > 0) fmt::print("  {} latency payments did not approve\n", failures);

  kiosk::test::FaultRunReport faults;
  if (payments > 0) {
    kiosk::test::TempDir fault_dir{"bench-payment-faults"};
    kiosk::test::FaultRunOptions o;
    o.payments = payments;
    o.seed = seed;
    o.dir = fault_dir.path();
    o.bin_dir = bin;
    o.log = [](const std::string& line) { std::cerr << line << std::endl; };
    auto r = kiosk::test::run_payment_faults(o);
    if (!r) {
      std::cerr << "fault run: " << r.message() << "\n";
      return 1;
    }
    faults = *r;
    fmt::print("\nfault run (seed {}):\n{}", seed, kiosk::test::format_report(faults));
    for (const auto& p : faults.problems) fmt::print("  problem: {}\n", p);
  }
  fmt::print(
      "{{\"bench\":\"payment\",\"samples\":{},\"direct_p50_ms\":{:.2f},\"direct_p99_ms\":{:.2f},"
      "\"paymentd_p50_ms\":{:.2f},\"paymentd_p99_ms\":{:.2f},\"added_p50_ms\":{:.2f},\"added_p99_ms\":{:.2f},"
      "\"payments\":{},\"approved\":{},\"completed_sales\":{},\"reversed\":{},\"paymentd_kills\":{},"
      "\"terminal_kills\":{},\"terminal_crashes\":{},\"drops\":{},\"double_charges\":{},\"lost_approvals\":{},"
      "\"unreconciled\":{},\"fault_run_s\":{:.1f}}}\n",
      samples, d50, d99, t50, t99, added50, added99, faults.payments, faults.approved, faults.completed_sales,
      faults.reversed, faults.paymentd_kills, faults.terminal_kills, faults.crashes, faults.drops,
      faults.double_charges, faults.lost_approvals, faults.unreconciled, faults.seconds);
  return faults.double_charges == 0 && faults.lost_approvals == 0 && faults.unreconciled == 0 ? 0 : 1;
}
