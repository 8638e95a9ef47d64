#include "payment_fault_driver.h"

#include <fmt/format.h>
#include <httplib.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "child_process.h"
#include "common/rpc.h"
#include "kiosk/v1/payment.grpc.pb.h"
#include "payment/payment_journal.h"

namespace kiosk::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// terminal-sim on a fixed port (after the first start), so paymentd's endpoint survives its reboots.
struct Terminal {
  std::string bin;
  fs::path journal, log;
  int port = 0;
  std::unique_ptr<ChildProcess> proc;

  Status start() {
    for (int tries = 0; tries < 50; ++tries) {  // the port may be held briefly after a kill
      proc = std::make_unique<ChildProcess>(
          std::vector<std::string>{bin + "/terminal-sim", "--listen", fmt::format("127.0.0.1:{}", port), "--journal",
                                   journal.string()},
          log);
      const std::string line = proc->wait_for_line("ready ", 10s);
      if (!line.empty()) {
        port = std::stoi(line.substr(6));
        return Status::ok();
      }
      proc->kill9();
      std::this_thread::sleep_for(20ms);  // a retry pause, not synchronisation
    }
    return unavailable(fmt::format("terminal-sim does not start on port {} (see {})", port, log.string()));
  }
  bool alive() { return proc && proc->running(); }
  Status control(const std::string& json) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2s);
    auto res = client.Post("/control", json, "application/json");
    if (!res || res->status != 200) return unavailable("terminal-sim /control " + json + " failed");
    return Status::ok();
  }
};

struct Paymentd {
  std::string bin;
  fs::path config, socket, log;
  std::unique_ptr<ChildProcess> proc;
  std::atomic<int> generation{0};  // bumped by every start: the driver makes a new channel

  Status start() {
    fs::remove(socket);
    proc =
        std::make_unique<ChildProcess>(std::vector<std::string>{bin + "/paymentd", "--config", config.string()}, log);
    if (!wait_serving(socket, 20s)) return unavailable("paymentd is not serving (see " + log.string() + ")");
    ++generation;
    return Status::ok();
  }
  bool alive() { return proc && proc->running(); }
};

enum class Fault { kNone, kKillPaymentd, kKillTerminal, kDrop, kCrash, kSlow };

// A fault that happens while a call is in progress, on its own thread; joined before the driver looks
// at the processes again.
class FaultThread {
 public:
  ~FaultThread() { join(); }
  void kill_later(std::chrono::microseconds delay, std::function<Status()> kill_and_restart) {
    thread_ = std::thread([this, delay, f = std::move(kill_and_restart)] {
      std::this_thread::sleep_for(delay);  // the random moment of the fault
      if (auto s = f(); !s) error_ = s.message();
    });
  }
  void revive_when_dead(Terminal& terminal, int& crashes) {
    thread_ = std::thread([this, &terminal, &crashes] {
      while (!stop_ && terminal.alive()) std::this_thread::sleep_for(1ms);  // polling the child's real state
      if (terminal.alive()) return;
      ++crashes;
      if (auto s = terminal.start(); !s) error_ = s.message();
    });
  }
  void join() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  const std::string& error() const { return error_; }

 private:
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::string error_;
};

struct SimTx {
  std::string sale_transaction_id;
  std::string outcome;
  std::int64_t amount_ore = 0;
};

// The terminal's record: its journal, the last line per transaction.
std::map<std::string, SimTx> read_terminal_record(const fs::path& journal) {
  std::map<std::string, SimTx> out;
  std::ifstream in(journal);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    out[j.value("poi_transaction_id", "")] = {j.value("sale_transaction_id", ""), j.value("outcome", ""),
                                              j.value("amount_ore", std::int64_t{0})};
  }
  return out;
}

bool final_outcome(v1::PaymentOutcome o) {
  return o != v1::PAYMENT_OUTCOME_IN_PROGRESS && o != v1::PAYMENT_OUTCOME_UNSPECIFIED;
}

class Driver {
 public:
  explicit Driver(const FaultRunOptions& o) : opt_(o), rng_(o.seed) {
    terminal_.bin = paymentd_.bin = o.bin_dir;
    terminal_.journal = o.dir / "terminal.jsonl";
    terminal_.log = o.dir / "terminal-sim.log";
    paymentd_.config = o.dir / "kiosk.toml";
    paymentd_.socket = o.dir / "run" / "payment.sock";
    paymentd_.log = o.dir / "paymentd.log";
  }

