#include "gs1.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "common/gtin.h"

namespace kiosk::vision {
namespace {

enum class Kind { kNumeric, kAlnum };

// One part of an AI's value: numeric or GS1 character set 82, `min`..`max` characters.
struct Part {
  Kind kind;
  int min;
  int max;
};

enum Check : unsigned {
  kNone = 0,
  kCheckDigit = 1,  // the value ends in a GS1 mod-10 check digit
  kDate = 2,        // YYMMDD, DD may be 00
};

struct AiSpec {
  std::string_view ai;  // exact AI; a 4-digit AI with a variable last digit is listed as "310" + n
  bool last_digit_varies;
  std::array<Part, 2> parts;
  int nparts;
  unsigned checks;
};

constexpr Part N(int n) {
  return {Kind::kNumeric, n, n};
}
constexpr Part Nv(int max) {
  return {Kind::kNumeric, 1, max};
}
constexpr Part Xv(int max) {
  return {Kind::kAlnum, 1, max};
}

// The AIs of the GS1 General Specifications a retail lane can meet (identification, dates, lots,
// measures, prices, locations, coupons, internal). Others are an error: an unknown AI cannot be
// split from what follows it.
constexpr AiSpec kAis[] = {
    {"00", false, {N(18)}, 1, kCheckDigit},
    {"01", false, {N(14)}, 1, kCheckDigit},
    {"02", false, {N(14)}, 1, kCheckDigit},
    {"10", false, {Xv(20)}, 1, kNone},
    {"11", false, {N(6)}, 1, kDate},
    {"12", false, {N(6)}, 1, kDate},
    {"13", false, {N(6)}, 1, kDate},
    {"15", false, {N(6)}, 1, kDate},
    {"16", false, {N(6)}, 1, kDate},
    {"17", false, {N(6)}, 1, kDate},
    {"20", false, {N(2)}, 1, kNone},
    {"21", false, {Xv(20)}, 1, kNone},
    {"22", false, {Xv(20)}, 1, kNone},
    {"235", false, {Xv(28)}, 1, kNone},
    {"240", false, {Xv(30)}, 1, kNone},
    {"241", false, {Xv(30)}, 1, kNone},
    {"242", false, {Nv(6)}, 1, kNone},
    {"243", false, {Xv(20)}, 1, kNone},
    {"250", false, {Xv(30)}, 1, kNone},
    {"251", false, {Xv(30)}, 1, kNone},
    {"253", false, {N(13), Xv(17)}, 2, kNone},
    {"254", false, {Xv(20)}, 1, kNone},
    {"255", false, {N(13), Nv(12)}, 2, kNone},
    {"30", false, {Nv(8)}, 1, kNone},
    {"37", false, {Nv(8)}, 1, kNone},
    {"400", false, {Xv(30)}, 1, kNone},
    {"401", false, {Xv(30)}, 1, kNone},
    {"402", false, {N(17)}, 1, kCheckDigit},
    {"403", false, {Xv(30)}, 1, kNone},
    {"410", false, {N(13)}, 1, kCheckDigit},
    {"411", false, {N(13)}, 1, kCheckDigit},
    {"412", false, {N(13)}, 1, kCheckDigit},
    {"413", false, {N(13)}, 1, kCheckDigit},
    {"414", false, {N(13)}, 1, kCheckDigit},
    {"415", false, {N(13)}, 1, kCheckDigit},
    {"416", false, {N(13)}, 1, kCheckDigit},
    {"417", false, {N(13)}, 1, kCheckDigit},
    {"420", false, {Xv(20)}, 1, kNone},
    {"421", false, {N(3), Xv(9)}, 2, kNone},
    {"422", false, {N(3)}, 1, kNone},
    {"423", false, {N(3), Nv(12)}, 2, kNone},
    {"424", false, {N(3)}, 1, kNone},
    {"425", false, {N(3), Nv(12)}, 2, kNone},
    {"426", false, {N(3)}, 1, kNone},
    {"427", false, {Xv(3)}, 1, kNone},
    {"4300", false, {Xv(35)}, 1, kNone},  // ship-to / return-to name and address
    {"4301", false, {Xv(35)}, 1, kNone},
    {"4302", false, {Xv(70)}, 1, kNone},
    {"4303", false, {Xv(70)}, 1, kNone},
    {"4304", false, {Xv(70)}, 1, kNone},
    {"4305", false, {Xv(70)}, 1, kNone},
    {"4306", false, {Xv(70)}, 1, kNone},
    {"4307", false, {{Kind::kAlnum, 2, 2}}, 1, kNone},
    {"4308", false, {Xv(30)}, 1, kNone},
    {"4309", false, {N(20)}, 1, kNone},
    {"4310", false, {Xv(35)}, 1, kNone},
    {"4311", false, {Xv(35)}, 1, kNone},
    {"4312", false, {Xv(70)}, 1, kNone},
    {"4313", false, {Xv(70)}, 1, kNone},
    {"4314", false, {Xv(70)}, 1, kNone},
    {"4315", false, {Xv(70)}, 1, kNone},
    {"4316", false, {Xv(70)}, 1, kNone},
    {"4317", false, {{Kind::kAlnum, 2, 2}}, 1, kNone},
    {"4318", false, {Xv(20)}, 1, kNone},
    {"4319", false, {Xv(30)}, 1, kNone},
    {"4320", false, {Xv(35)}, 1, kNone},
    {"4321", false, {N(1)}, 1, kNone},  // dangerous goods, authority to leave, signature required
    {"4322", false, {N(1)}, 1, kNone},
    {"4323", false, {N(1)}, 1, kNone},
    {"4324", false, {N(10)}, 1, kNone},  // not before / not after delivery, YYMMDDhhmm
    {"4325", false, {N(10)}, 1, kNone},
    {"4326", false, {N(6)}, 1, kDate},
    {"7001", false, {N(13)}, 1, kNone},
    {"7002", false, {Xv(30)}, 1, kNone},
    {"7003", false, {N(10)}, 1, kNone},
    {"7004", false, {Nv(4)}, 1, kNone},
    {"7005", false, {Xv(12)}, 1, kNone},
    {"7006", false, {N(6)}, 1, kDate},
    {"7007", false, {{Kind::kNumeric, 6, 12}}, 1, kNone},
    {"7008", false, {Xv(3)}, 1, kNone},
    {"7009", false, {Xv(10)}, 1, kNone},
    {"7010", false, {Xv(2)}, 1, kNone},
    {"7011", false, {N(6), {Kind::kNumeric, 0, 4}}, 2, kNone},  // test by date YYMMDD, optional hhmm
    {"7020", false, {Xv(20)}, 1, kNone},
    {"7021", false, {Xv(20)}, 1, kNone},
    {"7022", false, {Xv(20)}, 1, kNone},
    {"7023", false, {Xv(30)}, 1, kNone},
    {"703", true, {N(3), Xv(27)}, 2, kNone},
    {"7040", false, {{Kind::kAlnum, 4, 4}}, 1, kNone},  // GS1 UIC with extension 1 and importer index
    {"7041", false, {Xv(4)}, 1, kNone},
    {"7240", false, {Xv(20)}, 1, kNone},  // protocol ID
    {"710", false, {Xv(20)}, 1, kNone},
    {"711", false, {Xv(20)}, 1, kNone},
    {"712", false, {Xv(20)}, 1, kNone},
    {"713", false, {Xv(20)}, 1, kNone},
    {"714", false, {Xv(20)}, 1, kNone},
    {"8001", false, {N(14)}, 1, kNone},
    {"8002", false, {Xv(20)}, 1, kNone},
    {"8003", false, {N(14), {Kind::kAlnum, 0, 16}}, 2, kNone},
    {"8004", false, {Xv(30)}, 1, kNone},
    {"8005", false, {N(6)}, 1, kNone},
    {"8006", false, {N(18)}, 1, kNone},
    {"8007", false, {Xv(34)}, 1, kNone},
    {"8008", false, {N(8), {Kind::kNumeric, 0, 4}}, 2, kNone},
    {"8009", false, {Xv(50)}, 1, kNone},
    {"8010", false, {Xv(30)}, 1, kNone},
    {"8011", false, {Nv(12)}, 1, kNone},
    {"8012", false, {Xv(20)}, 1, kNone},
    {"8013", false, {Xv(25)}, 1, kNone},
    {"8014", false, {Xv(25)}, 1, kNone},  // highly individualised device registration
    {"8017", false, {N(18)}, 1, kCheckDigit},
    {"8018", false, {N(18)}, 1, kCheckDigit},
    {"8019", false, {Nv(10)}, 1, kNone},
    {"8020", false, {Xv(25)}, 1, kNone},
    {"8026", false, {N(18)}, 1, kNone},
    {"8110", false, {Xv(70)}, 1, kNone},
    {"8111", false, {N(4)}, 1, kNone},
    {"8112", false, {Xv(70)}, 1, kNone},
    {"8200", false, {Xv(70)}, 1, kNone},
    {"90", false, {Xv(30)}, 1, kNone},
    {"91", false, {Xv(90)}, 1, kNone},
    {"92", false, {Xv(90)}, 1, kNone},
    {"93", false, {Xv(90)}, 1, kNone},
    {"94", false, {Xv(90)}, 1, kNone},
    {"95", false, {Xv(90)}, 1, kNone},
    {"96", false, {Xv(90)}, 1, kNone},
    {"97", false, {Xv(90)}, 1, kNone},
    {"98", false, {Xv(90)}, 1, kNone},
    {"99", false, {Xv(90)}, 1, kNone},
    // Measures and amounts: 4-digit AIs whose last digit is the decimal point position.
    {"310", true, {N(6)}, 1, kNone},
    {"311", true, {N(6)}, 1, kNone},
    {"312", true, {N(6)}, 1, kNone},
    {"313", true, {N(6)}, 1, kNone},
    {"314", true, {N(6)}, 1, kNone},
    {"315", true, {N(6)}, 1, kNone},
    {"316", true, {N(6)}, 1, kNone},
    {"320", true, {N(6)}, 1, kNone},
    {"321", true, {N(6)}, 1, kNone},
    {"322", true, {N(6)}, 1, kNone},
    {"323", true, {N(6)}, 1, kNone},
    {"324", true, {N(6)}, 1, kNone},
    {"325", true, {N(6)}, 1, kNone},
    {"326", true, {N(6)}, 1, kNone},
    {"327", true, {N(6)}, 1, kNone},
    {"328", true, {N(6)}, 1, kNone},
    {"329", true, {N(6)}, 1, kNone},
    {"330", true, {N(6)}, 1, kNone},
    {"331", true, {N(6)}, 1, kNone},
    {"332", true, {N(6)}, 1, kNone},
    {"333", true, {N(6)}, 1, kNone},
    {"334", true, {N(6)}, 1, kNone},
    {"335", true, {N(6)}, 1, kNone},
    {"336", true, {N(6)}, 1, kNone},
    {"340", true, {N(6)}, 1, kNone},
    {"341", true, {N(6)}, 1, kNone},
    {"342", true, {N(6)}, 1, kNone},
    {"343", true, {N(6)}, 1, kNone},
    {"344", true, {N(6)}, 1, kNone},
    {"345", true, {N(6)}, 1, kNone},
    {"346", true, {N(6)}, 1, kNone},
    {"347", true, {N(6)}, 1, kNone},
    {"348", true, {N(6)}, 1, kNone},
    {"349", true, {N(6)}, 1, kNone},
    {"350", true, {N(6)}, 1, kNone},
    {"351", true, {N(6)}, 1, kNone},
    {"352", true, {N(6)}, 1, kNone},
    {"353", true, {N(6)}, 1, kNone},
    {"354", true, {N(6)}, 1, kNone},
    {"355", true, {N(6)}, 1, kNone},
    {"356", true, {N(6)}, 1, kNone},
    {"357", true, {N(6)}, 1, kNone},
    {"360", true, {N(6)}, 1, kNone},
    {"361", true, {N(6)}, 1, kNone},
    {"362", true, {N(6)}, 1, kNone},
    {"363", true, {N(6)}, 1, kNone},
    {"364", true, {N(6)}, 1, kNone},
    {"365", true, {N(6)}, 1, kNone},
    {"366", true, {N(6)}, 1, kNone},
    {"367", true, {N(6)}, 1, kNone},
    {"368", true, {N(6)}, 1, kNone},
    {"369", true, {N(6)}, 1, kNone},
    {"390", true, {Nv(15)}, 1, kNone},
    {"391", true, {N(3), Nv(15)}, 2, kNone},
    {"392", true, {Nv(15)}, 1, kNone},
    {"393", true, {N(3), Nv(15)}, 2, kNone},
    {"394", true, {N(4)}, 1, kNone},
    {"395", true, {N(6)}, 1, kNone},
};

// AIs whose total length is fixed by their first two digits (GS1 General Specifications 7.8.5): no
// separator follows them even when more data comes.
bool predefined_fixed(std::string_view ai) {
  static constexpr std::string_view kFixed[] = {"00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16",
                                                "17", "18", "19", "20", "31", "32", "33", "34", "35", "36", "41"};
  return std::find(std::begin(kFixed), std::end(kFixed), ai.substr(0, 2)) != std::end(kFixed);
}

const AiSpec* find_ai(std::string_view text, std::size_t at, std::string& ai) {
  for (std::size_t len = 2; len <= 4 && at + len <= text.size(); ++len) {
    const std::string_view candidate = text.substr(at, len);
    if (!std::all_of(candidate.begin(), candidate.end(), [](char c) { return c >= '0' && c <= '9'; })) break;
    for (const auto& spec : kAis) {
      if (spec.last_digit_varies) {
        if (len == spec.ai.size() + 1 && candidate.substr(0, spec.ai.size()) == spec.ai) {
          ai = std::string(candidate);
          return &spec;
        }
      } else if (candidate == spec.ai) {
        ai = std::string(candidate);
        return &spec;
      }
    }
  }
  return nullptr;
}

// GS1 AI encodable character set 82 (ISO 646 subset).
bool is_cset82(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  static constexpr std::string_view kPunct = "!\"%&'()*+,-./:;<=>?_";
  return kPunct.find(c) != std::string_view::npos;
}

bool valid_date(std::string_view yymmdd) {
  const int mm = (yymmdd[2] - '0') * 10 + (yymmdd[3] - '0');
  const int dd = (yymmdd[4] - '0') * 10 + (yymmdd[5] - '0');
  if (mm < 1 || mm > 12) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return dd <= kDays[mm - 1];  // 00: the day is not given (end of month)
}

bool valid_check_digit(std::string_view digits) {
  return gtin_check_digit(digits.substr(0, digits.size() - 1)) == digits.back();
}

}  // namespace

Result<std::vector<Gs1Field>> parse_element_string(std::string_view text) {
  std::vector<Gs1Field> out;
  std::size_t at = 0;
  if (text.empty()) return invalid_argument("GS1 element string: empty");
  while (at < text.size()) {
    if (text[at] == kGroupSeparator) {
      ++at;  // a separator before the next AI (or a trailing one)
      continue;
    }
    std::string ai;
    const AiSpec* spec = find_ai(text, at, ai);
    if (!spec) return invalid_argument(fmt::format("GS1 element string: no known AI at offset {}", at));
    const std::size_t start = at + ai.size();
    // The value runs to the next separator or the end; fixed-length AIs take exactly their length.
    std::size_t end = text.find(kGroupSeparator, start);
    if (end == std::string_view::npos) end = text.size();
    int fixed = 0;
    bool all_fixed = true;
    for (int i = 0; i < spec->nparts; ++i) {
      all_fixed =
          all_fixed && spec->parts[static_cast<std::size_t>(i)].min == spec->parts[static_cast<std::size_t>(i)].max;
      fixed += spec->parts[static_cast<std::size_t>(i)].max;
    }
    if (all_fixed) {
      if (start + static_cast<std::size_t>(fixed) > end) {
        return invalid_argument(fmt::format("GS1 AI ({}) at offset {}: needs {} characters", ai, at, fixed));
      }
      end = start + static_cast<std::size_t>(fixed);
      if (!predefined_fixed(ai) && end < text.size() && text[end] != kGroupSeparator) {
        return invalid_argument(fmt::format("GS1 AI ({}) at offset {}: no separator after it", ai, at));
      }
    }
    const std::string_view value = text.substr(start, end - start);
    // Check the parts in turn.
    std::size_t p = 0;
    for (int i = 0; i < spec->nparts; ++i) {
      const Part& part = spec->parts[static_cast<std::size_t>(i)];
      const std::size_t left = value.size() - p;
      const std::size_t n = i + 1 < spec->nparts ? static_cast<std::size_t>(part.max) : left;
      if (n < static_cast<std::size_t>(part.min) || n > static_cast<std::size_t>(part.max) || n > left) {
        return invalid_argument(fmt::format("GS1 AI ({}) at offset {}: {} characters, allowed {}..{}", ai, at,
                                            value.size(), part.min, part.max));
      }
      for (std::size_t k = p; k < p + n; ++k) {
        const char c = value[k];
        const bool ok = part.kind == Kind::kNumeric ? (c >= '0' && c <= '9') : is_cset82(c);
        if (!ok) {
          return invalid_argument(fmt::format("GS1 AI ({}) at offset {}: character {} not allowed", ai, at + 1 + k,
                                              static_cast<int>(static_cast<unsigned char>(c))));
        }
      }
      p += n;
    }
    if (p != value.size()) {
      return invalid_argument(fmt::format("GS1 AI ({}) at offset {}: value too long", ai, at));
    }
    if ((spec->checks & kCheckDigit) && !valid_check_digit(value)) {
      return invalid_argument(fmt::format("GS1 AI ({}) at offset {}: wrong check digit", ai, at));
    }
    if ((spec->checks & kDate) && !valid_date(value)) {
      return invalid_argument(fmt::format("GS1 AI ({}) at offset {}: {} is no date (YYMMDD)", ai, at, value));
    }
    out.push_back({ai, std::string(value)});
    at = end;
  }
  return out;
}

std::string element_string(const std::vector<Gs1Field>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out += fields[i].ai;
    out += fields[i].value;
    if (i + 1 < fields.size() && !predefined_fixed(fields[i].ai)) out += kGroupSeparator;
  }
  return out;
}

