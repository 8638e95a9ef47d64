// The real screens, rendered offscreen, fed over a real gRPC Checkout server on a temp Unix socket
// through the production GrpcCheckoutBackend. Fails if the scanning screen is blank or a basket line is
// missing. The PNGs stay in <build>/tests/kiosk/screens/ to be looked at.
#include <catch2/catch.hpp>

#include <QDir>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QTemporaryDir>
#include <cmath>

#include "canned_checkout_server.h"
#include "common/rpc.h"
#include "kiosk/grpc_checkout_backend.h"
#include "kiosk/kiosk_ui.h"
#include "kiosk/screenshot_writer.h"
#include "qt_test_support.h"

using kiosk::ui::SessionController;
using kiosk::ui::test::loadSession;
using kiosk::ui::test::waitUntil;

namespace {

// One kiosk UI against one canned checkout, writing screenshots to screens/<folder>.
struct Rig {
  Rig(const QString& folder, const kiosk::v1::Session& first, bool attendant = false) {
    kiosk::ui::test::app();
    REQUIRE(tmp.isValid());
    service.set(first);
    const auto socket = std::filesystem::path(tmp.path().toStdString()) / "checkout.sock";
    socketPath = socket;
    startServer();
    backend = std::make_unique<kiosk::ui::GrpcCheckoutBackend>(kiosk::make_unix_channel(socket));
    kiosk::ui::KioskUiOptions options;
    options.pxPerMm = 1920.0 / 476.0;  // 21.5" 1080p, the reference panel
    options.size = QSize(1920, 1080);
    options.thankYouMs = 60000;
    options.attendant = attendant;
    options.attendantId = "anna";
    ui = std::make_unique<kiosk::ui::KioskUi>(*backend, options);
    QString error;
    REQUIRE(ui->load(&error));
    QDir dir(QStringLiteral(KIOSK_SCREENS_DIR "/") + folder);
    dir.removeRecursively();
    writer = std::make_unique<kiosk::ui::ScreenshotWriter>(*ui->window(), ui->controller(), dir);
    backend->start();
  }
  ~Rig() {
    service.stop();
    writer.reset();
    ui.reset();
    backend.reset();
    if (server) server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  }

  void startServer() {
    service.resume();
    auto started = kiosk::start_unix_server(socketPath, {&service});
    REQUIRE(started);
    server = std::move(*started);
  }
  void stopServer() {
    service.stop();
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
    server.reset();
  }

  // Waits until the screen for `state` has been written; returns its PNG path.
  QString waitForScreen(const QString& state) {
    const bool ok =
        waitUntil([&] { return writer->written() > seen && writer->lastPath().endsWith("-" + state + ".png"); });
    seen = writer->written();
    INFO("waiting for " << state.toStdString() << ", last: " << writer->lastPath().toStdString());
    REQUIRE(ok);
    return writer->lastPath();
  }

  int seen = 0;  // screenshots already waited for
  std::filesystem::path socketPath;
  QTemporaryDir tmp;
  kiosk::ui::test::CannedCheckoutService service;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<kiosk::ui::GrpcCheckoutBackend> backend;
  std::unique_ptr<kiosk::ui::KioskUi> ui;
  std::unique_ptr<kiosk::ui::ScreenshotWriter> writer;
};

void collect(QQuickItem* item, QList<QQuickItem*>& out) {
  out << item;
  for (auto* child : item->childItems()) collect(child, out);
}

QQuickItem* findItem(QQuickWindow& window, const QString& objectName) {
  QList<QQuickItem*> all;
  collect(window.contentItem(), all);
  for (auto* item : all)
    if (item->objectName() == objectName) return item;
  return nullptr;
}

bool hasTextChild(QQuickItem* item, const QString& text) {
  QList<QQuickItem*> all;
  collect(item, all);
  for (auto* i : all)
    if (i->isVisible() && i->property("text").toString() == text) return true;
  return false;
}

int distinctColours(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) colours.insert(image.pixel(x, y));
  return static_cast<int>(colours.size());
}

double lumaStdDev(const QImage& image) {
  double sum = 0, sq = 0;
  const double n = double(image.width()) * image.height();
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const double l = qGray(image.pixel(x, y));
      sum += l;
      sq += l * l;
    }
  const double mean = sum / n;
  return std::sqrt(std::max(0.0, sq / n - mean * mean));
}

void requireNotBlank(const QString& png) {
  QImage image(png);
  REQUIRE_FALSE(image.isNull());
  CHECK(image.size() == QSize(1920, 1080));
  INFO(png.toStdString());
  CHECK(distinctColours(image) > 64);  // antialiased text and several surfaces
  CHECK(lumaStdDev(image) > 10.0);
}

// The delegate for line_no shows `name`, is visible, lies on screen, and its pixels are not uniform.
void requireLineShown(QQuickWindow& window, const QImage& image, int lineNo, const QString& name) {
  QQuickItem* line = findItem(window, QStringLiteral("basketLine_%1").arg(lineNo));
  INFO("line " << lineNo << " " << name.toStdString());
  REQUIRE(line != nullptr);
  CHECK(line->isVisible());
  CHECK(hasTextChild(line, name));
  const QRect rect = line->mapRectToScene(QRectF(0, 0, line->width(), line->height())).toAlignedRect();
  CHECK(rect.height() > 0);
  CHECK(QRect(QPoint(0, 0), image.size()).contains(rect));
  CHECK(distinctColours(image.copy(rect)) > 8);
}

}  // namespace

