// bench_catalog: the catalog at store scale, through the real gRPC service on a Unix socket.
//   1. a generated push of --products (default 1,000,000) products, imported with one Import RPC
//   2. lookups by GTIN from --threads client threads (own connections), latency p50/p99 and lookups/s,
//      twice: as the lane looks products up (catalog::LookupClient: one Catalog.LookupStream per client,
//      one lookup in flight) and with one unary Catalog.Lookup call per lookup
//   3. name searches (words, prefixes, two-word queries, typos), latency p50/p99, one client
// Prints a table, then, as its very last line, one JSON object for scripts:
//   {"import_1m_s":..,"lookup_p50_ms":..,"lookup_p99_ms":..,"lookups_per_s":.. (the lane's way: the stream),
//    "unary_lookup_p99_ms":..,"unary_lookups_per_s":..,"search_p50_ms":..,
//    "search_p99_ms":..,"peak_rss_mb":..,"import_peak_rss_mb":..,"serving_rss_mb":..,"import_cpu_s":..,
//    "load_avg_1m":..,...}
// import_cpu_s and lookup_cpu_us are CPU time (all threads): unlike the wall-clock figures they hardly
// depend on what else runs on the machine (load_avg_1m, printed too); so do the context switches per
// lookup (getrusage ru_nvcsw + ru_nivcsw, whole process). Lookups stay honest: each is one request for one
// code (a unary call with its own ClientContext, or one message on the stream), the next sent only after
// the answer came back; no batching, no client-side cache.
// RSS is this process's: the server side (RocksDB, parsing, the search index) and the client's copy of
// the push (import_peak_rss_mb = VmHWM right after the import, peak_rss_mb = VmHWM at the end,
// serving_rss_mb = VmRSS while serving, after the push's copies are freed).
// --catalogd runs the server as the appliance does, the real catalogd in its own process (the lane is
// another process); CPU, context switches and RSS are then this process's plus catalogd's (its RSS
// peak added to ours: an upper bound), and the search index figures are not shown.
#include <fmt/format.h>
#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "catalog/auth_token.h"
#include "catalog/catalog_service.h"
#include "catalog/catalog_store.h"
#include "catalog/lookup_client.h"
#include "catalog/mutex_tuning.h"
#include "child_process.h"
#include "common/clock.h"
#include "common/gtin.h"
#include "common/rpc.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "temp_dir.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

pid_t g_catalogd = 0;  // --catalogd: the server's process, counted in CPU, context switches and RSS

// The value of a /proc/<pid>/status field ("VmHWM:  1234 kB" -> 1234), 0 when absent.
long status_field(const std::filesystem::path& status, const std::string& field) {
  std::ifstream in(status);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return 0;
}

// kB value of a /proc/self/status field (VmHWM = peak resident set, VmRSS = now), plus catalogd's.
long proc_status_kb(const std::string& field) {
  long kb = status_field("/proc/self/status", field);
  if (g_catalogd > 0) kb += status_field(fmt::format("/proc/{}/status", g_catalogd), field);
  return kb;
}

// catalogd's CPU time (user + system, all its threads) so far, in ms.
double catalogd_cpu_ms() {
  if (g_catalogd <= 0) return 0;
  std::ifstream in(fmt::format("/proc/{}/stat", g_catalogd));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the ")" that ends the command name: state is field 3, utime 14, stime 15.
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string f;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> f; ++i) {
    if (i >= 14) ticks += std::stod(f);
  }
  return ticks * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// catalogd's context switches so far, summed over its threads alive now.
double catalogd_context_switches() {
  if (g_catalogd <= 0) return 0;
  double n = 0;
  std::error_code ec;
  for (const auto& t : std::filesystem::directory_iterator(fmt::format("/proc/{}/task", g_catalogd), ec)) {
    n += static_cast<double>(status_field(t.path() / "status", "voluntary_ctxt_switches") +
                             status_field(t.path() / "status", "nonvoluntary_ctxt_switches"));
  }
  return n;
}

// CPU time (user + system, all threads: the server's and the clients') of this process so far, in ms.
// Per lookup it does not depend on how busy the machine is, unlike the wall-clock figures.
double process_cpu_ms() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
  };
  return ms(u.ru_utime) + ms(u.ru_stime) + catalogd_cpu_ms();
}

// Voluntary + involuntary context switches of this process (all threads) so far.
double process_context_switches() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_nvcsw + u.ru_nivcsw) + catalogd_context_switches();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

