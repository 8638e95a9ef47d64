#pragma once
// The sale system's end of the terminal's own requests: during a payment the terminal POSTs
// DisplayRequests ("Present card", "Enter PIN", "Approved" ...) and PrintRequests to the kiosk
// (Adyen: the terminal's event/display notification URL). They are decrypted when a key is set,
// shown through the prompt feed (Payment.WatchPrompts, tagged with the payment in progress) and
// answered with a DisplayResponse / PrintResponse.
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "common/result.h"
#include "payment/nexo_crypto.h"
#include "payment/prompt_feed.h"

namespace httplib {
class Server;
}

namespace kiosk::payment {

class NexoDeviceListener {
 public:
  NexoDeviceListener(PromptFeed& feed, std::shared_ptr<const NexoCrypto> crypto);
  ~NexoDeviceListener();

  // One POST body → the answer body (empty when there is nothing to answer). Bad input (not
  // decryptable, not a Display/Print request) changes nothing and is answered with HTTP 400.
  Result<std::string> handle(std::string_view body);
  // Listens on HOST:PORT (port 0: any) at POST /nexo and returns the port.
  Result<int> start(const std::string& listen);
  void stop();

 private:
  PromptFeed& feed_;
  std::shared_ptr<const NexoCrypto> crypto_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace kiosk::payment
