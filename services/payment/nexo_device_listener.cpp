#include "payment/nexo_device_listener.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "payment/nexo_codec.h"

namespace kiosk::payment {
namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

MessageHeader answer_header(const MessageHeader& h) {
  MessageHeader out = h;
  out.message_type = "Response";
  return out;
}

}  // namespace

NexoDeviceListener::NexoDeviceListener(PromptFeed& feed, std::shared_ptr<const NexoCrypto> crypto)
    : feed_(feed), crypto_(std::move(crypto)) {}

NexoDeviceListener::~NexoDeviceListener() {
  stop();
}

Result<std::string> NexoDeviceListener::handle(std::string_view body) {
  std::string plain(body);
  if (crypto_) {
    if (!is_nexo_envelope(body)) return invalid_argument("terminal request in clear on an encrypted link");
    auto opened = crypto_->open(body);
    if (!opened) return opened.error();
    plain = std::move(*opened);
  }
  auto msg = parse_terminal_message(plain);
  if (!msg) return msg.error();
  // The payment the prompt belongs to: the one the processor announced last.
  const std::uint64_t latest = feed_.latest_seq();
  auto recent = feed_.wait_after(latest > 0 ? latest - 1 : 0, std::chrono::milliseconds(0));
  const std::string key = recent.empty() ? std::string() : recent.back().key;
  std::string answer;
  if (auto* d = std::get_if<DisplayRequest>(&*msg)) {
    feed_.publish(Prompt::Kind::kText, join(d->lines), key);
    DisplayResponse r;
    r.header = answer_header(d->header);
    r.device = d->device;
    r.info_qualify = d->info_qualify;
    r.response = {NexoResult::kSuccess, "", ""};
    answer = encode(r);
  } else if (auto* p = std::get_if<PrintRequest>(&*msg)) {
    feed_.publish(Prompt::Kind::kText, join(p->lines), key);
    PrintResponse r;
    r.header = answer_header(p->header);
    r.document_qualifier = p->document_qualifier;
    r.response = {NexoResult::kSuccess, "", ""};
    answer = encode(r);
  } else if (auto* e = std::get_if<EventNotification>(&*msg)) {
    spdlog::info("terminal event {}: {}", e->event_to_notify, e->event_details);
    return std::string();  // an event needs no answer
  } else {
    return invalid_argument("the terminal sent a response where a Display or Print request was expected");
  }
  if (!crypto_) return answer;
  return crypto_->seal(answer);
}

Result<int> NexoDeviceListener::start(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return invalid_argument(fmt::format("'{}' must be HOST:PORT", listen));
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    return invalid_argument(fmt::format("'{}': port is not a number", listen));
  }
  const std::string host = listen.substr(0, colon);
  server_ = std::make_unique<httplib::Server>();
  server_->Post("/nexo", [this](const httplib::Request& req, httplib::Response& res) {
    auto answer = handle(req.body);
    if (!answer) {
      spdlog::warn("terminal request refused: {}", answer.message());
      res.status = 400;
      res.set_content(answer.message() + "\n", "text/plain");
      return;
    }
    res.set_content(*answer, "application/json");
  });
  if (port == 0)
    port = server_->bind_to_any_port(host);
  else if (!server_->bind_to_port(host, port))
    port = -1;
  if (port <= 0) return unavailable(fmt::format("cannot listen on {}", listen));
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return port;
}

void NexoDeviceListener::stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace kiosk::payment
