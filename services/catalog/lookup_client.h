#pragma once
// The lane's side of Catalog.LookupStream: one stream kept open to catalogd, one lookup at a time on
// it, each with its own deadline. A unary call costs ~4x the CPU of a message on an open stream (call
// setup, ~5 thread wake-ups), so a lane that looks up every scan keeps a stream.
//   - The stream is opened on the first lookup and reopened when it broke (catalogd restarted): the
//     lookup that found it broken is tried once more on a new stream.
//   - When no stream can be opened (catalogd down, or one without LookupStream), lookups use the unary
//     Lookup and a new stream is tried after `reopen_backoff`.
//   - A lookup that finds the stream busy (another thread's lookup in flight) uses the unary Lookup
//     rather than wait: a lookup never waits longer than its deadline.
//   - A lookup past its deadline cancels the stream (the next lookup opens a new one) and fails with
//     kDeadlineExceeded.
// The caller's thread drives the stream on a completion queue of its own (no gRPC callback thread, no
// thread hop per answer). Errors are as Lookup's: kNotFound, kInvalidArgument (malformed code), ...
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "common/result.h"
#include "kiosk/v1/catalog.grpc.pb.h"

namespace kiosk::catalog {

class LookupClient {
 public:
  struct Options {
    std::chrono::milliseconds deadline{2000};        // one lookup, streamed or unary
    std::chrono::milliseconds reopen_backoff{1000};  // after a stream could not be opened: unary until then
  };
  struct Counts {
    std::uint64_t streamed = 0;  // answered on the stream
    std::uint64_t unary = 0;     // answered (or failed) by a unary Lookup
    std::uint64_t opened = 0;    // streams opened
  };

  LookupClient(std::shared_ptr<grpc::Channel> channel, Options options);
  ~LookupClient();
  LookupClient(const LookupClient&) = delete;
  LookupClient& operator=(const LookupClient&) = delete;

  // Thread-safe. The product for a scanned or typed code, or Lookup's error ("catalog lookup of <code>: why").
  Result<v1::LookupResponse> lookup(const std::string& code);
  // Cancels lookups in flight and closes the stream; later lookups fail with kUnavailable. Idempotent.
  void stop();
  Counts counts() const;

 private:
  enum class Tag : std::intptr_t { kStart = 1, kWrite, kRead, kFinish };
  struct Stream;  // one open LookupStream call and its completion queue

  // On the stream (stream_mu_ held): the answer, or nullopt when the stream is broken (then closed).
  std::optional<Result<v1::LookupResponse>> lookup_on_stream(const std::string& code,
                                                             std::chrono::system_clock::time_point deadline);
  bool open_stream(std::chrono::system_clock::time_point deadline);
  // Cancels the stream, waits for its pending operations and drops it; its final status.
  grpc::Status close_stream();
  Result<v1::LookupResponse> lookup_unary(const std::string& code, std::chrono::system_clock::time_point deadline);
  // Contexts in flight, so stop() can cancel them; false when already stopped.
  bool track(grpc::ClientContext* ctx);
  void untrack(grpc::ClientContext* ctx);

  std::unique_ptr<v1::Catalog::Stub> stub_;
  const Options options_;

  std::timed_mutex stream_mu_;  // one lookup on the stream at a time
  std::unique_ptr<Stream> stream_;
  std::chrono::steady_clock::time_point no_stream_until_{};  // under stream_mu_
  std::uint64_t next_id_ = 1;                                // under stream_mu_

  mutable std::mutex mu_;  // guards what follows
  bool stopped_ = false;
  std::unordered_set<grpc::ClientContext*> in_flight_;
  Counts counts_;
};

}  // namespace kiosk::catalog
