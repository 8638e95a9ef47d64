// LookupStream: the lane's lookups on one long-lived stream. One read is outstanding at a time and each
// request is answered (in order) from OnReadDone, on the gRPC thread that read it; the next read starts
// once the answer is written. A failed lookup is an answer with `error` set: the stream goes on.
#include <spdlog/spdlog.h>

#include "catalog_service.h"
#include "common/rpc.h"

namespace kiosk::catalog {

class LookupStreamReactor final
    : public grpc::ServerBidiReactor<kiosk::v1::LookupStreamRequest, kiosk::v1::LookupStreamResponse> {
 public:
  explicit LookupStreamReactor(CatalogService& service) : service_(service) {}

  // Starts reading, or ends at once with `refusal` (the service has stopped).
  void begin(std::optional<grpc::Status> refusal) {
    std::lock_guard lock(mu_);
    if (refusal) {
      finish_locked(*refusal);
    } else {
      StartRead(&req_);
    }
  }

  // From CatalogService::stop(): ends the stream now, whatever is pending (gRPC then reports the
  // pending read or write as failed, and OnDone follows on a gRPC thread, never inside Finish).
  void end(const grpc::Status& why) {
    std::lock_guard lock(mu_);
    finish_locked(why);
  }

  void OnReadDone(bool ok) override {
    std::lock_guard lock(mu_);
    if (finished_) return;
    if (!ok) {  // the client closed its side (WritesDone) or went away
      finish_locked(grpc::Status::OK);
      return;
    }
    resp_.Clear();
    resp_.set_id(req_.id());
    resp_.set_code(req_.code());
    const grpc::Status st = service_.lookup(req_.code(), resp_.mutable_found());
    if (!st.ok()) {
      auto* err = resp_.mutable_error();  // replaces `found` (a oneof)
      err->set_code(static_cast<std::int32_t>(st.error_code()));
      err->set_message(st.error_message());
    }
    StartWrite(&resp_);
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    if (finished_) return;
    if (!ok) {  // the stream broke (client gone); nothing more can be sent
      finish_locked({grpc::StatusCode::CANCELLED, "lookup stream: the answer could not be sent"});
      return;
    }
    StartRead(&req_);
  }

  void OnDone() override {
    service_.forget_stream(this);
    delete this;
  }

 private:
  void finish_locked(const grpc::Status& st) {
    if (finished_) return;
    finished_ = true;
    Finish(st);
  }

  CatalogService& service_;
  std::mutex mu_;  // the reactions and end() (another thread) both start operations
  bool finished_ = false;
  kiosk::v1::LookupStreamRequest req_;
  kiosk::v1::LookupStreamResponse resp_;
};

grpc::ServerBidiReactor<kiosk::v1::LookupStreamRequest, kiosk::v1::LookupStreamResponse>* CatalogService::LookupStream(
    grpc::CallbackServerContext*) {
  auto* r = new LookupStreamReactor(*this);
  bool stopped = false;
  {
    std::lock_guard lock(stop_mu_);
    stopped = stopped_;
    if (!stopped) streams_.insert(r);
  }
  // A refused reactor is not in streams_; forget_stream() ignores it.
  r->begin(stopped ? std::optional(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the catalog is shutting down"))
                   : std::nullopt);
  return r;
}

void CatalogService::forget_stream(LookupStreamReactor* r) {
  std::lock_guard lock(stop_mu_);
  streams_.erase(r);
}

std::size_t CatalogService::open_lookup_streams() {
  std::lock_guard lock(stop_mu_);
  return streams_.size();
}

void CatalogService::stop() {
  {
    std::lock_guard lock(stop_mu_);
    stopped_ = true;
    // OnDone (which erases and deletes) waits for stop_mu_, so every reactor here is alive.
    for (auto* r : streams_) r->end({grpc::StatusCode::UNAVAILABLE, "the catalog is shutting down"});
  }
  stop_cv_.notify_all();
}

}  // namespace kiosk::catalog
