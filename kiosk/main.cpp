// kiosk --config FILE [--screenshots DIR] [--attendant] [--size WxH]
// The touch UI: watches the checkout's session over its Unix socket and sends the shopper's intents.
#include <CLI/CLI.hpp>
#include <QDir>
#include <QGuiApplication>
#include <QRegularExpression>
#include <cstdio>
#include <thread>

#include "common/config.h"
#include "common/rpc.h"
#include "common/shutdown.h"
#include "kiosk/grpc_checkout_backend.h"
#include "kiosk/kiosk_ui.h"
#include "kiosk/screenshot_writer.h"

int main(int argc, char** argv) {
  kiosk::block_shutdown_signals();
  QGuiApplication app(argc, argv);  // takes Qt's own options (-platform ...) out of argv

  CLI::App cli{"Self-checkout touch UI"};
  std::string configPath;
  std::string screenshots;
  std::string size = "1920x1080";
  bool attendant = false;
  cli.add_option("--config", configPath, "kiosk TOML config")->required();
  cli.add_option("--screenshots", screenshots, "write DIR/NNN-<state>.png/.json after every screen change");
  cli.add_flag("--attendant", attendant, "attendant view of the lane");
  cli.add_option("--size", size, "window size WxH in pixels");
  CLI11_PARSE(cli, argc, argv);

  auto config = kiosk::Config::load(configPath);
  if (!config) {
    std::fprintf(stderr, "kiosk: %s\n", config.message().c_str());
    return 2;
  }
  kiosk::ui::KioskUiOptions options;
  const auto m = QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(QString::fromStdString(size));
  if (!m.hasMatch()) {
    std::fprintf(stderr, "kiosk: --size '%s' is not WxH (e.g. 1920x1080)\n", size.c_str());
    return 2;
  }
  options.size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
  options.attendant = attendant;
  // [kiosk] px_per_mm (0 = from the screen), language ("sv"/"en"), attendant_id, thank_you_ms.
  auto language = config->get_string("kiosk", "language", "sv");
  auto attendantId = config->get_string("kiosk", "attendant_id", "");
  auto thankYouMs = config->get_int("kiosk", "thank_you_ms", 6000);
  for (const kiosk::Status& s : {language.status(), attendantId.status(), thankYouMs.status()}) {
    if (!s) {
      std::fprintf(stderr, "kiosk: %s\n", s.message().c_str());
      return 2;
    }
  }
  const auto pxPerMm = config->table()["kiosk"]["px_per_mm"];  // a float, so read from the table
  if (pxPerMm && !pxPerMm.is_number()) {
    std::fprintf(stderr, "kiosk: %s: [kiosk] px_per_mm must be a number (pixels per mm)\n", configPath.c_str());
    return 2;
  }
  options.pxPerMm = pxPerMm.value_or(0.0);
  options.language = QString::fromStdString(*language);
  options.attendantId = QString::fromStdString(*attendantId);
  options.thankYouMs = static_cast<int>(*thankYouMs);

  kiosk::ui::GrpcCheckoutBackend backend(kiosk::make_unix_channel(config->socket_path("checkout")));
  kiosk::ui::KioskUi ui(backend, options);
  QString error;
  if (!ui.load(&error)) {
    std::fprintf(stderr, "kiosk: %s\n", qPrintable(error));
    return 1;
  }
  std::unique_ptr<kiosk::ui::ScreenshotWriter> writer;
  if (!screenshots.empty())
    writer = std::make_unique<kiosk::ui::ScreenshotWriter>(*ui.window(), ui.controller(),
                                                           QDir(QString::fromStdString(screenshots)));
  backend.start();

  // SIGTERM/SIGINT (blocked in every thread) end the event loop.
  std::thread([&app] {
    kiosk::wait_for_shutdown_signal();
    QMetaObject::invokeMethod(&app, &QCoreApplication::quit, Qt::QueuedConnection);
  }).detach();
  return app.exec();
}
