#include "payment/terminal_sim_wire.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "payment/nexo_codec.h"

namespace kiosk::payment {

TerminalSimWire::TerminalSimWire(TerminalSimulator& sim, TerminalSimWireOptions options)
    : sim_(sim), options_(std::move(options)) {
  if (!options_.capture_dir.empty()) std::filesystem::create_directories(options_.capture_dir);
  if (options_.notify.endpoint.empty()) return;
  HttpTransportOptions notify = options_.notify;
  notify.crypto = options_.crypto;
  notify_ = std::make_unique<HttpTransport>(std::move(notify));
  sim_.set_display_sink([this](DisplayRequest d) {
    {
      std::lock_guard lock(mu_);
      prompts_.push_back(std::move(d));
    }
    cv_.notify_all();
  });
  sender_ = std::thread([this] { send_prompts(); });
}

TerminalSimWire::~TerminalSimWire() {
  stop();
}

void TerminalSimWire::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (notify_) notify_->stop();
  if (sender_.joinable()) sender_.join();
}

void TerminalSimWire::send_prompts() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !prompts_.empty(); });
    if (stopping_) return;
    DisplayRequest d = std::move(prompts_.front());
    prompts_.pop_front();
    lock.unlock();
    // The sale system answers with a DisplayResponse; a terminal shows its own screen either way.
    auto answer = notify_->exchange(encode(d), std::chrono::milliseconds(2000));
    if (!answer) spdlog::warn("display request {} not delivered: {}", d.header.service_id, answer.message());
    lock.lock();
  }
}

TerminalSimulator::Reply TerminalSimWire::reject_clear(const std::string& why) const {
  EventNotification ev;
  ev.header = {"3.0", "Event", "Event", "Notification", "", "N/A", "N/A"};
  ev.event_to_notify = "Reject";
  ev.event_details = "message=" + url_encode(why);
  spdlog::warn("rejecting a request: {}", why);
  return {encode(ev), false};
}

void TerminalSimWire::capture(std::string_view body) {
  if (options_.capture_dir.empty()) return;
  std::string category = "unknown";
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded() && j.is_object())
    if (auto r = j.find("SaleToPOIRequest"); r != j.end() && r->is_object())
      if (auto h = r->find("MessageHeader"); h != r->end() && h->is_object())
        category = h->value("MessageCategory", "unknown");
  const auto path = options_.capture_dir / fmt::format("{:04}-{}.json", ++captured_, category);
  std::ofstream(path, std::ios::binary) << body;
}

TerminalSimulator::Reply TerminalSimWire::handle(std::string_view body) {
  capture(body);
  std::string plain(body);
  if (options_.crypto) {
    if (!is_nexo_envelope(body)) return reject_clear("this terminal accepts encrypted messages only");
    auto opened = options_.crypto->open(body);
    if (!opened) return reject_clear(opened.message());
    plain = std::move(*opened);
  }
  // One payment at a time: a second one while an answer is still owed is Busy (as a real terminal).
  auto req = parse_sale_request(plain);
  const bool is_payment = req && std::holds_alternative<PaymentRequest>(*req);
  TerminalSimulator::Reply reply;
  if (is_payment && payments_in_flight_.fetch_add(1) > 0) {
    payments_in_flight_.fetch_sub(1);
    const auto& p = std::get<PaymentRequest>(*req);
    PaymentResponse busy;
    busy.header = p.header;
    busy.header.message_class = "Service";
    busy.header.message_type = "Response";
    busy.sale_transaction = p.sale_transaction;
    busy.response = {NexoResult::kFailure, "Busy", "message=Terminal%20busy"};
    reply.body = encode(busy);
  } else {
    reply = sim_.handle(plain);
    if (const std::int64_t delay = sim_.answer_delay_ms(); delay > 0 && !reply.crash)
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));  // a slow terminal, on purpose
    if (is_payment) payments_in_flight_.fetch_sub(1);
  }
  if (options_.crypto && !reply.body.empty() && !reply.drop) {
    auto sealed = options_.crypto->seal(reply.body);
    if (!sealed) return reject_clear(sealed.message());
    reply.body = std::move(*sealed);
  }
  return reply;
}

}  // namespace kiosk::payment
