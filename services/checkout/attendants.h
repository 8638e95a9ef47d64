#pragma once
// Attendant credentials: ids with Argon2id PIN hashes (libsodium crypto_pwhash_str) from a TOML file
//   [[attendant]]
//   id = "a1"
//   name = "Anna"
//   pin_hash = "$argon2id$v=19$m=65536,t=2,p=1$..."
// Verification locks an id out for kLockout after kMaxFailures consecutive wrong PINs. PINs are never
// logged or kept.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"

namespace kiosk::checkout {

// Argon2id cost. Production uses libsodium's interactive limits; tests pass the minimum to stay fast.
struct PinHashCost {
  std::uint64_t opslimit = 0;  // 0: crypto_pwhash_OPSLIMIT_INTERACTIVE
  std::size_t memlimit = 0;    // bytes; 0: crypto_pwhash_MEMLIMIT_INTERACTIVE
  static PinHashCost minimum();
};

// "$argon2id$..." for a PIN (what `pin_hash` holds).
Result<std::string> hash_pin(std::string_view pin, PinHashCost cost = {});

class AttendantDirectory {
 public:
  static constexpr int kMaxFailures = 5;
  static constexpr std::chrono::minutes kLockout{5};

  static Result<std::unique_ptr<AttendantDirectory>> load(const std::filesystem::path& file, const Clock& clock);
  static Result<std::unique_ptr<AttendantDirectory>> parse(std::string_view toml_text, std::string_view where,
                                                           const Clock& clock);

  // OK when the id exists, is not locked out and the PIN matches; PERMISSION_DENIED otherwise (the
  // message never contains the PIN).
  Status verify(const std::string& attendant_id, const std::string& pin);
  std::string name_of(const std::string& attendant_id) const;
  std::size_t size() const { return attendants_.size(); }

 private:
  struct Attendant {
    std::string name;
    std::string pin_hash;
  };
  struct Failures {
    int count = 0;
    std::int64_t locked_until_unix_ms = 0;
  };
  explicit AttendantDirectory(const Clock& clock) : clock_(clock) {}

  const Clock& clock_;
  std::map<std::string, Attendant> attendants_;
  std::mutex mu_;
  std::map<std::string, Failures> failures_;
};

}  // namespace kiosk::checkout