  Result<FaultRunReport> run() {
    const auto t0 = SteadyClock::now();
    fs::create_directories(opt_.dir / "run");
    if (auto s = terminal_.start(); !s) return s.error();
    std::ofstream(paymentd_.config) << "[runtime]\ndir = \"" << (opt_.dir / "run").string() << "\"\ndata_dir = \""
                                    << (opt_.dir / "data").string() << "\"\n[lane]\ncurrency = \"SEK\"\n"
                                    << "[payment]\nendpoint = \"http://127.0.0.1:" << terminal_.port << "/nexo\"\n"
                                    << "poi_id = \"V400m-324688179\"\nsale_id = \"kiosk-01\"\ntimeout_ms = 3000\n"
                                    << "status_timeout_ms = 1000\nrecovery_interval_ms = 20\n"
                                    << "recovery_attempts = 100\nnot_found_grace_ms = 200\n";
    if (auto s = paymentd_.start(); !s) return s.error();
    for (int sale = 1; sale <= opt_.payments; ++sale) {
      if (auto s = pay_for_sale(sale); !s) return s.error();
      if (opt_.log && sale % 100 == 0)
        opt_.log(fmt::format("{} sales, {} kills of paymentd, {} of terminal-sim", sale, report_.paymentd_kills,
                             report_.terminal_kills + report_.crashes));
    }
    report_.payments = opt_.payments;
    paymentd_.proc->stop();
    terminal_.proc->stop();
    if (auto s = audit(); !s) return s.error();
    report_.seconds = std::chrono::duration<double>(SteadyClock::now() - t0).count();
    return report_;
  }

