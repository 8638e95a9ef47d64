#include "responder.h"

#include <fmt/format.h>

#include "hid_responder.h"
#include "magellan_responder.h"

namespace kiosk::scale::sim {
namespace {

constexpr std::size_t kMaxPending = 1024;  // bytes without a line end: garbage, dropped

// MT-SICS over the byte stream: CR LF framed command lines into MtSicsResponder.
class MtSicsStream final : public Responder {
 public:
  MtSicsStream(WeightModel& model, ResponderOptions o) : rsp_(model, std::move(o.identity), o.stable_timeout_ms) {}
  std::string on_bytes(std::string_view in, std::int64_t now_ms) override {
    buf_.append(in);
    std::string out;
    for (std::size_t nl; (nl = buf_.find('\n')) != std::string::npos;) {
      std::string cmd = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      if (!cmd.empty() && cmd.back() == '\r') cmd.pop_back();
      for (const auto& l : rsp_.on_command(cmd, now_ms)) out += l + "\r\n";
    }
    if (buf_.size() > kMaxPending) buf_.clear();
    return out;
  }
  std::string poll(std::int64_t now_ms) override {
    std::string out;
    for (const auto& l : rsp_.poll(now_ms)) out += l + "\r\n";
    return out;
  }
  std::string_view protocol() const override { return "mtsics"; }

 private:
  MtSicsResponder rsp_;
  std::string buf_;
};

}  // namespace

Status Responder::scan(std::string_view, std::string_view) {
  return failed_precondition(fmt::format("the {} protocol has no scanner", protocol()));
}

Status Responder::set_device_fault(DeviceFault f) {
  if (f == DeviceFault::kNone) return Status::ok();
  return failed_precondition(fmt::format("the {} protocol cannot report that fault", protocol()));
}

Result<std::unique_ptr<Responder>> make_responder(std::string_view protocol, WeightModel& model,
                                                  ResponderOptions options) {
  if (protocol == "mtsics") return std::unique_ptr<Responder>(new MtSicsStream(model, std::move(options)));
  if (protocol == "magellan") return std::unique_ptr<Responder>(new MagellanResponder(model));
  if (protocol == "hid") return std::unique_ptr<Responder>(new HidResponder(model));
  return invalid_argument(fmt::format("unknown protocol '{}' (mtsics, magellan or hid)", protocol));
}

}  // namespace kiosk::scale::sim
