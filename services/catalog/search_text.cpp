#include "search_text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>

namespace kiosk::catalog {
namespace {

constexpr char32_t kLatinEnd = 0x250;  // Latin-1 Supplement and Latin Extended-A/B: accents we drop

// Folded form of each code point below kLatinEnd (0 = not a word character), built once from ICU.
struct LatinTable {
  std::array<char32_t, kLatinEnd> fold{};
  LatinTable() {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
    for (char32_t c = 0; c < kLatinEnd; ++c) {
      const auto f = static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT));
      if (!u_isalnum(static_cast<UChar32>(f))) continue;
      char32_t out = f;
      if (f == U'å' || f == U'ä' || f == U'ö') {
        out = f;  // separate letters in Swedish, never "a with an accent"
      } else if (f == U'æ') {
        out = U'ä';
      } else if (f == U'ø') {
        out = U'ö';
      } else if (f >= 0x80 && U_SUCCESS(err)) {
        icu::UnicodeString d;
        if (nfd->getDecomposition(static_cast<UChar32>(f), d) && d.length() > 0 && d.char32At(0) < 0x80) {
          out = static_cast<char32_t>(d.char32At(0));
        }
      }
      fold[c] = out;
    }
  }
};

const LatinTable& latin() {
  static const LatinTable table;
  return table;
}

void append_utf8(std::string& out, char32_t c) {
  char buf[4];
  std::int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, 4, static_cast<UChar32>(c), error);
  if (!error) out.append(buf, static_cast<std::size_t>(n));
}

bool has_combining_mark(std::string_view s) {
  // U+0300..U+036F are CC 80..CD AF in UTF-8.
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto d = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xCC && d >= 0x80) || (c == 0xCD && d <= 0xAF)) return true;
  }
  return false;
}

// Calls word(std::string&&) for each folded word of `text`.
template <typename Sink>
void for_each_word(std::string_view text, Sink&& word) {
  std::string composed;
  if (has_combining_mark(text)) {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
    if (U_SUCCESS(err)) {
      const icu::UnicodeString n = nfc->normalize(
          icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))), err);
      if (U_SUCCESS(err)) {
        n.toUTF8String(composed);
        text = composed;
      }
    }
  }
  const LatinTable& table = latin();
  std::string current;
  const auto flush = [&] {
    if (!current.empty()) word(std::move(current));
    current.clear();
  };
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto n = static_cast<std::int32_t>(text.size());
  std::int32_t i = 0;
  while (i < n) {
    const std::uint8_t b = s[i];
    if (b < 0x80) {  // ASCII fast path
      ++i;
      if (b >= 'A' && b <= 'Z') {
        current.push_back(static_cast<char>(b + ('a' - 'A')));
      } else if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
        current.push_back(static_cast<char>(b));
      } else {
        flush();
      }
      continue;
    }
    UChar32 c = 0;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      flush();
      continue;
    }
    if (c < static_cast<UChar32>(kLatinEnd)) {
      if (c == 0xDF || c == 0x1E9E) {  // ß
        current += "ss";
        continue;
      }
      const char32_t f = table.fold[static_cast<std::size_t>(c)];
      if (f == 0) {
        flush();
      } else {
        append_utf8(current, f);
      }
      continue;
    }
    if (u_getCombiningClass(c) != 0) continue;  // a mark NFC could not compose: drop it, keep the word
    const UChar32 f = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    if (u_isalnum(f)) {
      append_utf8(current, static_cast<char32_t>(f));
    } else {
      flush();
    }
  }
  flush();
}

}  // namespace

void fold_words(std::string_view text, std::vector<std::string>& out) {
  for_each_word(text, [&](std::string&& w) { out.push_back(std::move(w)); });
}

std::string fold_text(std::string_view text) {
  std::string out;
  for_each_word(text, [&](std::string&& w) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  });
  return out;
}

std::u32string to_code_points(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto n = static_cast<std::int32_t>(s.size());
  std::int32_t i = 0;
  while (i < n) {
    UChar32 c = 0;
    U8_NEXT(p, i, n, c);
    out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  return out;
}

bool within_one_edit(std::u32string_view a, std::u32string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > 1) return false;
  std::size_t i = 0;
  while (i < b.size() && a[i] == b[i]) ++i;
  if (i == b.size()) return true;  // equal, or a has one extra code point at the end
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;                                                    // replaced
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);  // swapped
  }
  return a.substr(i + 1) == b.substr(i);  // a has one extra code point at i
}

bool prefix_within_one_edit(std::u32string_view query, std::u32string_view word) {
  const std::size_t q = query.size();
  for (const std::size_t len : {q - 1, q, q + 1}) {
    if (len == 0 || len > word.size()) continue;
    if (within_one_edit(query, word.substr(0, len))) return true;
  }
  return false;
}

}  // namespace kiosk::catalog
