// terminal-sim --listen 127.0.0.1:<port|0> [--port-file FILE] [--journal FILE]
// A nexo Sale-to-POI terminal over HTTP (POST /nexo), plus test controls: POST /control, GET /charges.
// Prints "ready <port>" on stdout once listening; exits 0 on SIGTERM/SIGINT.
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <thread>

#include "common/logging.h"
#include "common/shutdown.h"
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

  kiosk::payment::TerminalSimulator sim(journal);
  httplib::Server server;
  server.Post("/nexo", [&](const httplib::Request& req, httplib::Response& res) {
    auto reply = sim.handle(req.body);
    if (reply.drop) {
      // Close the connection mid-response: the sale system sees a broken exchange after the charge.
      spdlog::info("dropping the answer (control drop_next)");
      res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink&) { return false; });
      return;
    }
    res.set_content(reply.body, "application/json");
  });
  server.Post("/control", [&](const httplib::Request& req, httplib::Response& res) {
    auto r = sim.control(req.body);
    if (!r) {
      res.status = 400;
      res.set_content(r.message() + "\n", "text/plain");
      return;
    }
    res.set_content(*r, "application/json");
  });
  server.Get("/charges", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(sim.transactions_json(), "application/json");
  });

  if (port == 0) {
    port = server.bind_to_any_port(host);
    if (port <= 0) {
      spdlog::error("cannot listen on {}", listen);
      return 1;
    }
  } else if (!server.bind_to_port(host, port)) {
    spdlog::error("cannot listen on {}", listen);
    return 1;
  }
  if (!port_file.empty()) {
    std::ofstream(port_file) << port << '\n';
  }
  std::thread serve([&] { server.listen_after_bind(); });
  std::cout << "ready " << port << std::endl;
  spdlog::info("nexo terminal simulator on http://{}:{}/nexo", host, port);
  const int sig = kiosk::wait_for_shutdown_signal();
  spdlog::info("signal {}: stopping", sig);
  server.stop();
  serve.join();
  return 0;
}