constexpr std::array<const char*, 16> kSv{"mjölk", "ost",   "kaffe", "bröd", "smör",    "äpple", "yoghurt", "korv",
                                          "juice", "pasta", "ris",   "tvål", "schampo", "glass", "chips",   "te"};
constexpr std::array<const char*, 16> kEn{"milk",    "cheese",    "coffee", "bread", "butter", "apple",
                                          "yoghurt", "sausage",   "juice",  "pasta", "rice",   "soap",
                                          "shampoo", "ice cream", "crisps", "tea"};
constexpr std::array<const char*, 8> kSvAdj{"ekologisk", "lätt", "stor", "liten", "röd", "grön", "söt", "stark"};
constexpr std::array<const char*, 8> kEnAdj{"organic", "light", "large", "small", "red", "green", "sweet", "strong"};
constexpr std::array<const char*, 8> kBrands{"Arla", "Skånemejerier", "Gevalia", "Pågen",
                                             "ICA",  "Garant",        "Findus",  "Marabou"};

// The i-th product's GTIN-13: "73" + 10 digits + check digit.
std::string gtin13(std::uint64_t i) {
  std::string body = fmt::format("73{:010}", i);
  return body + kiosk::gtin_check_digit(body);
}

std::string generate_csv(std::uint64_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string csv =
      "gtin,name_sv,name_en,brand,department,price_ore,unit,vat_class,expected_weight_mg,"
      "weight_spread_mg\n";
  csv.reserve(n * 110);
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto a = rng() % kSvAdj.size();
    const auto w = rng() % kSv.size();
    const auto grams = 50 + rng() % 1950;
    fmt::format_to(std::back_inserter(csv), "{},{} {} {} g,{} {} {} g,{},Dept {},{},each,{},{},{}\n", gtin13(i),
                   kSvAdj[a], kSv[w], grams, kEnAdj[a], kEn[w], grams, kBrands[rng() % kBrands.size()], rng() % 40,
                   500 + rng() % 20000, rng() % 5 == 0 ? "standard" : "food", grams * 1000, grams * 20);
  }
  return csv;
}

std::unique_ptr<kiosk::v1::Catalog::Stub> stub_for(const std::filesystem::path& socket) {
  return kiosk::v1::Catalog::NewStub(kiosk::make_unix_channel(
      socket, {.max_receive_message_bytes = kiosk::catalog::kMaxCatalogMessageBytes, .own_connection = true}));
}

enum class LookupMode { kStream, kUnary };

struct LookupRun {
  std::vector<double> latency_ms;  // every lookup of every thread
  double wall_s = 0;
  double per_s = 0;
  double cpu_us = 0;            // process CPU (client + server) per lookup
  double context_switches = 0;  // per lookup, process-wide
  std::uint64_t failures = 0;
  std::uint64_t streamed = 0;  // answered on a stream (kStream: should be all)
};

