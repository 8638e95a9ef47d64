#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "checkout/attendants.h"

using namespace kiosk;
using namespace kiosk::checkout;

namespace {
std::unique_ptr<AttendantDirectory> directory(const Clock& clock) {
  const auto h1 = hash_pin("4711", PinHashCost::minimum());
  const auto h2 = hash_pin("0000", PinHashCost::minimum());
  REQUIRE(h1);
  REQUIRE(h2);
  auto dir = AttendantDirectory::parse(fmt::format("[[attendant]]\nid = \"a1\"\nname = \"Anna\"\npin_hash = \"{}\"\n"
                                                   "[[attendant]]\nid = \"b2\"\nname = \"Bo\"\npin_hash = \"{}\"\n",
                                                   *h1, *h2),
                                       "attendants.toml", clock);
  REQUIRE(dir);
  return std::move(*dir);
}
}  // namespace

TEST_CASE("attendant PINs are Argon2id hashes verified with libsodium", "[attendants]") {
  ManualClock clock;
  auto dir = directory(clock);
  CHECK(dir->size() == 2);
  CHECK(dir->name_of("a1") == "Anna");
  CHECK(dir->verify("a1", "4711"));
  CHECK(dir->verify("b2", "0000"));
  const Status wrong = dir->verify("a1", "4712");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == ErrorCode::kPermissionDenied);
  CHECK_THAT(wrong.message(), !Catch::Contains("4712"));  // never echo the PIN
  CHECK_FALSE(dir->verify("a1", "0000"));                 // another attendant's PIN
  CHECK_FALSE(dir->verify("zz", "4711"));                 // unknown id
}

TEST_CASE("five wrong PINs lock the attendant out for five minutes", "[attendants]") {
  ManualClock clock;
  auto dir = directory(clock);
  for (int i = 0; i < 4; ++i) CHECK_FALSE(dir->verify("a1", "1111"));
  CHECK(dir->verify("a1", "4711"));  // success resets the count
  for (int i = 0; i < 5; ++i) CHECK_FALSE(dir->verify("a1", "1111"));
  const Status locked = dir->verify("a1", "4711");
  REQUIRE_FALSE(locked);
  CHECK_THAT(locked.message(), Catch::Contains("locked out"));
  CHECK(dir->verify("b2", "0000"));  // others are not affected
  clock.advance(std::chrono::minutes(4));
  CHECK_FALSE(dir->verify("a1", "4711"));
  clock.advance(std::chrono::minutes(1));
  CHECK(dir->verify("a1", "4711"));
}

TEST_CASE("a bad attendants file is refused saying where", "[attendants]") {
  ManualClock clock;
  auto no_hash = AttendantDirectory::parse("[[attendant]]\nid = \"a1\"\n", "att.toml", clock);
  REQUIRE_FALSE(no_hash);
  CHECK_THAT(no_hash.message(), Catch::Contains("att.toml") && Catch::Contains("a1") && Catch::Contains("pin_hash"));
  auto plain = AttendantDirectory::parse("[[attendant]]\nid = \"a1\"\npin_hash = \"1234\"\n", "att.toml", clock);
  REQUIRE_FALSE(plain);
  auto syntax = AttendantDirectory::parse("[[attendant]\n", "att.toml", clock);
  REQUIRE_FALSE(syntax);
  CHECK_THAT(syntax.message(), Catch::StartsWith("att.toml:1:"));
  auto missing = AttendantDirectory::load("/nonexistent/attendants.toml", clock);
  REQUIRE_FALSE(missing);
}
