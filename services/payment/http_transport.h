#pragma once
// The Adyen Terminal API local binding: HTTP(S) POST of the JSON message to the terminal's endpoint,
// the answer in the response body. libcurl with OpenSSL; one easy handle per exchange, so an Abort
// can go out while a payment request is still waiting.
//
// HTTPS: the terminal's certificate is verified against tls_ca (Adyen terminals carry a device
// certificate chained to Adyen's terminal root, not to a public CA) and must name tls_host when set
// (the connection still goes to the endpoint's address). With a NexoCrypto every request leaves in
// the encryption envelope and every answer must come back in it (a clear EventNotification
// excepted, over verified HTTPS only: a terminal that cannot decrypt a request says so in clear).
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "payment/nexo_crypto.h"
#include "payment/terminal_transport.h"

namespace kiosk::payment {

struct HttpTransportOptions {
  std::string endpoint;                      // e.g. "https://192.168.1.20:8443/nexo" or "http://127.0.0.1:8443/nexo"
  std::filesystem::path tls_ca;              // https: CA file the terminal's certificate must chain to
  std::string tls_host;                      // https: name the certificate must carry instead of the endpoint's host
  std::shared_ptr<const NexoCrypto> crypto;  // null: plain JSON
};

class HttpTransport final : public TerminalTransport {
 public:
  explicit HttpTransport(std::string endpoint);  // plain JSON, system CAs for https
  explicit HttpTransport(HttpTransportOptions options);
  Result<std::string> exchange(std::string_view request_json, std::chrono::milliseconds timeout) override;
  // Breaks off every exchange in progress (its outcome becomes unknown) and refuses new ones, so
  // paymentd exits promptly on SIGTERM; the journal resolves those payments after the restart.
  void stop() { stopping_ = true; }

 private:
  Result<std::string> post(const std::string& body, std::chrono::milliseconds timeout);
  HttpTransportOptions options_;
  std::string url_;         // endpoint, with tls_host as its host when set
  std::string connect_to_;  // CURLOPT_CONNECT_TO entry sending tls_host's connection to the endpoint host
  std::atomic<bool> stopping_{false};
};

}  // namespace kiosk::payment
