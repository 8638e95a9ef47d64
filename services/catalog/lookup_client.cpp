#include "lookup_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/rpc.h"

namespace kiosk::catalog {
namespace {

using SysClock = std::chrono::system_clock;

void* tag_of(int t) {
  return reinterpret_cast<void*>(static_cast<std::intptr_t>(t));
}

Error lookup_error(const std::string& code, const grpc::Status& st) {
  return from_grpc_status(st, "catalog lookup of " + code);
}

}  // namespace

struct LookupClient::Stream {
  grpc::ClientContext ctx;
  grpc::CompletionQueue cq;
  std::unique_ptr<grpc::ClientAsyncReaderWriter<v1::LookupStreamRequest, v1::LookupStreamResponse>> rw;
  bool pending[5] = {};  // by Tag: started and not yet completed
  bool broken = false;   // an operation failed: the call is over
  bool used = false;     // has answered a lookup
  v1::LookupStreamRequest req;
  v1::LookupStreamResponse resp;

  // Waits until none of the operations is pending. False when `deadline` passed first.
  bool drain(SysClock::time_point deadline) {
    while (pending[static_cast<int>(Tag::kStart)] || pending[static_cast<int>(Tag::kWrite)] ||
           pending[static_cast<int>(Tag::kRead)] || pending[static_cast<int>(Tag::kFinish)]) {
      void* tag = nullptr;
      bool ok = false;
      const auto st = cq.AsyncNext(&tag, &ok, deadline);
      if (st == grpc::CompletionQueue::TIMEOUT) return false;
      if (st == grpc::CompletionQueue::SHUTDOWN) return true;
      pending[reinterpret_cast<std::intptr_t>(tag)] = false;
      if (!ok) broken = true;
      if (broken && reinterpret_cast<std::intptr_t>(tag) != static_cast<std::intptr_t>(Tag::kFinish)) {
        ctx.TryCancel();  // a failed write or read ends the call; the other operation then ends at once
      }
    }
    return true;
  }

