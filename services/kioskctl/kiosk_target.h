#pragma once
// Which kiosks a kioskctl command talks to: --kiosk unix:PATH or host:port (TLS), repeatable; the
// local kiosk's catalog socket from the config when none is named. The store-IT token comes from
// --token-file or the KIOSK_STORE_IT_TOKEN environment variable (never from the command line, where
// other users could read it in the process list).
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/result.h"

namespace kiosk::ctl {

struct ConnectOptions {
  std::vector<std::string> kiosks;  // as given to --kiosk
  std::filesystem::path ca;         // PEM: the CA of TLS kiosks' certificates
  std::filesystem::path cert;       // PEM: a client certificate, for kiosks that require one
  std::filesystem::path key;        // its key
  std::filesystem::path token_file;
};

struct KioskTarget {
  std::string label;  // as the user named it, for messages
  std::shared_ptr<grpc::Channel> channel;
};

struct Connection {
  std::vector<KioskTarget> kiosks;
  std::string token;  // empty: none given (reads still work; writes are refused)
};

inline constexpr const char* kTokenEnv = "KIOSK_STORE_IT_TOKEN";

// `config` is only read when no --kiosk is given (may be null then).
Result<Connection> connect(const ConnectOptions& options, const Config* config);

// The token, when one was given, on one call.
void add_token(grpc::ClientContext& ctx, const Connection& conn);

// "kioskctl: <kiosk>: <what went wrong>" on `err`, saying what to do for the usual causes; returns 1.
int rpc_failed(const grpc::Status& s, const KioskTarget& kiosk, std::ostream& err);

// Runs `fn` on each kiosk in turn (under a "== <kiosk> ==" heading when there are several); 0 when
// every one returned 0, else 1.
int for_each_kiosk(const Connection& conn, std::ostream& out, std::ostream& err,
                   const std::function<int(const KioskTarget&, std::ostream&, std::ostream&)>& fn);

}  // namespace kiosk::ctl