TEST_CASE("scanning screen over gRPC shows the basket lines and total", "[kiosk][screens]") {
  const auto session = loadSession("scanning_two_lines.txtpb");
  Rig rig("scanning", session);
  const QString png = rig.waitForScreen("scanning");
  requireNotBlank(png);

  const QImage image(png);
  requireLineShown(*rig.ui->window(), image, 1, "Mellanmjölk 1,5 % 1 l");
  requireLineShown(*rig.ui->window(), image, 2, "Bananer");
  QQuickItem* total = findItem(*rig.ui->window(), "totalText");
  REQUIRE(total);
  CHECK(total->property("text").toString() == "48,22 kr");
  // No loyalty card yet: the hint to scan it (UX.md glossary), no member badge.
  QQuickItem* hint = findItem(*rig.ui->window(), "memberHint");
  REQUIRE(hint);
  CHECK(hint->isVisible());
  CHECK(hint->property("text").toString() == "Skanna ditt kundkort");
  CHECK_FALSE(findItem(*rig.ui->window(), "memberBadge")->isVisible());

  // The screenshot's JSON names the lines and total.
  QFile json(QString(png).replace(".png", ".json"));
  REQUIRE(json.open(QIODevice::ReadOnly));
  const QByteArray text = json.readAll();
  CHECK(text.contains("\"state\": \"scanning\""));
  CHECK(text.contains("\"revision\": 7"));
  CHECK(text.contains("Bananer"));
  CHECK(text.contains("14,42 kr"));

  // An intent goes back over gRPC.
  rig.ui->controller().pay();
  CHECK(waitUntil([&] { return !rig.service.acts().empty(); }));
  const auto acts = rig.service.acts();
  REQUIRE(acts.size() == 1);
  CHECK(acts[0].has_pay());
  CHECK_FALSE(acts[0].request_id().empty());
}

TEST_CASE("scanning screen shows pant lines under their items and the member badge", "[kiosk][screens]") {
  const auto session = loadSession("scanning_pant_member.txtpb");
  Rig rig("pant_member", session);
  const QString png = rig.waitForScreen("scanning");
  requireNotBlank(png);
  const QImage image(png);
  auto& window = *rig.ui->window();
  requireLineShown(window, image, 1, "Coca-Cola 1,5 l");
  requireLineShown(window, image, 2, "Pant");
  requireLineShown(window, image, 3, "Coca-Cola 33 cl burk");
  requireLineShown(window, image, 4, "Pant");
  // Each pant line right under its item, smaller, its name indented.
  QQuickItem* bottle = findItem(window, "basketLine_1");
  QQuickItem* pant = findItem(window, "basketLine_2");
  REQUIRE(bottle);
  REQUIRE(pant);
  const QRectF b = bottle->mapRectToScene(QRectF(0, 0, bottle->width(), bottle->height()));
  const QRectF p = pant->mapRectToScene(QRectF(0, 0, pant->width(), pant->height()));
  CHECK(p.top() == Approx(b.bottom()).margin(1));
  CHECK(p.height() < b.height());
  CHECK(p.height() >= 9.5 * (1920.0 / 476.0));  // 10 mm, still easy to read
  CHECK(hasTextChild(pant, "2,00 kr"));

  // The member badge ("Medlem" and the masked number), no scan hint; the savings and the pant in the total.
  QQuickItem* badge = findItem(window, "memberBadge");
  REQUIRE(badge);
  CHECK(badge->isVisible());
  CHECK(hasTextChild(badge, "Medlem ****4567"));
  QQuickItem* hint = findItem(window, "memberHint");
  REQUIRE(hint);
  CHECK_FALSE(hint->isVisible());
  CHECK(findItem(window, "savingsText")->property("text").toString() == "Du sparar 5,00 kr");
  CHECK(findItem(window, "depositText")->property("text").toString() == "varav pant 3,00 kr");
  CHECK(findItem(window, "totalText")->property("text").toString() == "35,90 kr");
  CHECK(findItem(window, "discountText_1")->isVisible());
  CHECK(hasTextChild(window.contentItem(), "Kundkortet är registrerat – medlemspriser gäller"));

  // The screenshot's JSON names the pant lines and the member.
  QFile json(QString(png).replace(".png", ".json"));
  REQUIRE(json.open(QIODevice::ReadOnly));
  const QByteArray text = json.readAll();
  CHECK(text.contains("\"deposit_for\": 1"));
  CHECK(text.contains("\"member\": \"Medlem ****4567\""));

  // In English.
  rig.ui->controller().setLanguage("en");
  CHECK(waitUntil([&] { return hasTextChild(findItem(window, "basketLine_2"), "Deposit"); }));
  CHECK(waitUntil([&] { return hasTextChild(window.contentItem(), "Member ****4567"); }));
  rig.ui->controller().setLanguage("sv");
}