  void start(Tag t) { pending[static_cast<int>(t)] = true; }
};

LookupClient::LookupClient(std::shared_ptr<grpc::Channel> channel, Options options)
    : stub_(v1::Catalog::NewStub(std::move(channel))), options_(options) {}

LookupClient::~LookupClient() {
  stop();
  std::lock_guard lock(stream_mu_);
  (void)close_stream();
}

void LookupClient::stop() {
  std::lock_guard lock(mu_);
  stopped_ = true;
  for (auto* ctx : in_flight_) ctx->TryCancel();
}

LookupClient::Counts LookupClient::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

bool LookupClient::track(grpc::ClientContext* ctx) {
  std::lock_guard lock(mu_);
  if (stopped_) return false;
  in_flight_.insert(ctx);
  return true;
}

void LookupClient::untrack(grpc::ClientContext* ctx) {
  std::lock_guard lock(mu_);
  in_flight_.erase(ctx);
}

Result<v1::LookupResponse> LookupClient::lookup(const std::string& code) {
  const auto deadline = SysClock::now() + options_.deadline;
  {
    std::unique_lock lock(stream_mu_, std::try_to_lock);
    if (lock.owns_lock()) {  // else another lookup is on the stream: this one goes unary, without waiting
      for (int attempt = 0; attempt < 2; ++attempt) {
        const bool fresh = !stream_;
        if (fresh) {
          if (std::chrono::steady_clock::now() < no_stream_until_) break;
          if (!open_stream(deadline)) {
            no_stream_until_ = std::chrono::steady_clock::now() + options_.reopen_backoff;
            break;
          }
        }
        auto answer = lookup_on_stream(code, deadline);
        if (answer) {
          std::lock_guard l(mu_);
          ++counts_.streamed;
          return std::move(*answer);
        }
        // The stream broke. An old one: catalogd restarted, so try a new stream. A new one: catalogd is
        // down or has no LookupStream; unary for a while.
        if (fresh) {
          no_stream_until_ = std::chrono::steady_clock::now() + options_.reopen_backoff;
          break;
        }
      }
    }
  }
  auto r = lookup_unary(code, deadline);
  std::lock_guard l(mu_);
  ++counts_.unary;
  return r;
}

bool LookupClient::open_stream(SysClock::time_point deadline) {
  auto s = std::make_unique<Stream>();
  if (!track(&s->ctx)) return false;
  s->start(Tag::kStart);
  s->rw = stub_->AsyncLookupStream(&s->ctx, &s->cq, tag_of(static_cast<int>(Tag::kStart)));
  stream_ = std::move(s);
  if (!stream_->drain(deadline) || stream_->broken) {
    (void)close_stream();
    return false;
  }
  std::lock_guard l(mu_);
  ++counts_.opened;
  return true;
}

std::optional<Result<v1::LookupResponse>> LookupClient::lookup_on_stream(const std::string& code,
                                                                         SysClock::time_point deadline) {
  Stream& s = *stream_;
  const std::uint64_t id = next_id_++;
  s.req.set_id(id);
  s.req.set_code(code);
  // One write and one read in flight at once (gRPC allows one of each); the answer is the next message.
  s.start(Tag::kWrite);
  s.rw->Write(s.req, tag_of(static_cast<int>(Tag::kWrite)));
  s.start(Tag::kRead);
  s.rw->Read(&s.resp, tag_of(static_cast<int>(Tag::kRead)));
  if (!s.drain(deadline)) {
    (void)close_stream();  // the next lookup opens a new stream
    return Result<v1::LookupResponse>(
        Error{ErrorCode::kDeadlineExceeded,
              fmt::format("catalog lookup of {}: no answer within {} ms", code, options_.deadline.count())});
  }
  if (s.broken || s.resp.id() != id) {
    if (!s.broken) spdlog::warn("catalog lookup stream: answer {} to request {}; reopening", s.resp.id(), id);
    const grpc::Status st = close_stream();
    spdlog::debug("catalog lookup stream ended ({}: {})", static_cast<int>(st.error_code()), st.error_message());
    return std::nullopt;
  }
  s.used = true;
  if (s.resp.has_error()) {
    return Result<v1::LookupResponse>(lookup_error(
        code, grpc::Status(static_cast<grpc::StatusCode>(s.resp.error().code()), s.resp.error().message())));
  }
  return Result<v1::LookupResponse>(std::move(*s.resp.mutable_found()));
}

grpc::Status LookupClient::close_stream() {
  if (!stream_) return grpc::Status::OK;
  Stream& s = *stream_;
  grpc::Status st(grpc::StatusCode::CANCELLED, "lookup stream closed");
  if (s.rw) {
    // A healthy stream is cancelled; a broken one has its status already.
    if (!s.broken) s.ctx.TryCancel();
    if (!s.drain(SysClock::now() + std::chrono::seconds(1))) {
      s.ctx.TryCancel();
      (void)s.drain(SysClock::time_point::max());
    }
    s.start(Tag::kFinish);
    s.rw->Finish(&st, tag_of(static_cast<int>(Tag::kFinish)));
    (void)s.drain(SysClock::time_point::max());  // after a cancel the call is over: Finish completes at once
  }
  untrack(&s.ctx);
  s.cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (s.cq.Next(&tag, &ok)) {
  }
  stream_.reset();
  return st;
}

Result<v1::LookupResponse> LookupClient::lookup_unary(const std::string& code, SysClock::time_point deadline) {
  grpc::ClientContext ctx;
  ctx.set_deadline(deadline);
  if (!track(&ctx)) return unavailable("catalog lookup of " + code + ": the lane is stopping");
  v1::LookupRequest req;
  req.set_code(code);
  v1::LookupResponse resp;
  const grpc::Status st = stub_->Lookup(&ctx, req, &resp);
  untrack(&ctx);
  if (!st.ok()) return lookup_error(code, st);
  return resp;
}

}  // namespace kiosk::catalog
