// GS1 element strings and Digital Link URLs: valid data parses; every kind of bad input is an error
// that says where and why; codes carrying bad GS1 data are never reported.
#include <catch2/catch.hpp>

#include "vision/decoder.h"
#include "vision/gs1.h"

using kiosk::vision::digital_link_element_string;
using kiosk::vision::looks_like_digital_link;
using kiosk::vision::parse_element_string;
using kiosk::vision::Symbology;
using kiosk::vision::validate_detection;

namespace {

const std::string GS = "\x1d";

std::string fields_of(const std::string& es) {
  auto f = parse_element_string(es);
  INFO(es << ": " << (f ? "" : f.message()));
  REQUIRE(f);
  std::string out;
  for (const auto& x : *f) out += "(" + x.ai + ")" + x.value;
  return out;
}

}  // namespace

TEST_CASE("GS1 element strings: fixed and variable fields, separators, measures", "[vision][gs1]") {
  CHECK(fields_of("0107310865004703") == "(01)07310865004703");
  CHECK(fields_of("010731086500470317261231" + std::string("10LOT-7")) == "(01)07310865004703(17)261231(10)LOT-7");
  CHECK(fields_of("10ABC" + GS + "17261200" + "21S1") == "(10)ABC(17)261200(21)S1");  // day 00 = month's end
  CHECK(fields_of("01073108650047033103000750") == "(01)07310865004703(3103)000750");
  CHECK(fields_of("3922" + std::string("1995") + GS + "0107310865004703") == "(3922)1995(01)07310865004703");
  CHECK(fields_of("3932752" + std::string("1995")) == "(3932)7521995");
  CHECK(fields_of("0107310865004703" + GS) == "(01)07310865004703");  // trailing separator
  CHECK(fields_of("00373108650000000010") == "(00)373108650000000010");
  CHECK(kiosk::vision::element_string(*parse_element_string("10ABC" + GS + "17261231")) == "10ABC" + GS + "17261231");
  // Every character of GS1 set 82 in a free-text internal AI.
  CHECK(fields_of("91!\"%&'()*+,-./:;<=>?_azAZ09") == "(91)!\"%&'()*+,-./:;<=>?_azAZ09");
  // Newer AIs: test-by date with and without its time, ship-to address, protocol, UIC.
  CHECK(fields_of("7011261231" + GS + "70112612311430") == "(7011)261231(7011)2612311430");
  CHECK(fields_of("4300ACME/SHIP-TO" + GS + "4321" + "1" + GS + "7240PROT-1") ==
        "(4300)ACME/SHIP-TO(4321)1(7240)PROT-1");
}

TEST_CASE("GS1 element strings: bad input is an error naming the AI and the offset", "[vision][gs1]") {
  auto error = [](const std::string& es) {
    auto f = parse_element_string(es);
    INFO(es);
    REQUIRE_FALSE(f);
    return f.message();
  };
  CHECK(error("").find("empty") != std::string::npos);
  CHECK(error("0107310865004704").find("(01) at offset 0: wrong check digit") != std::string::npos);
  CHECK(error("0207310865004704").find("(02)") != std::string::npos);
  CHECK(error("010731086500470").find("needs 14") != std::string::npos);  // short
  CHECK(error("0107310865004703"
              "17261331")
            .find("(17) at offset 16") != std::string::npos);  // month 13
  CHECK(error("0107310865004703"
              "11260230")
            .find("no date") != std::string::npos);  // 30 February
  CHECK(error("0107310865004703"
              "15991232")
            .find("no date") != std::string::npos);
  CHECK(error("1235KA").find("(12)") != std::string::npos);  // ZBar's misread of a DataBar Expanded photo
  CHECK(error("23ABC").find("no known AI at offset 0") != std::string::npos);
  CHECK(error("10" + std::string(21, 'A')).find("allowed 1..20") != std::string::npos);
  CHECK(error("10AB CD").find("character 32") != std::string::npos);  // space is not GS1 data
  CHECK(error("3932040EUR").find("(3932)") != std::string::npos);     // currency must be digits
  CHECK(error("3922" + std::string(16, '7')).find("(3922)") != std::string::npos);
  CHECK(error("10ABC" + GS + "xx").find("offset 6") != std::string::npos);
  CHECK(error("10").find("(10)") != std::string::npos);  // no value
  CHECK(error("43211" + std::string("2")).find("no separator") != std::string::npos);
  CHECK(error("7003123456789"
              "10A")
            .find("no separator") != std::string::npos);
}

