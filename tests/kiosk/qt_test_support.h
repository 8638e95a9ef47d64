#pragma once
// Shared by the kiosk UI tests: one offscreen QGuiApplication per test process, canned sessions from
// tests/data/kiosk, waiting on real state with a deadline, and a CheckoutBackend that serves canned
// snapshots in process.
#include <QGuiApplication>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "kiosk/checkout_backend.h"

namespace kiosk::ui::test {

// Creates the application on first use (QT_QPA_PLATFORM=offscreen unless already set).
QGuiApplication& app();

// Parses tests/data/kiosk/<name> (protobuf text format).
kiosk::v1::Session loadSession(const std::string& name);

// Processes events until pred() or the deadline; returns pred().
bool waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds deadline = std::chrono::seconds(10));

// A backend whose snapshots come from the test; intents are recorded, not sent anywhere.
class CannedBackend final : public CheckoutBackend {
  Q_OBJECT

 public:
  void start() override { started = true; }
  void act(kiosk::v1::ActRequest request) override { acts.push_back(std::move(request)); }
  void push(const kiosk::v1::Session& s) { emit sessionReceived(s); }
  void setConnected(bool c) { emit connectedChanged(c); }

  bool started = false;
  std::vector<kiosk::v1::ActRequest> acts;
};

}  // namespace kiosk::ui::test