namespace {

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      return std::nullopt;
    }
    out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (true) {
    const std::size_t next = s.find(sep, at);
    out.push_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) break;
    at = next + 1;
  }
  return out;
}

// Primary keys a Digital Link path may start from, and the qualifiers that may follow each.
struct KeyQualifiers {
  std::string_view key;
  std::array<std::string_view, 4> qualifiers;
};
constexpr KeyQualifiers kKeys[] = {
    {"01", {"22", "10", "21", "235"}}, {"8006", {"22", "10", "21", ""}}, {"8010", {"8011", "", "", ""}},
    {"414", {"254", "7040", "", ""}},  {"417", {"7040", "", "", ""}},    {"00", {"", "", "", ""}},
    {"8003", {"", "", "", ""}},        {"8004", {"7040", "", "", ""}},   {"8017", {"8019", "", "", ""}},
    {"8018", {"8019", "", "", ""}},    {"253", {"", "", "", ""}},        {"255", {"", "", "", ""}},
    {"401", {"", "", "", ""}},         {"402", {"", "", "", ""}},
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Index of the primary key in the path segments, or npos.
std::size_t key_index(const std::vector<std::string_view>& segs) {
  for (std::size_t i = 0; i + 1 < segs.size(); ++i) {
    for (const auto& k : kKeys) {
      if (segs[i] == k.key) return i;
    }
  }
  return std::string_view::npos;
}

struct SplitUrl {
  std::vector<std::string_view> segments;
  std::string_view query;
};

std::optional<SplitUrl> split_url(std::string_view url) {
  std::string_view rest;
  if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  std::string_view path = rest.substr(slash + 1);
  SplitUrl out;
  if (const auto q = path.find('?'); q != std::string_view::npos) {
    out.query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  out.segments = split(path, '/');
  return out;
}

}  // namespace

bool looks_like_digital_link(std::string_view url) {
  const auto u = split_url(url);
  if (!u) return false;
  const std::size_t k = key_index(u->segments);
  if (k == std::string_view::npos || !all_digits(u->segments[k + 1])) return false;
  // Only a key of its exact length: a date in a news URL (/2021/01/15/) is no Digital Link.
  const std::string_view key = u->segments[k];
  const std::size_t n = u->segments[k + 1].size();
  if (key == "01") return n == 8 || n == 12 || n == 13 || n == 14;
  if (key == "00" || key == "8006" || key == "8017" || key == "8018") return n == 18;
  if (key == "414" || key == "417") return n == 13;
  return false;
}

Result<std::string> digital_link_element_string(std::string_view url) {
  const auto u = split_url(url);
  if (!u) return invalid_argument("GS1 Digital Link: not an http(s) URL with a path");
  const std::size_t k = key_index(u->segments);
  if (k == std::string_view::npos)
    return invalid_argument("GS1 Digital Link: no primary key (such as /01/) in the path");
  std::vector<Gs1Field> fields;
  const KeyQualifiers* key = nullptr;
  for (const auto& kq : kKeys) {
    if (u->segments[k] == kq.key) key = &kq;
  }
  // Path: key/value pairs from the primary key on.
  std::size_t next_qualifier = 0;
  for (std::size_t i = k; i < u->segments.size(); i += 2) {
    if (i + 1 >= u->segments.size()) {
      return invalid_argument(fmt::format("GS1 Digital Link: AI ({}) in the path has no value", u->segments[i]));
    }
    const std::string ai(u->segments[i]);
    auto value = percent_decode(u->segments[i + 1]);
    if (!value || value->empty()) return invalid_argument(fmt::format("GS1 Digital Link: bad value of AI ({})", ai));
    if (i > k) {
      // Qualifiers must come in their defined order.
      bool ok = false;
      while (next_qualifier < key->qualifiers.size() && !key->qualifiers[next_qualifier].empty()) {
        if (key->qualifiers[next_qualifier++] == ai) {
          ok = true;
          break;
        }
      }
      if (!ok) return invalid_argument(fmt::format("GS1 Digital Link: ({}) cannot qualify ({}) here", ai, key->key));
    }
    if (ai == "01" && all_digits(*value) && (value->size() == 8 || value->size() == 12 || value->size() == 13)) {
      *value = std::string(14 - value->size(), '0') + *value;
    }
    fields.push_back({ai, std::move(*value)});
  }
  // Query: parameters named by an all-digit AI are data attributes.
  if (!u->query.empty()) {
    for (auto param : split(u->query, '&')) {
      const auto eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string_view name = param.substr(0, eq);
      if (!all_digits(name)) continue;
      auto value = percent_decode(param.substr(eq + 1));
      if (!value || value->empty())
        return invalid_argument(fmt::format("GS1 Digital Link: bad value of AI ({})", name));
      fields.push_back({std::string(name), std::move(*value)});
    }
  }
  const std::string es = element_string(fields);
  auto parsed = parse_element_string(es);
  if (!parsed) return parsed.error();
  // Each field must come back as itself: a value that swallowed another AI's digits is an error.
  if (parsed->size() != fields.size()) return invalid_argument("GS1 Digital Link: a value does not fit its AI");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if ((*parsed)[i].ai != fields[i].ai || (*parsed)[i].value != fields[i].value) {
      return invalid_argument(fmt::format("GS1 Digital Link: the value of AI ({}) does not fit it", fields[i].ai));
    }
  }
  return es;
}

}  // namespace kiosk::vision
