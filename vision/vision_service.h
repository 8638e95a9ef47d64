#pragma once
// gRPC adapter for kiosk.v1.Vision: streams the ScanLog and reports the camera's status.
#include <functional>

#include "camera_runner.h"
#include "kiosk/v1/vision.grpc.pb.h"
#include "scan_log.h"

namespace kiosk::vision {

class VisionService final : public kiosk::v1::Vision::Service {
 public:
  VisionService(ScanLog& log, std::function<CameraStatus()> status) : log_(log), status_(std::move(status)) {}

  grpc::Status Scans(grpc::ServerContext* context, const kiosk::v1::ScansRequest* request,
                     grpc::ServerWriter<kiosk::v1::ScanEvent>* writer) override;
  grpc::Status GetCameraStatus(grpc::ServerContext* context, const kiosk::v1::GetCameraStatusRequest* request,
                               kiosk::v1::CameraStatus* response) override;

 private:
  ScanLog& log_;
  std::function<CameraStatus()> status_;
};

kiosk::v1::ScanEvent to_proto(const ScanEvent& e);

}  // namespace kiosk::vision