TEST_CASE("every shopper screen renders", "[kiosk][screens]") {
  const auto base = loadSession("scanning_two_lines.txtpb");
  kiosk::v1::Session idle;
  idle.set_state(kiosk::v1::SESSION_STATE_IDLE);
  idle.set_revision(1);
  idle.set_lane(1);
  Rig rig("tour", idle);
  requireNotBlank(rig.waitForScreen("idle"));
  CHECK(hasTextChild(rig.ui->window()->contentItem(), "Skanna din första vara"));
  CHECK(hasTextChild(rig.ui->window()->contentItem(), "Skanna ditt kundkort"));
  rig.ui->controller().setLanguage("en");  // the language buttons do this
  CHECK(waitUntil([&] { return hasTextChild(rig.ui->window()->contentItem(), "Scan your first item"); }));
  rig.ui->controller().setLanguage("sv");
  CHECK(waitUntil([&] { return hasTextChild(rig.ui->window()->contentItem(), "Skanna din första vara"); }));

  auto s = base;
  s.set_state(kiosk::v1::SESSION_STATE_WAITING_FOR_BAGGING);
  s.set_revision(8);
  rig.service.set(s);
  requireNotBlank(rig.waitForScreen("waiting_for_bagging"));

  s.set_state(kiosk::v1::SESSION_STATE_NEEDS_ATTENDANT);
  s.set_revision(9);
  s.mutable_attendant()->set_reason(kiosk::v1::ATTENDANT_REASON_WEIGHT_MISMATCH);
  s.mutable_attendant()->set_line_no(2);
  rig.service.set(s);
  requireNotBlank(rig.waitForScreen("needs_attendant"));
  QQuickItem* reason = findItem(*rig.ui->window(), "attendantReason");
  REQUIRE(reason);
  CHECK(reason->isVisible());
  CHECK(reason->property("text").toString() == "Vikten stämmer inte – kontrollera påsen");

  s.clear_attendant();
  s.set_state(kiosk::v1::SESSION_STATE_PAYING);
  s.set_revision(10);
  s.mutable_payment()->set_outcome(kiosk::v1::PAYMENT_OUTCOME_IN_PROGRESS);
  s.mutable_payment()->set_prompt("Blippa eller sätt i kortet");
  rig.service.set(s);
  requireNotBlank(rig.waitForScreen("paying"));

  s.set_revision(11);
  s.mutable_payment()->set_outcome(kiosk::v1::PAYMENT_OUTCOME_DECLINED);
  s.mutable_payment()->set_prompt("Kortet nekades");
  rig.service.set(s);
  const QString declined = rig.waitForScreen("paying");
  requireNotBlank(declined);
  QQuickItem* banner = findItem(*rig.ui->window(), "paymentDeclined");
  REQUIRE(banner);
  CHECK(banner->isVisible());

  s.clear_payment();
  s.set_state(kiosk::v1::SESSION_STATE_RECEIPT);
  s.set_revision(12);
  s.set_receipt_number(1042);
  rig.service.set(s);
  requireNotBlank(rig.waitForScreen("receipt"));

  rig.ui->controller().finishReceipt("none");
  requireNotBlank(rig.waitForScreen("thank_you"));
}

TEST_CASE("attendant view shows the lane's alert and sends actions with the PIN", "[kiosk][screens]") {
  auto s = loadSession("scanning_two_lines.txtpb");
  s.set_state(kiosk::v1::SESSION_STATE_NEEDS_ATTENDANT);
  s.mutable_attendant()->set_reason(kiosk::v1::ATTENDANT_REASON_WEIGHT_MISMATCH);
  s.mutable_attendant()->set_detail("+212 g, expected 0 ± 10 g");
  s.mutable_attendant()->set_line_no(2);
  Rig rig("attendant", s, /*attendant=*/true);
  requireNotBlank(rig.waitForScreen("needs_attendant"));
  CHECK(hasTextChild(rig.ui->window()->contentItem(), "Godkänn vikten"));
  rig.ui->controller().resolve("accept_weight", "1234");
  CHECK(waitUntil([&] { return !rig.service.acts().empty(); }));
  const auto acts = rig.service.acts();
  REQUIRE(acts.size() == 1);
  CHECK(acts[0].resolve().decision() == kiosk::v1::ResolveAlertRequest::DECISION_ACCEPT_WEIGHT);
  CHECK(acts[0].attendant().attendant_id() == "anna");
  CHECK(acts[0].attendant().pin() == "1234");
}

TEST_CASE("the UI shows the same basket again after the checkout restarts", "[kiosk][screens]") {
  const auto session = loadSession("scanning_two_lines.txtpb");
  Rig rig("restart", session);
  rig.waitForScreen("scanning");
  rig.stopServer();
  rig.waitForScreen("disconnected");
  CHECK(hasTextChild(rig.ui->window()->contentItem(), "Kassan startar"));
  rig.startServer();
  rig.waitForScreen("scanning");
  CHECK(rig.ui->controller().basket()->rowCount() == 2);
  CHECK(rig.ui->controller().totalText() == "48,22 kr");
}
