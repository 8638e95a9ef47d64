#include <sodium.h>

#include "catalog/auth_token.h"
#include "commands.h"

namespace kiosk::ctl {

Result<std::string> hash_pin(std::string_view pin) {
  if (sodium_init() < 0) return internal_error("libsodium failed to initialise");
  if (pin.size() < 4) return invalid_argument("a PIN needs at least 4 characters");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return internal_error("out of memory while hashing the PIN");
  }
  return std::string(out);
}

std::string token_hash(std::string_view token) {
  return catalog::token_sha256_hex(token);
}

}  // namespace kiosk::ctl
