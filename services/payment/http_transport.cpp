#include "payment/http_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <memory>

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

}  // namespace

HttpTransport::HttpTransport(std::string endpoint) : endpoint_(std::move(endpoint)) {
  static CurlGlobal global;
}

Result<std::string> HttpTransport::exchange(std::string_view request_json, std::chrono::milliseconds timeout) {
  if (stopping_) return unavailable("paymentd is stopping; nothing sent to the terminal");
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return internal_error("libcurl: cannot create a handle");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      curl_slist_append(nullptr, "Content-Type: application/json"), curl_slist_free_all);
  std::string body;
  const std::string request(request_json);
  curl_easy_setopt(curl.get(), CURLOPT_URL, endpoint_.c_str());
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
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_UNSUPPORTED_PROTOCOL ||
      rc == CURLE_URL_MALFORMAT)
    return unavailable(fmt::format("terminal {} not reachable: {}", endpoint_, curl_easy_strerror(rc)));
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return Error{ErrorCode::kDeadlineExceeded,
                 fmt::format("terminal {} did not answer within {} ms", endpoint_, timeout.count())};
  if (rc != CURLE_OK)
    return internal_error(fmt::format("terminal {} exchange broke off: {}", endpoint_, curl_easy_strerror(rc)));
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299)
    return internal_error(fmt::format("terminal {} answered HTTP {}", endpoint_, status));
  return body;
}

}  // namespace kiosk::payment
