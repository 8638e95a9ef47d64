#include "payment/http_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

namespace kiosk::payment {
namespace {

// curl_global_init is not thread-safe; do it once before the first handle.
struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

std::size_t append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

int progress(void* stopping, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::atomic<bool>*>(stopping)->load() ? 1 : 0;  // non-zero aborts the transfer
}

// A terminal that cannot read an encrypted request answers with a clear EventNotification.
bool is_clear_event(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return false;
  auto req = j.find("SaleToPOIRequest");
  return req != j.end() && req->is_object() && req->contains("EventNotification");
}

}  // namespace

HttpTransport::HttpTransport(std::string endpoint) : HttpTransport(HttpTransportOptions{std::move(endpoint)}) {}

HttpTransport::HttpTransport(HttpTransportOptions options) : options_(std::move(options)), url_(options_.endpoint) {
  static CurlGlobal global;
  if (options_.tls_host.empty()) return;
  // Connect to the endpoint's host but verify (and send SNI for) tls_host.
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  char* host = nullptr;
  char* port = nullptr;
  if (u && curl_url_set(u.get(), CURLUPART_URL, options_.endpoint.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
      curl_url_set(u.get(), CURLUPART_HOST, options_.tls_host.c_str(), 0) == CURLUE_OK) {
    char* url = nullptr;
    if (curl_url_get(u.get(), CURLUPART_URL, &url, 0) == CURLUE_OK) {
      url_ = url;
      connect_to_ = fmt::format("{}:{}:{}:{}", options_.tls_host, port, host, port);
      curl_free(url);
    }
  }
  curl_free(host);
  curl_free(port);
}

Result<std::string> HttpTransport::exchange(std::string_view request_json, std::chrono::milliseconds timeout) {
  if (stopping_) return unavailable("paymentd is stopping; nothing sent to the terminal");
  if (!options_.crypto) return post(std::string(request_json), timeout);
  auto sealed = options_.crypto->seal(request_json);
  // Nothing was sent: the request cannot have been processed.
  if (!sealed) return unavailable(fmt::format("request not encrypted, not sent: {}", sealed.message()));
  auto answer = post(*sealed, timeout);
  if (!answer || answer->empty()) return answer;
  if (!is_nexo_envelope(*answer)) {
    // Only a verified TLS peer may say in clear that it could not read the request: over plain HTTP
    // anyone could forge that "nothing was charged", so there the outcome stays unknown.
    if (is_clear_event(*answer) && url_.rfind("https://", 0) == 0) return answer;
    return internal_error(fmt::format("terminal {} answered in clear on an encrypted link; answer refused", url_));
  }
  auto opened = options_.crypto->open(*answer);
  if (!opened) return internal_error(fmt::format("terminal {}: answer refused: {}", url_, opened.message()));
  return opened;
}

Result<std::string> HttpTransport::post(const std::string& request, std::chrono::milliseconds timeout) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return internal_error("libcurl: cannot create a handle");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      curl_slist_append(nullptr, "Content-Type: application/json"), curl_slist_free_all);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> connect_to(
      connect_to_.empty() ? nullptr : curl_slist_append(nullptr, connect_to_.c_str()), curl_slist_free_all);
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, request.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(request.size()));
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &stopping_);
  curl_easy_setopt(curl.get(), CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.tls_ca.empty()) curl_easy_setopt(curl.get(), CURLOPT_CAINFO, options_.tls_ca.c_str());
  if (connect_to) curl_easy_setopt(curl.get(), CURLOPT_CONNECT_TO, connect_to.get());
  const CURLcode rc = curl_easy_perform(curl.get());
  // Certain not to have reached the terminal's application: nothing can have been charged.
  if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_UNSUPPORTED_PROTOCOL ||
      rc == CURLE_URL_MALFORMAT || rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
      rc == CURLE_SSL_CONNECT_ERROR)
    return unavailable(fmt::format("terminal {} not reachable: {}", url_, curl_easy_strerror(rc)));
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return Error{ErrorCode::kDeadlineExceeded,
                 fmt::format("terminal {} did not answer within {} ms", url_, timeout.count())};
  if (rc != CURLE_OK)
    return internal_error(fmt::format("terminal {} exchange broke off: {}", url_, curl_easy_strerror(rc)));
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) return internal_error(fmt::format("terminal {} answered HTTP {}", url_, status));
  return body;
}

}  // namespace kiosk::payment
