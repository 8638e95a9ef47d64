#pragma once
// The Adyen Terminal API local binding: HTTP POST of the JSON message to the terminal's endpoint,
// the answer in the response body. libcurl; one easy handle per exchange, so an Abort can go out
// while a payment request is still waiting.
#include <atomic>
#include <string>

#include "payment/terminal_transport.h"

namespace kiosk::payment {

class HttpTransport final : public TerminalTransport {
 public:
  explicit HttpTransport(std::string endpoint);  // e.g. "http://127.0.0.1:8443/nexo"
  Result<std::string> exchange(std::string_view request_json, std::chrono::milliseconds timeout) override;
  // Breaks off every exchange in progress (its outcome becomes unknown) and refuses new ones, so
  // paymentd exits promptly on SIGTERM; the journal resolves those payments after the restart.
  void stop() { stopping_ = true; }

 private:
  std::string endpoint_;
  std::atomic<bool> stopping_{false};
};

}  // namespace kiosk::payment
