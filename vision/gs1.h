#pragma once
// GS1 data carried by codes: element strings (Application Identifiers with their values, FNC1 sent
// as the group separator ASCII 29) and GS1 Digital Link URLs. A code whose GS1 data breaks the AI
// syntax (unknown AI, wrong length or characters, bad check digit, impossible date) is never reported.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kiosk::vision {

inline constexpr char kGroupSeparator = '\x1d';

struct Gs1Field {
  std::string ai;     // "01", "10", "3103"...
  std::string value;  // as encoded, no separator
};

// Parses and checks an element string such as "0107310865004703" "10LOT7" "\x1d" "17261231".
// Errors say which AI at which offset and why.
Result<std::vector<Gs1Field>> parse_element_string(std::string_view text);

// The element string of `fields`, a group separator after each variable-length field but the last.
std::string element_string(const std::vector<Gs1Field>& fields);

// True when `url` looks like a GS1 Digital Link (http(s), a path with a primary key AI such as
// /01/{gtin}), on id.gs1.org or any other domain.
bool looks_like_digital_link(std::string_view url);

// The element string a GS1 Digital Link URL carries: the primary key and its qualifiers from the
// path (/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}), then the AIs among the query parameters (other
// parameters such as linkType are ignored). A GTIN of 8, 12 or 13 digits becomes GTIN-14.
// Percent-escapes are decoded. The result is checked as parse_element_string does.
Result<std::string> digital_link_element_string(std::string_view url);

}  // namespace kiosk::vision