TEST_CASE("GS1 Digital Link URLs become element strings", "[vision][gs1]") {
  auto es = [](const std::string& url) {
    auto r = digital_link_element_string(url);
    INFO(url << ": " << (r ? "" : r.message()));
    REQUIRE(r);
    return *r;
  };
  CHECK(looks_like_digital_link("https://id.gs1.org/01/07310865004703"));
  CHECK(es("https://id.gs1.org/01/07310865004703") == "0107310865004703");
  CHECK(es("https://id.gs1.org/01/7310865004703") == "0107310865004703");  // GTIN-13 padded
  CHECK(es("https://id.gs1.org/01/036000291452") == "0100036000291452");   // UPC-A
  CHECK(es("https://id.gs1.org/01/96385074") == "0100000096385074");       // EAN-8
  CHECK(es("https://example.com/01/07310865004703/10/LOT%2D7/21/S1") ==
        "0107310865004703"
        "10LOT-7" +
            GS + "21S1");
  CHECK(es("https://shop.example.se/products/x/01/07310865004703/22/V1/10/L1?17=261231&3103=000750&linkType=gs1:pip") ==
        "0107310865004703"
        "22V1" +
            GS + "10L1" + GS +
            "17261231"
            "3103000750");
  CHECK(es("http://example.com/01/07310865004703/?15=270100#top") == "010731086500470315270100");
  CHECK(es("https://id.gs1.org/00/373108650000000010") == "00373108650000000010");
  CHECK(es("https://id.gs1.org/414/7310865000002") == "4147310865000002");
}

TEST_CASE("GS1 Digital Link: bad URLs are errors, ordinary URLs are no Digital Link", "[vision][gs1]") {
  auto error = [](const std::string& url) {
    auto r = digital_link_element_string(url);
    INFO(url);
    REQUIRE_FALSE(r);
    return r.message();
  };
  CHECK(error("https://id.gs1.org/01/07310865004704").find("check digit") != std::string::npos);
  CHECK(error("https://id.gs1.org/01/07310865004703/10").find("no value") != std::string::npos);
  CHECK(error("https://id.gs1.org/01/07310865004703/21/S1/10/L1").find("cannot qualify") != std::string::npos);
  CHECK(error("https://id.gs1.org/01/07310865004703?17=261399").find("(17)") != std::string::npos);
  CHECK(error("https://id.gs1.org/01/07310865004703/10/A%2").find("bad value") != std::string::npos);
  CHECK(error("ftp://id.gs1.org/01/07310865004703").find("http") != std::string::npos);
  CHECK(error("https://example.com/about").find("primary key") != std::string::npos);
  // Not Digital Links at all: reported as the plain URLs they are.
  CHECK_FALSE(looks_like_digital_link("https://news.example.com/2021/01/15/story"));
  CHECK_FALSE(looks_like_digital_link("https://example.com/01/abc"));
  CHECK_FALSE(looks_like_digital_link("mailto:kiosk@example.com"));
  CHECK_FALSE(looks_like_digital_link("https://example.com/"));
}

TEST_CASE("codes carrying GS1 data: checked, element string and GTIN filled in, bad ones never reported",
          "[vision][gs1]") {
  auto qr = validate_detection(Symbology::kQrCode, "https://id.gs1.org/01/07310865004703/10/L1?17=261231");
  REQUIRE(qr);
  CHECK(qr->gtin14 == "07310865004703");
  CHECK(qr->element_string ==
        "0107310865004703"
        "10L1" +
            GS + "17261231");
  CHECK_FALSE(validate_detection(Symbology::kQrCode, "https://id.gs1.org/01/07310865004704"));
  auto plain = validate_detection(Symbology::kQrCode, "https://news.example.com/2021/01/15/story");
  REQUIRE(plain);
  CHECK(plain->element_string.empty());

  auto gs1_128 = validate_detection(Symbology::kCode128,
                                    "0107310865004703"
                                    "3103000750",
                                    true);
  REQUIRE(gs1_128);
  CHECK(gs1_128->gtin14 == "07310865004703");
  CHECK_FALSE(validate_detection(Symbology::kCode128, "168901", true));  // (16) needs 6 digits
  CHECK(validate_detection(Symbology::kCode128, "168901", false));       // plain Code 128: any text

  CHECK_FALSE(validate_detection(Symbology::kDataBarExpanded, "10123456A1234A" + GS + "1235KA"));
  CHECK_FALSE(validate_detection(Symbology::kDataBarExpanded, "101098 1234"));
  auto dbe = validate_detection(Symbology::kDataBarExpanded,
                                "0107310865004703"
                                "3922"
                                "1995");
  REQUIRE(dbe);
  CHECK(dbe->gtin14 == "07310865004703");
  CHECK_FALSE(validate_detection(Symbology::kDataBar,
                                 "0107310865004703"
                                 "17261231"));  // omni is (01) only

  auto dm = validate_detection(Symbology::kDataMatrix,
                               "0107310865004703"
                               "17261231"
                               "10ABC",
                               true);
  REQUIRE(dm);
  CHECK(dm->gtin14 == "07310865004703");
  CHECK_FALSE(validate_detection(Symbology::kDataMatrix,
                                 "0107310865004703"
                                 "17261331",
                                 true));
}
