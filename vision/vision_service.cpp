#include "vision_service.h"

#include <spdlog/spdlog.h>

namespace kiosk::vision {
namespace {

// How often a waiting stream looks at its cancellation flag.
constexpr auto kPoll = std::chrono::milliseconds(100);

kiosk::v1::CameraStatus::State state_to_proto(CameraState s) {
  switch (s) {
    case CameraState::kStarting:
      return kiosk::v1::CameraStatus::STATE_UNSPECIFIED;
    case CameraState::kRunning:
      return kiosk::v1::CameraStatus::STATE_RUNNING;
    case CameraState::kReconnecting:
      return kiosk::v1::CameraStatus::STATE_RECONNECTING;
    case CameraState::kDisconnected:
      return kiosk::v1::CameraStatus::STATE_DISCONNECTED;
    case CameraState::kEnded:
      return kiosk::v1::CameraStatus::STATE_ENDED;
  }
  return kiosk::v1::CameraStatus::STATE_UNSPECIFIED;
}

// Counts this stream as a reader for as long as it runs.
class ReaderGuard {
 public:
  explicit ReaderGuard(ScanLog& log) : log_(log) { log_.add_reader(1); }
  ~ReaderGuard() { log_.add_reader(-1); }
  ReaderGuard(const ReaderGuard&) = delete;
  ReaderGuard& operator=(const ReaderGuard&) = delete;

 private:
  ScanLog& log_;
};

}  // namespace

kiosk::v1::ScanEvent to_proto(const ScanEvent& e) {
  kiosk::v1::ScanEvent p;
  p.set_seq(e.seq);
  // kiosk::vision::Symbology values equal kiosk.v1.Symbology's.
  p.set_symbology(static_cast<kiosk::v1::Symbology>(static_cast<int>(e.code.symbology)));
  p.set_text(e.code.text);
  p.set_gtin14(e.code.gtin14);
  p.set_gs1_element_string(e.code.element_string);
  p.set_frame_unix_ms(e.frame_unix_ms);
  p.set_event_unix_ms(e.event_unix_ms);
  p.set_frame_index(e.frame_index);
  p.set_source(e.source);
  return p;
}

kiosk::v1::CameraStatus to_proto(const CameraStatus& s) {
  kiosk::v1::CameraStatus p;
  p.set_state(state_to_proto(s.state));
  p.set_source(s.source);
  p.set_frames_read(s.frames_read);
  p.set_frames_per_s(s.frames_per_s);
  p.set_last_error(s.last_error);
  p.set_reconnect_attempt(s.reconnect_attempt);
  p.set_backoff_ms(static_cast<std::uint32_t>(s.backoff.count()));
  p.set_unix_ms(s.unix_ms);
  p.set_version(s.version);
  return p;
}

grpc::Status VisionService::Scans(grpc::ServerContext* context, const kiosk::v1::ScansRequest* request,
                                  grpc::ServerWriter<kiosk::v1::ScanEvent>* writer) {
  ReaderGuard guard(log_);
  const std::uint64_t last = log_.last_seq();
  std::uint64_t cursor = request->after_seq();
  if (cursor == 0) {
    cursor = last;  // only new events
  } else if (cursor > last) {
    // The client saw a previous run of this service (seq restarts at 1): give it what comes next.
    spdlog::warn("Scans: after_seq {} is beyond the last event {} (service restarted); sending new events", cursor,
                 last);
    cursor = last;
  }
  while (!context->IsCancelled()) {
    auto events = log_.wait_after(cursor, std::chrono::steady_clock::now() + kPoll);
    if (!events.empty() && events.front().seq > cursor + 1) {
      spdlog::warn("Scans: events {}..{} are no longer buffered", cursor + 1, events.front().seq - 1);
    }
    for (const auto& e : events) {
      if (!writer->Write(to_proto(e))) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
      cursor = e.seq;
    }
    if (log_.closed()) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "vision service is shutting down");
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "client cancelled");
}

grpc::Status VisionService::GetCameraStatus(grpc::ServerContext* /*context*/,
                                            const kiosk::v1::GetCameraStatusRequest* /*request*/,
                                            kiosk::v1::CameraStatus* response) {
  *response = to_proto(status_());
  return grpc::Status::OK;
}

grpc::Status VisionService::Watch(grpc::ServerContext* context, const kiosk::v1::VisionWatchRequest* request,
                                  grpc::ServerWriter<kiosk::v1::VisionEvent>* writer) {
  ReaderGuard guard(log_);
  const std::uint64_t last = log_.last_seq();
  std::uint64_t cursor = request->after_seq();
  if (cursor == 0 || cursor > last) cursor = last;  // only new scans (see Scans)
  // The current status first, so a watcher knows the camera's state without waiting for a change.
  CameraStatus now = log_.status();
  if (now.version == 0) now = status_();  // nothing published yet (not started)
  std::uint64_t version = now.version;
  kiosk::v1::VisionEvent first;
  *first.mutable_camera() = to_proto(now);
  if (!writer->Write(first)) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
  while (!context->IsCancelled()) {
    auto events = log_.wait_events(cursor, version, std::chrono::steady_clock::now() + kPoll);
    for (const auto& st : events.statuses) {
      kiosk::v1::VisionEvent ev;
      *ev.mutable_camera() = to_proto(st);
      if (!writer->Write(ev)) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
      version = st.version;
    }
    for (const auto& e : events.scans) {
      kiosk::v1::VisionEvent ev;
      *ev.mutable_scan() = to_proto(e);
      if (!writer->Write(ev)) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
      cursor = e.seq;
    }
    if (log_.closed()) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "vision service is shutting down");
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "client cancelled");
}

CameraHealth::CameraHealth(ScanLog& log, grpc::HealthCheckServiceInterface* health, std::string name)
    : log_(log), health_(health), name_(std::move(name)) {
  health_->SetServingStatus(name_, log_.status().state == CameraState::kRunning);
  thread_ = std::thread([this] { run(); });
}

CameraHealth::~CameraHealth() {
  stop_ = true;
  thread_.join();
}

void CameraHealth::run() {
  std::uint64_t version = log_.status().version;
  bool serving = log_.status().state == CameraState::kRunning;
  health_->SetServingStatus(name_, serving);
  // Scans are not this thread's business: it waits past every scan already logged.
  while (!stop_ && !log_.closed()) {
    auto events = log_.wait_events(log_.last_seq(), version, std::chrono::steady_clock::now() + kPoll);
    if (events.statuses.empty()) continue;
    version = events.statuses.back().version;
    const bool now_serving = events.statuses.back().state == CameraState::kRunning;
    if (now_serving != serving) {
      spdlog::info("health {}: {}", name_, now_serving ? "SERVING" : "NOT_SERVING");
      serving = now_serving;
      health_->SetServingStatus(name_, serving);
    }
  }
}

}  // namespace kiosk::vision
