#include <catch2/catch.hpp>

#include "mtsics.h"

using kiosk::scale::MtSicsError;
using kiosk::scale::MtSicsStatus;
using kiosk::scale::parse_mtsics_response;
using kiosk::scale::parse_weight_mg;

TEST_CASE("MT-SICS stable weight in g becomes exact milligrams") {
  auto r = parse_mtsics_response("S S      100.00 g\r\n");
  REQUIRE(r);
  CHECK(r->id == "S");
  CHECK(r->status == MtSicsStatus::kStable);
  CHECK(r->weight_mg == 100000);
  CHECK(r->unit == "g");
  CHECK_FALSE(r->error);
}

TEST_CASE("MT-SICS dynamic and negative weights") {
  auto d = parse_mtsics_response("S D     123.45 g");
  REQUIRE(d);
  CHECK(d->status == MtSicsStatus::kDynamic);
  CHECK(d->weight_mg == 123450);
  auto neg = parse_mtsics_response("S S      -0.02 g");
  REQUIRE(neg);
  CHECK(neg->weight_mg == -20);
  auto whole = parse_mtsics_response("S S        1234 g");
  REQUIRE(whole);
  CHECK(whole->weight_mg == 1234000);
}

TEST_CASE("MT-SICS units kg and mg convert exactly, without floating point") {
  CHECK(*parse_weight_mg("1.234567", "kg") == 1234567);
  CHECK(*parse_weight_mg("0.1", "kg") == 100000);
  CHECK(*parse_weight_mg("12", "mg") == 12);
  CHECK(*parse_weight_mg("0.001", "g") == 1);
  CHECK(*parse_weight_mg("2.5000", "g") == 2500);  // trailing zeros beyond 1 mg are fine
  // 0.1 + 0.2 style rounding traps are impossible with decimal text:
  CHECK(*parse_weight_mg("0.3", "g") == 300);
  auto kg = parse_mtsics_response("S S   12.345 kg");
  REQUIRE(kg);
  CHECK(kg->weight_mg == 12345000);
  CHECK_FALSE(parse_weight_mg("1.5", "mg"));
  CHECK_FALSE(parse_weight_mg("0.0001", "g"));
  CHECK_FALSE(parse_weight_mg("1", "lb"));
  CHECK_FALSE(parse_weight_mg("1..2", "g"));
  CHECK_FALSE(parse_weight_mg("1.", "g"));
  CHECK_FALSE(parse_weight_mg("", "g"));
  CHECK_FALSE(parse_weight_mg("9999999999", "kg"));
}

TEST_CASE("MT-SICS busy, overload and underload carry no weight") {
  for (auto [line, st] : {std::pair{"S I", MtSicsStatus::kBusy}, std::pair{"S +", MtSicsStatus::kOverload},
                          std::pair{"S -", MtSicsStatus::kUnderload}}) {
    auto r = parse_mtsics_response(line);
    REQUIRE(r);
    CHECK(r->status == st);
    CHECK_FALSE(r->weight_mg);
  }
  CHECK_FALSE(parse_mtsics_response("S I 12.0 g"));  // a busy answer with a weight is not MT-SICS
}

TEST_CASE("MT-SICS zero and tare answers") {
  CHECK(parse_mtsics_response("Z A")->status == MtSicsStatus::kDone);
  CHECK(parse_mtsics_response("Z I")->status == MtSicsStatus::kBusy);
  CHECK(parse_mtsics_response("Z +")->status == MtSicsStatus::kOverload);
  CHECK(parse_mtsics_response("Z -")->status == MtSicsStatus::kUnderload);
  auto t = parse_mtsics_response("T S     150.00 g");
  REQUIRE(t);
  CHECK(t->id == "T");
  CHECK(t->weight_mg == 150000);
  CHECK(parse_mtsics_response("T I")->status == MtSicsStatus::kBusy);
  CHECK(parse_mtsics_response("T +")->status == MtSicsStatus::kOverload);
  CHECK(parse_mtsics_response("T -")->status == MtSicsStatus::kUnderload);
  CHECK_FALSE(parse_mtsics_response("Z S"));  // Z answers A, never S
  CHECK_FALSE(parse_mtsics_response("T S"));  // the tare weight is missing
  auto ta = parse_mtsics_response("TA A      12.50 g");
  REQUIRE(ta);
  CHECK(ta->weight_mg == 12500);
}

TEST_CASE("MT-SICS identification texts") {
  auto r = parse_mtsics_response("I4 A \"B123456789\"");
  REQUIRE(r);
  CHECK(r->id == "I4");
  CHECK(r->texts == std::vector<std::string>{"B123456789"});
  auto i1 = parse_mtsics_response("I1 A \"01\" \"1.00\" \"1.00\" \"\" \"\"");
  REQUIRE(i1);
  CHECK(i1->texts.size() == 5);
  auto i2 = parse_mtsics_response("I2 A \"SIM-BAG30 30000 g\"");
  REQUIRE(i2);
  CHECK(i2->texts[0] == "SIM-BAG30 30000 g");
  CHECK_FALSE(parse_mtsics_response("I4 A \"B12345"));  // unterminated
}

TEST_CASE("MT-SICS command errors ES, ET and EL") {
  auto es = parse_mtsics_response("ES\r\n");
  REQUIRE(es);
  CHECK(es->error == MtSicsError::kSyntax);
  CHECK(parse_mtsics_response("ET")->error == MtSicsError::kTransmission);
  CHECK(parse_mtsics_response("EL")->error == MtSicsError::kLogical);
  CHECK_FALSE(parse_mtsics_response("ES")->weight_mg);
}

TEST_CASE("MT-SICS garbage and partial frames are errors, never weights") {
  const char* bad[] = {
      "",                    // empty
      "S",                   // id only
      "S S",                 // weight missing
      "S S     100.00",      // unit missing: cut off mid-frame
      "S S     100.00 g x",  // trailing junk
      "S S     10a.00 g",    // not a number
      "S X     100.00 g",    // unknown status
      "s s 100.00 g",        // lower case is not MT-SICS
      "\x01\x02garbage",     // binary noise
      "S S     100.00 g\r",  // lone CR inside the frame
      "S S  1\r\n00.00 g",   // two frames run together
      "?? 12",               // not an id
      "S S     100.00 lb",   // unknown unit
  };
  for (const char* line : bad) {
    INFO("frame: " << line);
    auto r = parse_mtsics_response(line);
    CHECK_FALSE(r);
    if (!r) CHECK_FALSE(r.message().empty());
  }
  // The error says where: the frame and the reason.
  auto r = parse_mtsics_response("S S     100.00");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.message(), Catch::Contains("unit missing"));
}
