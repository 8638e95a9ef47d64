// kioskctl catalog push: one file to many kiosks at once, each over its own connection, each reported.
#include <fmt/format.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>
#include <vector>

#include "commands.h"
#include "kiosk/v1/catalog.grpc.pb.h"
#include "progress_bar.h"

namespace kiosk::ctl {
namespace {

constexpr std::size_t kPieceBytes = 256 * 1024;        // one ImportStream message
constexpr std::uint64_t kProgressFromBytes = 1 << 20;  // smaller pushes need no progress bar
constexpr std::chrono::minutes kPushDeadline{10};      // sent, validated and written synced

struct Outcome {
  grpc::Status status;
  kiosk::v1::ImportResponse resp;
};

Outcome push_one(const KioskTarget& k, const Connection& conn, const std::string& data, const std::string& name,
                 bool jsonl, bool delta, std::atomic<std::uint64_t>& sent) {
  Outcome o;
  grpc::ClientContext ctx;
  add_token(ctx, conn);
  ctx.set_deadline(std::chrono::system_clock::now() + kPushDeadline);
  auto stub = kiosk::v1::Catalog::NewStub(k.channel);
  auto writer = stub->ImportStream(&ctx, &o.resp);
  kiosk::v1::ImportRequest piece;
  piece.set_format(jsonl ? kiosk::v1::ImportRequest::FORMAT_JSONL : kiosk::v1::ImportRequest::FORMAT_CSV);
  piece.set_mode(delta ? kiosk::v1::ImportRequest::MODE_DELTA : kiosk::v1::ImportRequest::MODE_FULL);
  piece.set_source_name(name);
  for (std::size_t at = 0; at < data.size(); at += kPieceBytes) {
    const std::size_t n = std::min(kPieceBytes, data.size() - at);
    piece.set_data(data.substr(at, n));
    // false: the kiosk ended the call (refused, unreachable); Finish says why.
    if (!writer->Write(piece)) break;
    sent += n;
    piece.clear_format();
    piece.clear_mode();
    piece.clear_source_name();
  }
  writer->WritesDone();
  o.status = writer->Finish();
  return o;
}

}  // namespace

int catalog_push(const Connection& conn, const std::filesystem::path& file, bool delta, std::ostream& out,
                 std::ostream& err, bool err_is_tty) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    err << fmt::format("kioskctl: cannot read {}\n", file.string());
    return 1;
  }
  const std::string data((std::istreambuf_iterator<char>(in)), {});
  if (data.empty()) {
    err << fmt::format("kioskctl: {} is empty; nothing pushed\n", file.string());
    return 1;
  }
  const bool jsonl = file.extension() == ".jsonl";
  const std::string name = file.filename().string();
  const std::size_t n = conn.kiosks.size();

  std::vector<Outcome> outcomes(n);
  std::vector<std::atomic<std::uint64_t>> sent(n);
  std::mutex mu;
  std::condition_variable cv;
  std::size_t finished = 0;
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      Outcome o = push_one(conn.kiosks[i], conn, data, name, jsonl, delta, sent[i]);
      std::lock_guard lock(mu);
      outcomes[i] = std::move(o);
      ++finished;
      cv.notify_all();
    });
  }
  const std::uint64_t total = static_cast<std::uint64_t>(data.size()) * n;
  const auto sent_so_far = [&] {
    std::uint64_t s = 0;
    for (const auto& x : sent) s += x.load();
    return s;
  };
  {
    std::optional<ProgressBar> bar;
    if (data.size() >= kProgressFromBytes) {
      bar.emplace(err, err_is_tty, total,
                  n == 1 ? fmt::format("push {}", name) : fmt::format("push {} to {} kiosks", name, n));
    }
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return finished == n; })) {
      if (bar) bar->update(sent_so_far());
    }
    if (bar) bar->finish(sent_so_far());
  }
  for (auto& t : threads) t.join();

  int failed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& k = conn.kiosks[i];
    const auto& o = outcomes[i];
    const std::string prefix = n == 1 ? "" : k.label + ": ";
    if (!o.status.ok()) {
      ++failed;
      rpc_failed(o.status, k, err);
      continue;
    }
    if (!o.resp.applied()) {
      ++failed;
      for (const auto& e : o.resp.errors()) {
        err << fmt::format("{}{}:{}: {}{}{}\n", prefix, file.string(), e.line(), e.column(),
                           e.column().empty() ? "" : ": ", e.message());
      }
      err << fmt::format("kioskctl: {}{} errors; nothing imported, version {} is still served\n", prefix,
                         o.resp.errors_size(), o.resp.version());
      continue;
    }
    out << fmt::format("{}version {}: {} products\n", prefix, o.resp.version(), o.resp.product_count());
  }
  if (n > 1 && failed > 0) {
    err << fmt::format("kioskctl: the push failed on {} of {} kiosks\n", failed, n);
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace kiosk::ctl
