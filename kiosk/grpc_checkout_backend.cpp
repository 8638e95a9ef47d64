#include "grpc_checkout_backend.h"

#include <QDebug>
#include <QUuid>
#include <chrono>

namespace kiosk::ui {
namespace {

// Act deadline: a Pay may wait for the terminal (its own timeout is 120 s).
constexpr auto kActDeadline = std::chrono::seconds(150);
constexpr auto kMinBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::milliseconds(2000);

QString actionName(const kiosk::v1::ActRequest& request) {
  const auto* field = kiosk::v1::ActRequest::descriptor()->FindFieldByNumber(request.action_case());
  return field ? QString::fromStdString(field->name()) : QStringLiteral("unknown");
}

}  // namespace

GrpcCheckoutBackend::GrpcCheckoutBackend(std::shared_ptr<grpc::Channel> channel, QObject* parent)
    : CheckoutBackend(parent), stub_(kiosk::v1::Checkout::NewStub(std::move(channel))) {}

GrpcCheckoutBackend::~GrpcCheckoutBackend() {
  {
    std::unique_lock lock(mu_);
    stopping_ = true;
    if (watchContext_) watchContext_->TryCancel();
    for (auto* ctx : actContexts_) ctx->TryCancel();
    cv_.notify_all();
  }
  if (watchThread_.joinable()) watchThread_.join();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return actsInFlight_ == 0; });
}

void GrpcCheckoutBackend::start() {
  if (watchThread_.joinable()) return;
  watchThread_ = std::thread([this] { watchLoop(); });
}

void GrpcCheckoutBackend::setConnected(bool connected) {
  {
    std::lock_guard lock(mu_);
    if (connected_ == connected) return;
    connected_ = connected;
  }
  QMetaObject::invokeMethod(
      this, [this, connected] { emit connectedChanged(connected); }, Qt::QueuedConnection);
}

void GrpcCheckoutBackend::watchLoop() {
  auto backoff = kMinBackoff;
  for (;;) {
    grpc::ClientContext ctx;
    ctx.set_wait_for_ready(true);  // wait for the checkout to come up instead of failing at once
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      watchContext_ = &ctx;
    }
    auto reader = stub_->Watch(&ctx, kiosk::v1::WatchRequest{});
    kiosk::v1::Session session;
    while (reader->Read(&session)) {
      setConnected(true);
      backoff = kMinBackoff;
      QMetaObject::invokeMethod(
          this, [this, s = session] { emit sessionReceived(s); }, Qt::QueuedConnection);
    }
    const grpc::Status status = reader->Finish();
    setConnected(false);
    std::unique_lock lock(mu_);
    watchContext_ = nullptr;
    if (stopping_) return;
    qWarning().noquote() << "checkout watch ended:" << QString::fromStdString(status.error_message())
                         << "- reconnecting";
    if (cv_.wait_for(lock, backoff, [this] { return stopping_; })) return;
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

void GrpcCheckoutBackend::act(kiosk::v1::ActRequest request) {
  if (request.request_id().empty())
    request.set_request_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    ++actsInFlight_;
  }
  // Detached: the destructor cancels the call and waits for actsInFlight_ to reach zero.
  std::thread([this, request = std::move(request)] {
    runAct(request);
    std::lock_guard lock(mu_);
    --actsInFlight_;
    cv_.notify_all();
  }).detach();
}

void GrpcCheckoutBackend::runAct(const kiosk::v1::ActRequest& request) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + kActDeadline);
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    actContexts_.insert(&ctx);
  }
  kiosk::v1::Session reply;
  const grpc::Status status = stub_->Act(&ctx, request, &reply);
  {
    std::lock_guard lock(mu_);
    actContexts_.erase(&ctx);
    if (stopping_) return;
  }
  const QString action = actionName(request);
  if (status.ok()) {
    QMetaObject::invokeMethod(
        this, [this, s = std::move(reply)] { emit sessionReceived(s); }, Qt::QueuedConnection);
  } else {
    const QString message = QString::fromStdString(status.error_message());
    qWarning().noquote() << "checkout refused" << action << ":" << message;
    QMetaObject::invokeMethod(
        this, [this, action, message] { emit actFailed(action, message); }, Qt::QueuedConnection);
  }
}

}  // namespace kiosk::ui