 private:
  double uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }

  v1::Payment::Stub& stub() {
    if (stub_generation_ != paymentd_.generation) {
      ChannelOptions co;
      co.own_connection = true;
      stub_ = v1::Payment::NewStub(make_unix_channel(paymentd_.socket, co));
      stub_generation_ = paymentd_.generation;
    }
    return *stub_;
  }

  // Restarts whatever died; the fault thread is joined first.
  Status ensure_alive() {
    if (!terminal_.alive())
      if (auto s = terminal_.start(); !s) return s;
    if (!paymentd_.alive())
      if (auto s = paymentd_.start(); !s) return s;
    return Status::ok();
  }

  Fault pick_fault() {
    const double r = uniform();
    double edge = opt_.kill_paymentd;
    if (r < edge) return Fault::kKillPaymentd;
    if (r < (edge += opt_.kill_terminal)) return Fault::kKillTerminal;
    if (r < (edge += opt_.drop_answer)) return Fault::kDrop;
    if (r < (edge += opt_.crash_after_charge)) return Fault::kCrash;
    if (r < (edge += opt_.slow_shopper)) return Fault::kSlow;
    return Fault::kNone;
  }

  Status arm(Fault f, FaultThread& t) {
    const auto delay = std::chrono::microseconds(between(0, 12'000));
    switch (f) {
      case Fault::kKillPaymentd:
        ++report_.paymentd_kills;
        t.kill_later(delay, [this] {
          paymentd_.proc->kill9();
          return paymentd_.start();
        });
        return Status::ok();
      case Fault::kKillTerminal:
        ++report_.terminal_kills;
        t.kill_later(delay, [this] {
          terminal_.proc->kill9();
          return terminal_.start();
        });
        return Status::ok();
      case Fault::kDrop:
        ++report_.drops;
        return terminal_.control(R"({"drop_next":1})");
      case Fault::kCrash:
        if (auto s = terminal_.control(R"({"crash_next":1})"); !s) return s;
        t.revive_when_dead(terminal_, report_.crashes);
        return Status::ok();
      case Fault::kSlow:
        ++report_.slow;
        return terminal_.control(fmt::format(R"({{"hold_next_ms":{}}})", between(20, 150)));
      case Fault::kNone:
        break;
    }
    return Status::ok();
  }

  // After the call: join the fault, disarm a crash that did not happen, restart what died.
  Status settle_fault(Fault f, FaultThread& t) {
    t.join();
    if (!t.error().empty()) return unavailable(t.error());
    if (f == Fault::kCrash && terminal_.alive()) (void)terminal_.control(R"({"crash_next":0})");
    if (f == Fault::kDrop && terminal_.alive()) (void)terminal_.control(R"({"drop_next":0})");
    return ensure_alive();
  }

  // Pays `key` until paymentd tells a final outcome, through any restarts (the checkout's loop).
  Result<v1::PaymentResult> pay_key(const std::string& key, std::int64_t amount, Fault fault) {
    v1::PaymentResult result;
    for (int call = 0; call < 200; ++call) {
      FaultThread t;
      if (call == 0)
        if (auto s = arm(fault, t); !s) return s.error();
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + 30s);
      v1::PayRequest req;
      req.set_idempotency_key(key);
      req.set_amount_ore(amount);
      req.set_currency("SEK");
      req.set_sale_reference(key.substr(0, key.find('/')));
      const auto st = stub().Pay(&ctx, req, &result);
      if (auto s = settle_fault(call == 0 ? fault : Fault::kNone, t); !s) return s.error();
      if (st.ok() && final_outcome(result.outcome())) return result;
      if (!st.ok() && st.error_code() != grpc::StatusCode::UNAVAILABLE &&
          st.error_code() != grpc::StatusCode::CANCELLED && st.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED &&
          st.error_code() != grpc::StatusCode::INTERNAL)
        return internal_error(fmt::format("Pay {}: {}", key, st.error_message()));
      std::this_thread::sleep_for(5ms);  // a retry pause, as the checkout's
    }
    return internal_error(fmt::format("Pay {} never reached a final outcome", key));
  }

  // The sale cannot complete: reverse until the journal says REVERSED (a kill may hit this too).
  Status reverse_key(const std::string& key) {
    for (int call = 0; call < 200; ++call) {
      FaultThread t;
      const Fault f = call == 0 && uniform() < opt_.kill_paymentd * 3 ? Fault::kKillPaymentd : Fault::kNone;
      if (auto s = arm(f, t); !s) return s;
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + 30s);
      v1::ReverseRequest req;
      req.set_idempotency_key(key);
      req.set_reason("Malfunction");
      v1::PaymentResult out;
      const auto st = stub().Reverse(&ctx, req, &out);
      if (auto s = settle_fault(f, t); !s) return s;
      if (st.ok() && out.outcome() == v1::PAYMENT_OUTCOME_REVERSED) return Status::ok();
      std::this_thread::sleep_for(5ms);  // a retry pause
    }
    report_.problems.push_back("reversal of " + key + " never succeeded: the checkout would call the attendant");
    return Status::ok();
  }

  Status pay_for_sale(int sale) {
    std::int64_t amount = between(100, 150'000);
    if (uniform() < 0.08) amount = amount / 1000 * 1000 + 1124;  // a test card the terminal declines
    for (int attempt = 1; attempt <= 8; ++attempt) {
      const std::string key = fmt::format("f{}/pay/{}", sale, attempt);
      sale_of_[key] = sale;
      ++report_.attempts;
      auto r = pay_key(key, amount, pick_fault());
      if (!r) return r.error();
      switch (r->outcome()) {
        case v1::PAYMENT_OUTCOME_APPROVED:
          ++report_.approved;
          if (uniform() < opt_.cannot_complete) {
            if (auto s = reverse_key(key); !s) return s;
            ++report_.reversed;
            reversed_.insert(key);
          } else {
            completed_[sale] = key;
            ++report_.completed_sales;
          }
          return Status::ok();
        case v1::PAYMENT_OUTCOME_DECLINED:
          ++report_.declined;
          return Status::ok();
        default:  // FAILED / ABORTED: nothing charged; the checkout pays again with the next key
          ++report_.not_charged;
          break;
      }
    }
    ++report_.unpaid_sales;
    return Status::ok();
  }

  Status audit() {
    auto journal = payment::PaymentJournal::open(opt_.dir / "data" / "payment");
    if (!journal) return journal.error();
    auto records = (*journal)->all();
    if (!records) return records.error();
    std::map<std::string, payment::PaymentRecord> by_stid;
    for (const auto& r : *records) by_stid[r.sale_transaction_id] = r;
    const auto terminal = read_terminal_record(terminal_.journal);
    std::map<std::string, SimTx> sim_by_stid;
    std::map<int, int> charges_per_sale;
    for (const auto& [poi, tx] : terminal) {
      if (tx.outcome != "approved" && tx.outcome != "reversed") {
        sim_by_stid.emplace(tx.sale_transaction_id, tx);
        continue;
      }
      if (!sim_by_stid.emplace(tx.sale_transaction_id, tx).second) {
        ++report_.double_charges;
        report_.problems.push_back("SaleTransactionID " + tx.sale_transaction_id + " charged twice");
      }
      auto rec = by_stid.find(tx.sale_transaction_id);
      if (rec == by_stid.end()) {
        if (tx.outcome == "approved") ++report_.lost_approvals;
        report_.problems.push_back("terminal charge " + poi + " has no journal record");
        continue;
      }
      const std::string& key = rec->second.key;
      if (tx.outcome == "reversed") continue;
      ++report_.terminal_charges;
      const int sale = sale_of_[key];
      if (++charges_per_sale[sale] > 1) {
        ++report_.double_charges;
        report_.problems.push_back(fmt::format("sale {} charged more than once ({})", sale, key));
      }
      auto done = completed_.find(sale);
      if (done == completed_.end() || done->second != key) {
        ++report_.lost_approvals;
        report_.problems.push_back("approval " + key + " neither completed a sale nor reversed");
      }
    }
    // The journal reconciles with the terminal's record, record by record.
    for (const auto& r : *records) {
      auto tx = sim_by_stid.find(r.sale_transaction_id);
      const std::string sim = tx == sim_by_stid.end() ? "" : tx->second.outcome;
      bool ok = false;
      switch (r.state) {
        case payment::PaymentState::kApproved:
          ok = sim == "approved" && tx->second.amount_ore == r.amount_ore;
          break;
        case payment::PaymentState::kReversed:
          ok = sim == "reversed";
          break;
        case payment::PaymentState::kDeclined:
          ok = sim == "declined";
          break;
        case payment::PaymentState::kFailed:
        case payment::PaymentState::kAborted:
          ok = sim != "approved" && sim != "reversed";
          break;
        default:
          ok = false;  // left in flight
      }
      if (!ok) {
        ++report_.unreconciled;
        report_.problems.push_back(
            fmt::format("journal {} {} vs terminal '{}'", r.key, payment::to_string(r.state), sim));
      }
    }
    for (const auto& [sale, key] : completed_) {
      auto it = std::find_if(records->begin(), records->end(), [&](const auto& r) { return r.key == key; });
      if (it == records->end() || it->state != payment::PaymentState::kApproved) {
        ++report_.unreconciled;
        report_.problems.push_back("sale completed by " + key + " without an approved journal record");
      }
    }
    return Status::ok();
  }

  FaultRunOptions opt_;
  std::mt19937_64 rng_;
  Terminal terminal_;
  Paymentd paymentd_;
  std::unique_ptr<v1::Payment::Stub> stub_;
  int stub_generation_ = -1;
  FaultRunReport report_;
  std::map<std::string, int> sale_of_;
  std::map<int, std::string> completed_;
  std::set<std::string> reversed_;
};

}  // namespace

