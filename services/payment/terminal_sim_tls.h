#pragma once
// terminal-sim's TLS identity: a self-signed certificate standing in for an Adyen terminal's device
// certificate. The sale system trusts it by pointing [payment] tls_ca at the certificate file.
#include <filesystem>
#include <string>

#include "common/result.h"

namespace kiosk::payment {

// Writes a new P-256 key (mode 0600) and a self-signed certificate for `name` (CN and DNS name)
// and 127.0.0.1, valid for a year, unless both files exist already.
Status ensure_self_signed_cert(const std::filesystem::path& cert_file, const std::filesystem::path& key_file,
                               const std::string& name);

}  // namespace kiosk::payment
