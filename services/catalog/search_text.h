#pragma once
// Text as name search sees it: folded words, and "one typo apart".
//
// Folding (ICU): Unicode simple case folding (É -> é, Å -> å), text in decomposed form (NFD from a Mac)
// composed first, then accents dropped except on the Swedish letters (é -> e, ü -> u, but å, ä, ö stay),
// æ -> ä, ø -> ö, ß -> ss. A word is a run of letters and digits; everything else separates words.
// Invalid UTF-8 bytes separate words too (pushes are validated before they get here).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::catalog {

// Appends the folded words of `text` to `out`.
void fold_words(std::string_view text, std::vector<std::string>& out);

// The folded words of `text` joined by single spaces ("Frukt & Grönt" -> "frukt grönt").
std::string fold_text(std::string_view text);

// Code points of UTF-8 `s` (invalid bytes become U+FFFD).
std::u32string to_code_points(std::string_view s);

// True when `a` and `b` are at most one edit apart: one code point inserted, deleted or replaced, or two
// neighbours swapped (optimal string alignment distance <= 1).
bool within_one_edit(std::u32string_view a, std::u32string_view b);

// True when some prefix of `word` is within one edit of `query` (a typo while typing a longer word).
bool prefix_within_one_edit(std::u32string_view query, std::u32string_view word);

}  // namespace kiosk::catalog