Result<FaultRunReport> run_payment_faults(const FaultRunOptions& options) {
  try {
    Driver d(options);
    return d.run();
  } catch (const std::exception& e) {
    return internal_error(std::string("fault run: ") + e.what());
  }
}

std::string format_report(const FaultRunReport& r) {
  std::string out;
  auto row = [&](std::string_view name, auto v) { out += fmt::format("  {:<34} {:>8}\n", name, v); };
  row("sales paid for", r.payments);
  row("idempotency keys used", r.attempts);
  row("approved", r.approved);
  row("  sales completed", r.completed_sales);
  row("  reversed (sale could not complete)", r.reversed);
  row("declined (test cards)", r.declined);
  row("not charged, paid again (new key)", r.not_charged);
  row("sales left unpaid", r.unpaid_sales);
  row("kill -9 of paymentd", r.paymentd_kills);
  row("kill -9 of terminal-sim", r.terminal_kills);
  row("terminal crashes after the charge", r.crashes);
  row("answers dropped after the charge", r.drops);
  row("slow shoppers at the terminal", r.slow);
  row("terminal charges standing", r.terminal_charges);
  row("double charges", r.double_charges);
  row("lost approvals", r.lost_approvals);
  row("journal records not reconciled", r.unreconciled);
  row("seconds", fmt::format("{:.1f}", r.seconds));
  return out;
}

}  // namespace kiosk::test
