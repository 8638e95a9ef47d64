#pragma once
// gRPC adapter for kiosk.v1.Vision: streams the ScanLog (scans, and on Watch the camera status too),
// reports the camera's status, and mirrors it into the standard health service.
#include <grpcpp/health_check_service_interface.h>
#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "camera_runner.h"
#include "kiosk/v1/vision.grpc.pb.h"
#include "scan_log.h"

namespace kiosk::vision {

// The health service name whose status follows the camera.
inline constexpr const char* kVisionHealthName = "kiosk.v1.Vision";

class VisionService final : public kiosk::v1::Vision::Service {
 public:
  VisionService(ScanLog& log, std::function<CameraStatus()> status) : log_(log), status_(std::move(status)) {}

  grpc::Status Scans(grpc::ServerContext* context, const kiosk::v1::ScansRequest* request,
                     grpc::ServerWriter<kiosk::v1::ScanEvent>* writer) override;
  grpc::Status GetCameraStatus(grpc::ServerContext* context, const kiosk::v1::GetCameraStatusRequest* request,
                               kiosk::v1::CameraStatus* response) override;
  grpc::Status Watch(grpc::ServerContext* context, const kiosk::v1::VisionWatchRequest* request,
                     grpc::ServerWriter<kiosk::v1::VisionEvent>* writer) override;

 private:
  ScanLog& log_;
  std::function<CameraStatus()> status_;
};

// Sets health service `name` SERVING while the camera's published state is running and NOT_SERVING
// otherwise (starting, disconnected, reconnecting, ended), from construction until destruction. The
// overall ("") status is left to the server: the process is up and answering even without a camera.
class CameraHealth {
 public:
  CameraHealth(ScanLog& log, grpc::HealthCheckServiceInterface* health, std::string name = kVisionHealthName);
  ~CameraHealth();
  CameraHealth(const CameraHealth&) = delete;
  CameraHealth& operator=(const CameraHealth&) = delete;

 private:
  void run();

  ScanLog& log_;
  grpc::HealthCheckServiceInterface* health_;
  std::string name_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

kiosk::v1::ScanEvent to_proto(const ScanEvent& e);
kiosk::v1::CameraStatus to_proto(const CameraStatus& s);

}  // namespace kiosk::vision
