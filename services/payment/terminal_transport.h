#pragma once
// How the payment service reaches a terminal: one JSON message out, the terminal's answer back.
#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk::payment {

// Error codes carry what matters for money:
//   kUnavailable       the request certainly did not reach the terminal (connection refused), so
//                      nothing can have been charged;
//   anything else      it may have been processed (timeout, connection dropped, HTTP error): the
//                      outcome is unknown and must be resolved with a TransactionStatusRequest.
// An empty answer is valid (the terminal acknowledges an AbortRequest with an empty body).
class TerminalTransport {
 public:
  virtual ~TerminalTransport() = default;
  virtual Result<std::string> exchange(std::string_view request_json, std::chrono::milliseconds timeout) = 0;
};

}  // namespace kiosk::payment