// `threads` clients, each with its own connection, `lookups` random existing products each.
LookupRun run_lookups(const std::filesystem::path& socket, LookupMode mode, unsigned threads, std::uint64_t lookups,
                      std::uint64_t products, std::uint32_t seed) {
  std::vector<std::vector<double>> lat(threads);
  std::atomic<std::uint64_t> failures{0};
  std::atomic<std::uint64_t> streamed{0};
  const double cpu0_ms = process_cpu_ms();
  const double cs0 = process_context_switches();
  const auto t0 = Clock::now();
  {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        std::mt19937_64 rng(seed + t + 1);
        lat[t].reserve(lookups);
        if (mode == LookupMode::kStream) {
          kiosk::catalog::LookupClient client(
              kiosk::make_unix_channel(socket, {.own_connection = true}),
              {.deadline = std::chrono::seconds(10), .reopen_backoff = std::chrono::seconds(1)});
          for (std::uint64_t i = 0; i < lookups; ++i) {
            const std::string code = gtin13(rng() % products);
            const auto s0 = Clock::now();
            const auto r = client.lookup(code);
            lat[t].push_back(ms_since(s0));
            if (!r) failures.fetch_add(1);
          }
          streamed.fetch_add(client.counts().streamed);
          return;
        }
        auto stub = stub_for(socket);
        kiosk::v1::LookupRequest req;
        kiosk::v1::LookupResponse resp;
        for (std::uint64_t i = 0; i < lookups; ++i) {
          req.set_code(gtin13(rng() % products));
          const auto s0 = Clock::now();
          grpc::ClientContext ctx;
          ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
          const grpc::Status s = stub->Lookup(&ctx, req, &resp);
          lat[t].push_back(ms_since(s0));
          if (!s.ok()) failures.fetch_add(1);
        }
      });
    }
    for (auto& th : pool) th.join();
  }
  LookupRun run;
  run.wall_s = ms_since(t0) / 1000;
  const double n = static_cast<double>(threads * lookups);
  run.cpu_us = (process_cpu_ms() - cpu0_ms) * 1000.0 / n;
  run.context_switches = (process_context_switches() - cs0) / n;
  for (auto& v : lat) run.latency_ms.insert(run.latency_ms.end(), v.begin(), v.end());
  run.per_s = static_cast<double>(run.latency_ms.size()) / run.wall_s;
  run.failures = failures.load();
  run.streamed = streamed.load();
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_catalog: catalog import, lookup and search through gRPC"};
  std::uint64_t products = 1'000'000;
  std::uint64_t lookups = 50'000;
  unsigned threads = 2;
  unsigned searches = 200;
  std::uint32_t seed = 42;
  app.add_option("--products", products, "products in the generated push");
  app.add_option("--lookups", lookups, "lookups per client thread");
  app.add_option("--threads", threads, "client threads doing lookups");
  app.add_option("--searches", searches, "name searches");
  app.add_option("--seed", seed, "random seed for the generated products and the codes looked up");
  bool own_process = false;
  app.add_flag("--catalogd", own_process, "serve from the real catalogd in its own process (as the appliance runs)");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  kiosk::catalog::turn_off_mutex_deadlock_detection();  // as catalogd does
  if (products == 0 || threads == 0 || lookups == 0) {
    std::cerr << "bench_catalog: --products, --threads and --lookups must be positive\n";
    return 2;
  }

  kiosk::test::TempDir dir{"kiosk-bench"};
  kiosk::SystemClock clock;
  std::unique_ptr<kiosk::catalog::CatalogStore> store;
  std::optional<kiosk::catalog::CatalogService> service;
  std::unique_ptr<grpc::Server> server;
  std::optional<kiosk::test::ChildProcess> catalogd;
  std::filesystem::path socket = dir.path() / "catalog.sock";
  constexpr const char* kToken = "bench-store-it-token";
  if (own_process) {
    // token_sha256: SHA-256 of kToken.
    const auto config = dir.path() / "kiosk.toml";
    std::ofstream(config) << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n[catalog]\n"
                             "token_sha256 = \""
                          << kiosk::catalog::token_sha256_hex(kToken) << "\"\n";
    catalogd.emplace(std::vector<std::string>{KIOSK_BIN_DIR "/catalogd", "--config", config.string()},
                     dir.path() / "catalogd.log");
    g_catalogd = catalogd->pid();
    socket = dir.path() / "run" / "catalog.sock";
    if (!kiosk::wait_serving(socket, std::chrono::seconds(30))) {
      std::cerr << "bench_catalog: catalogd did not start (see " << (dir.path() / "catalogd.log") << ")\n";
      return 1;
    }
  } else {
    auto opened = kiosk::catalog::CatalogStore::open(dir.path() / "catalog", clock);
    if (!opened) {
      std::cerr << "bench_catalog: " << opened.message() << "\n";
      return 1;
    }
    store = std::move(*opened);
    service.emplace(*store);
    auto started = kiosk::start_unix_server(socket, {&*service},
                                            {.max_receive_message_bytes = kiosk::catalog::kMaxCatalogMessageBytes});
    if (!started) {
      std::cerr << "bench_catalog: " << started.message() << "\n";
      return 1;
    }
    server = std::move(*started);
  }

  // 1. Import.
  auto t0 = Clock::now();
  kiosk::v1::ImportRequest ireq;
  ireq.set_format(kiosk::v1::ImportRequest::FORMAT_CSV);
  ireq.set_mode(kiosk::v1::ImportRequest::MODE_FULL);
  ireq.set_source_name("bench.csv");
  ireq.set_data(generate_csv(products, seed));
  const double generate_s = ms_since(t0) / 1000;
  const double push_mb = static_cast<double>(ireq.data().size()) / (1024.0 * 1024.0);
  kiosk::v1::ImportResponse iresp;
  const double import_cpu0_ms = process_cpu_ms();
  t0 = Clock::now();
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
    kiosk::add_bearer_token(ctx, kToken);  // catalogd refuses writes without it; the in-process service does not check
    const grpc::Status s = stub_for(socket)->Import(&ctx, ireq, &iresp);
    if (!s.ok() || !iresp.applied()) {
      std::cerr << "bench_catalog: import failed: " << s.error_message()
                << (iresp.errors_size() > 0 ? iresp.errors(0).message() : "") << "\n";
      return 1;
    }
  }
  const double import_s = ms_since(t0) / 1000;
  const double import_cpu_s = (process_cpu_ms() - import_cpu0_ms) / 1000;
  ireq.Clear();
  const double import_rss_mb = static_cast<double>(proc_status_kb("VmHWM")) / 1024.0;

  // 2. Lookups: each thread its own connection, random existing products; the lane's way (the stream)
  // first, then unary calls.
  std::atomic<std::uint64_t> failures{0};
  const LookupRun stream = run_lookups(socket, LookupMode::kStream, threads, lookups, products, seed);
  const LookupRun unary = run_lookups(socket, LookupMode::kUnary, threads, lookups, products, seed);
  failures += stream.failures + unary.failures;

  // 3. Name searches: words, prefixes and an adjective + noun, over the whole catalog.
  const std::array<std::string, 16> queries{"mjölk",       "kaff",     "ost",       "Organic",   "ekologisk smör",
                                            "glass",       "sham",     "Pågen",     "red apple", "te",
                                            "mjöllk",      "schampoo", "ekologsik", "SKÅNE",     "stor kaffe 500 g",
                                            "yoghurt lätt"};
  std::vector<double> search_ms;
  std::uint64_t search_hits = 0;
  {
    auto stub = stub_for(socket);
    for (unsigned i = 0; i < searches; ++i) {
      kiosk::v1::SearchRequest req;
      req.set_query(queries[i % queries.size()]);
      req.set_limit(20);
      kiosk::v1::SearchResponse resp;
      const auto s0 = Clock::now();
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
      const grpc::Status s = stub->Search(&ctx, req, &resp);
      search_ms.push_back(ms_since(s0));
      if (!s.ok()) failures.fetch_add(1);
      search_hits += static_cast<std::uint64_t>(resp.products_size());
    }
  }
  const double peak_rss_mb = static_cast<double>(proc_status_kb("VmHWM")) / 1024.0;
  const double serving_rss_mb = static_cast<double>(proc_status_kb("VmRSS")) / 1024.0;
  const auto index = store ? store->search_index() : nullptr;
  const double index_mb = index ? static_cast<double>(index->memory_bytes()) / (1024.0 * 1024.0) : 0.0;
  if (server) {
    service->stop();
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  }
  if (catalogd) catalogd->stop();

  double load_1m = -1;  // the machine's 1-minute load average at the end (getloadavg)
  getloadavg(&load_1m, 1);
  const double lookup_p50 = percentile(stream.latency_ms, 0.50);
  const double lookup_p99 = percentile(stream.latency_ms, 0.99);
  const double lookups_per_s = stream.per_s;
  const double unary_p50 = percentile(unary.latency_ms, 0.50);
  const double unary_p99 = percentile(unary.latency_ms, 0.99);
  const double search_p50 = percentile(search_ms, 0.50);
  const double search_p99 = percentile(search_ms, 0.99);
  std::cout << fmt::format("bench_catalog: {} products, {} threads x {} lookups, {} searches, seed {}, server {}\n",
                           products, threads, lookups, searches, seed,
                           own_process ? "catalogd (own process)" : "in this process");
  std::cout << fmt::format("{:<34} {:>14}  {}\n", "measure", "value", "target (issue 3)");
  std::cout << fmt::format("{:<34} {:>14.2f}  \n", "generate push (s)", generate_s);
  std::cout << fmt::format("{:<34} {:>14.1f}  \n", "push size (MB)", push_mb);
  std::cout << fmt::format("{:<34} {:>14.2f}  <= 10 s for 1M\n", "import via gRPC (s)", import_s);
  std::cout << fmt::format("{:<34} {:>14.2f}  (client + server, both cores)\n", "import CPU (s)", import_cpu_s);
  std::cout << fmt::format("{:<34} {:>14.0f}  \n", "import rate (products/s)",
                           static_cast<double>(products) / import_s);
  std::cout << fmt::format("{:<34} {:>14.1f}  \n", "peak RSS after import (MB)", import_rss_mb);
  std::cout << fmt::format("{:<34} {:>14.3f}  \n", "lookup p50 (ms, stream)", lookup_p50);
  std::cout << fmt::format("{:<34} {:>14.3f}  <= 1 ms\n", "lookup p99 (ms, stream)", lookup_p99);
  std::cout << fmt::format("{:<34} {:>14.0f}  >= 20,000/s\n", "lookups/s (stream)", lookups_per_s);
  std::cout << fmt::format("{:<34} {:>14.1f}  (client + server)\n", "CPU per lookup (us, stream)", stream.cpu_us);
  std::cout << fmt::format("{:<34} {:>14.2f}  (process-wide)\n", "context switches/lookup (stream)",
                           stream.context_switches);
  std::cout << fmt::format("{:<34} {:>14}  all\n", "answered on the stream", stream.streamed);
  std::cout << fmt::format("{:<34} {:>14.3f}  \n", "lookup p50 (ms, unary)", unary_p50);
  std::cout << fmt::format("{:<34} {:>14.3f}  \n", "lookup p99 (ms, unary)", unary_p99);
  std::cout << fmt::format("{:<34} {:>14.0f}  \n", "lookups/s (unary)", unary.per_s);
  std::cout << fmt::format("{:<34} {:>14.1f}  (client + server)\n", "CPU per lookup (us, unary)", unary.cpu_us);
  std::cout << fmt::format("{:<34} {:>14.2f}  (process-wide)\n", "context switches/lookup (unary)",
                           unary.context_switches);
  std::cout << fmt::format("{:<34} {:>14.1f}  \n", "search p50 (ms)", search_p50);
  std::cout << fmt::format("{:<34} {:>14.1f}  <= 20 ms\n", "search p99 (ms)", search_p99);
  std::cout << fmt::format("{:<34} {:>14.1f}  \n", "search hits (sum of all queries)",
                           static_cast<double>(search_hits));
  std::cout << fmt::format("{:<34} {:>14.1f}  \n", "search index (MB)", index_mb);
  std::cout << fmt::format("{:<34} {:>14}  \n", "search index words", index ? index->word_count() : 0);
  std::cout << fmt::format("{:<34} {:>14.1f}  \n", "RSS while serving (MB, VmRSS)", serving_rss_mb);
  std::cout << fmt::format("{:<34} {:>14.1f}  \n", "peak RSS (MB, VmHWM)", peak_rss_mb);
  std::cout << fmt::format("{:<34} {:>14}  0\n", "failed RPCs", failures.load());
  std::cout << fmt::format("{:<34} {:>14.2f}  (other work on this machine skews wall-clock figures)\n",
                           "load average, 1 min", load_1m);
  std::cout << fmt::format(
      "{{\"products\":{},\"import_1m_s\":{:.3f},\"lookup_p50_ms\":{:.4f},\"lookup_p99_ms\":{:.4f},"
      "\"lookups_per_s\":{:.0f},\"search_p50_ms\":{:.2f},\"search_p99_ms\":{:.2f},\"peak_rss_mb\":{:.1f},"
      "\"import_peak_rss_mb\":{:.1f},\"serving_rss_mb\":{:.1f},\"search_index_mb\":{:.1f},\"lookup_cpu_us\":{:.1f},"
      "\"lookup_context_switches\":{:.2f},\"unary_lookup_p50_ms\":{:.4f},\"unary_lookup_p99_ms\":{:.4f},"
      "\"unary_lookups_per_s\":{:.0f},\"unary_lookup_cpu_us\":{:.1f},\"unary_lookup_context_switches\":{:.2f},"
      "\"lookup_threads\":{},\"catalogd_process\":{},\"import_cpu_s\":{:.2f},\"load_avg_1m\":{:.2f},\"failed_rpcs\":{}}"
      "}\n",
      products, import_s * 1'000'000.0 / static_cast<double>(products), lookup_p50, lookup_p99, lookups_per_s,
      search_p50, search_p99, peak_rss_mb, import_rss_mb, serving_rss_mb, index_mb, stream.cpu_us,
      stream.context_switches, unary_p50, unary_p99, unary.per_s, unary.cpu_us, unary.context_switches, threads,
      own_process, import_cpu_s, load_1m, failures.load());
  return failures.load() == 0 ? 0 : 1;
}
