#include "qt_test_support.h"

#include <google/protobuf/text_format.h>

#include <QCoreApplication>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kiosk::ui::test {

QGuiApplication& app() {
  static int argc = 1;
  static char name[] = "kiosk-test";
  static char* argv[] = {name, nullptr};
  static QGuiApplication* instance = [] {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    return new QGuiApplication(argc, argv);
  }();
  return *instance;
}

kiosk::v1::Session loadSession(const std::string& name) {
  const std::string path = std::string(KIOSK_TEST_DATA_DIR) + "/kiosk/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream text;
  text << in.rdbuf();
  kiosk::v1::Session s;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &s)) throw std::runtime_error("cannot parse " + path);
  return s;
}

bool waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  }
  return true;
}

}  // namespace kiosk::ui::test
