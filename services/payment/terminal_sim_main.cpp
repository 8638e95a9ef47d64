// terminal-sim --listen 127.0.0.1:<port|0> [--port-file FILE] [--journal FILE]
//              [--key-id ID --key-version N --passphrase P | --passphrase-file F]
//              [--tls-cert FILE --tls-key FILE [--tls-name NAME]] [--capture-dir DIR]
//              [--notify URL [--notify-ca FILE] [--notify-host NAME]]
// A nexo Sale-to-POI terminal over HTTP or HTTPS (POST /nexo), plus test controls: POST /control,
// GET /charges. With a key every message must come in the Terminal API encryption envelope.
// Prints "ready <port>" on stdout once listening; exits 0 on SIGTERM/SIGINT.
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include "common/logging.h"
#include "common/shutdown.h"
#include "payment/nexo_crypto.h"
#include "payment/terminal_sim_tls.h"
#include "payment/terminal_sim_wire.h"
#include "payment/terminal_simulator.h"

int main(int argc, char** argv) {
  kiosk::block_shutdown_signals();
  CLI::App app{"nexo Sale-to-POI terminal simulator"};
  std::string listen = "127.0.0.1:0";
  std::string port_file;
  std::string journal;
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)");
  app.add_option("--port-file", port_file, "write the port here once listening");
  app.add_option("--journal", journal, "append every decided transaction here as a JSON line");
  kiosk::payment::NexoKey key;
  std::string passphrase_file;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_name = "localhost";
  kiosk::payment::TerminalSimWireOptions wire_options;
  app.add_option("--key-id", key.key_identifier, "encryption KeyIdentifier (with a passphrase: encrypted only)");
  app.add_option("--key-version", key.key_version, "encryption KeyVersion");
  app.add_option("--passphrase", key.passphrase, "encryption passphrase");
  app.add_option("--passphrase-file", passphrase_file, "file holding the encryption passphrase");
  app.add_option("--tls-cert", tls_cert, "serve HTTPS with this PEM certificate (made self-signed if absent)");
  app.add_option("--tls-key", tls_key, "its PEM private key (made if absent)");
  app.add_option("--tls-name", tls_name, "the name a made certificate carries (besides 127.0.0.1)");
  app.add_option("--capture-dir", wire_options.capture_dir, "write every raw request body here");
  app.add_option("--notify", wire_options.notify.endpoint, "post the card prompts (DisplayRequest) to this URL");
  app.add_option("--notify-ca", wire_options.notify.tls_ca, "CA file for an https --notify URL");
  app.add_option("--notify-host", wire_options.notify.tls_host, "name the --notify certificate must carry");
  CLI11_PARSE(app, argc, argv);
  kiosk::init_logging("terminal-sim");

  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    spdlog::error("--listen '{}' must be HOST:PORT", listen);
    return 2;
  }
  const std::string host = listen.substr(0, colon);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    spdlog::error("--listen '{}': port is not a number", listen);
    return 2;
  }

  if (!passphrase_file.empty()) {
    std::ifstream in(passphrase_file);
    if (!in || !std::getline(in, key.passphrase)) {
      spdlog::error("--passphrase-file {}: cannot read", passphrase_file);
      return 2;
    }
  }
  if (!key.passphrase.empty() || !key.key_identifier.empty()) {
    auto crypto = kiosk::payment::NexoCrypto::create(key);
    if (!crypto) {
      spdlog::error("encryption key: {}", crypto.message());
      return 2;
    }
    wire_options.crypto = std::make_shared<const kiosk::payment::NexoCrypto>(std::move(*crypto));
  }
  std::unique_ptr<httplib::Server> server;
  if (!tls_cert.empty() || !tls_key.empty()) {
    if (tls_cert.empty() || tls_key.empty()) {
      spdlog::error("--tls-cert and --tls-key go together");
      return 2;
    }
    if (auto s = kiosk::payment::ensure_self_signed_cert(tls_cert, tls_key, tls_name); !s) {
      spdlog::error("{}", s.message());
      return 1;
    }
    auto tls = std::make_unique<httplib::SSLServer>(tls_cert.c_str(), tls_key.c_str());
    if (!tls->is_valid()) {
      spdlog::error("cannot serve TLS with {} and {}", tls_cert, tls_key);
      return 1;
    }
    server = std::move(tls);
  } else {
    server = std::make_unique<httplib::Server>();
  }

  kiosk::payment::TerminalSimulator sim(journal);
  kiosk::payment::TerminalSimWire wire(sim, std::move(wire_options));
  server->Post("/nexo", [&](const httplib::Request& req, httplib::Response& res) {
    auto reply = wire.handle(req.body);
    if (reply.crash) {
      // As a terminal losing power after the charge: no answer, no clean shutdown.
      spdlog::warn("crashing after the charge (control crash_next)");
      std::raise(SIGKILL);
    }
    if (reply.drop) {
      // Close the connection mid-response: the sale system sees a broken exchange after the charge.
      spdlog::info("dropping the answer (control drop_next)");
      res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink&) { return false; });
      return;
    }
    res.set_content(reply.body, "application/json");
  });
  server->Post("/control", [&](const httplib::Request& req, httplib::Response& res) {
    auto r = sim.control(req.body);
    if (!r) {
      res.status = 400;
      res.set_content(r.message() + "\n", "text/plain");
      return;
    }
    res.set_content(*r, "application/json");
  });
  server->Get("/charges", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(sim.transactions_json(), "application/json");
  });

  if (port == 0) {
    port = server->bind_to_any_port(host);
    if (port <= 0) {
      spdlog::error("cannot listen on {}", listen);
      return 1;
    }
  } else if (!server->bind_to_port(host, port)) {
    spdlog::error("cannot listen on {}", listen);
    return 1;
  }
  if (!port_file.empty()) {
    std::ofstream(port_file) << port << '\n';
  }
  std::thread serve([&] { server->listen_after_bind(); });
  std::cout << "ready " << port << std::endl;
  spdlog::info("nexo terminal simulator on {}://{}:{}/nexo ({})", tls_cert.empty() ? "http" : "https", host, port,
               key.passphrase.empty() ? "plain JSON" : "encrypted");
  const int sig = kiosk::wait_for_shutdown_signal();
  spdlog::info("signal {}: stopping", sig);
  wire.stop();
  server->stop();
  serve.join();
  return 0;
}
