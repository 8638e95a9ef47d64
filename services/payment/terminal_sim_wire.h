#pragma once
// terminal-sim's side of the local binding, between HTTP and the simulated terminal: the encryption
// envelope (when a key is configured every request must arrive sealed and every answer leaves
// sealed; what cannot be opened is answered in clear with an EventNotification Reject, as a terminal
// does), one payment at a time (a second one while an answer is still owed gets Busy), slow answers,
// a copy of every raw request body for conformance tests, and the card prompts the terminal sends to
// the sale system as DisplayRequests (posted from a background thread, sealed alike).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "payment/http_transport.h"
#include "payment/nexo_crypto.h"
#include "payment/terminal_simulator.h"

namespace kiosk::payment {

struct TerminalSimWireOptions {
  std::shared_ptr<const NexoCrypto> crypto;  // null: plain JSON
  std::filesystem::path capture_dir;         // when set: every raw request body as NNNN-<category>.json
  HttpTransportOptions notify;               // endpoint empty: card prompts are not sent
};

class TerminalSimWire {
 public:
  TerminalSimWire(TerminalSimulator& sim, TerminalSimWireOptions options);
  ~TerminalSimWire();
  TerminalSimWire(const TerminalSimWire&) = delete;
  TerminalSimWire& operator=(const TerminalSimWire&) = delete;

  // One POST body in, the reply (body, drop, crash) out. Blocks for the configured answer delay.
  TerminalSimulator::Reply handle(std::string_view body);
  // Ends the prompt sender (before the HTTP server goes).
  void stop();

 private:
  TerminalSimulator::Reply reject_clear(const std::string& why) const;
  void capture(std::string_view body);
  void send_prompts();

  TerminalSimulator& sim_;
  TerminalSimWireOptions options_;
  std::atomic<int> payments_in_flight_{0};
  std::atomic<int> captured_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<DisplayRequest> prompts_;
  bool stopping_ = false;
  std::unique_ptr<HttpTransport> notify_;
  std::thread sender_;
};

}  // namespace kiosk::payment
