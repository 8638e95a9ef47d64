// GS1 DataBar Expanded (Stacked) reader, ISO/IEC 24724: scan lines → bar/space widths → finder patterns
// and their characters → pairs placed in the symbol by their finder → check character → bit stream →
// GS1 element string.
#include "databar_expanded.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <opencv2/imgproc.hpp>

#include "common/gtin.h"
#include "databar_widths.h"

namespace kiosk::vision {
namespace {

using databar::char_modules;
using databar::rss_value;
using databar::run_widths;

constexpr char kGs = '\x1d';

// Finder patterns A..F as printed in the first pair of two (15 modules); the second shows them mirrored.
constexpr std::array<std::array<int, 5>, 6> kFinders{{
    {1, 8, 4, 1, 1},
    {3, 6, 4, 1, 1},
    {3, 4, 6, 1, 1},
    {3, 2, 8, 1, 1},
    {2, 6, 5, 1, 1},
    {2, 2, 9, 1, 1},
}};

// The finders of a symbol of 2..11 pairs, first pair first (each letter one finder, A = 0).
constexpr std::array<std::string_view, 10> kSequences{
    "AA", "ABB", "ACBD", "AEBDC", "AEBDDF", "AEBDEFF", "AABBCCDD", "AABBCCDEE", "AABBCCDEFF", "AABBCDDEEFF",
};

// A (17,4) character's groups by odd-element sum: widest odd element, count of even combinations, and
// the group's first value.
constexpr std::array<int, 5> kOddWidest{7, 5, 4, 3, 1};
constexpr std::array<int, 5> kEvenTotal{4, 20, 52, 104, 204};
constexpr std::array<int, 5> kGroupFirst{0, 348, 1388, 2948, 3988};

// A finder's elements may be this many modules off their nominal width (blur, print gain).
constexpr float kFinderTolerance = 0.62f;
// A character's module may differ from its finder's by this fraction.
constexpr float kCharModuleTolerance = 0.3f;
struct Char {
  int value = 0;
  int checksum = 0;  // this character's share of the symbol check, mod 211
};

struct Pair {
  int finder = 0;  // 0..5 = A..F
  bool mirrored = false;
  std::optional<Char> left;
  std::optional<Char> right;
  int run = 0;        // index of the finder's first element on its line
  bool dark = false;  // the finder's first element (in reading order) is a bar
};

// 3^k mod 211: the check weight of element k of the characters counted from the first data character
// (k < 8 × 23: 22 characters beside 11 finders, the check character's weights unused).
int weight(int k) {
  static const std::array<int, 8 * 23> kWeights = [] {
    std::array<int, 8 * 23> w{};
    int v = 1;
    for (int& x : w) {
      x = v;
      v = v * 3 % 211;
    }
    return w;
  }();
  return kWeights[static_cast<std::size_t>(k)];
}

// A character beside finder `finder` from its widths, outermost element first.
std::optional<Char> decode_char(const std::array<float, 8>& widths, int finder, bool mirrored, bool left) {
  const auto n = char_modules(widths, 17, false);
  if (!n) return std::nullopt;
  const std::array<int, 4> odd{(*n)[0], (*n)[2], (*n)[4], (*n)[6]};
  const std::array<int, 4> even{(*n)[1], (*n)[3], (*n)[5], (*n)[7]};
  const int odd_sum = odd[0] + odd[1] + odd[2] + odd[3];
  if (odd_sum < 4 || odd_sum > 12 || (odd_sum & 1) != 0) return std::nullopt;
  const int group = (13 - odd_sum) / 2;
  const int odd_widest = kOddWidest[static_cast<std::size_t>(group)];
  const auto v_odd = static_cast<int>(rss_value(odd, odd_widest, true));
  const auto v_even = static_cast<int>(rss_value(even, 9 - odd_widest, false));
  if (v_even < 0 || v_even >= kEvenTotal[static_cast<std::size_t>(group)] || v_odd < 0) return std::nullopt;
  Char c;
  c.value = v_odd * kEvenTotal[static_cast<std::size_t>(group)] + v_even + kGroupFirst[static_cast<std::size_t>(group)];
  // The check weights go by the character's place beside its finder (A first, not mirrored, left =
  // the check character itself, which carries none).
  const int row = 4 * finder + (mirrored ? 2 : 0) + (left ? 0 : 1) - 1;
  if (row >= 0) {
    for (int k = 0; k < 8; ++k) c.checksum += (*n)[k] * weight(8 * row + k);
    c.checksum %= 211;
  }
  return c;
}

// The finder (value, mirrored) five widths show, if any.
std::optional<std::pair<int, bool>> match_finder(const float* w) {
  const float total = w[0] + w[1] + w[2] + w[3] + w[4];
  if (total <= 0) return std::nullopt;
  const float module = total / 15.0f;
  float best = kFinderTolerance * 5;
  std::optional<std::pair<int, bool>> found;
  for (int f = 0; f < 6; ++f) {
    for (const bool mirrored : {false, true}) {
      float sum = 0, worst = 0;
      for (int k = 0; k < 5; ++k) {
        const int p = kFinders[static_cast<std::size_t>(f)][static_cast<std::size_t>(mirrored ? 4 - k : k)];
        const float d = std::abs(w[k] / module - static_cast<float>(p));
        sum += d;
        worst = std::max(worst, d);
      }
      if (worst <= kFinderTolerance && sum < best) {
        best = sum;
        found = std::pair{f, mirrored};
      }
    }
  }
  return found;
}

// The runs of pairs on one line read in one direction, in reading order. A finder's shape also turns up
// inside characters; such a false pair sits off the true pairs' rhythm (one every 21 elements), so the
// longest runs are taken first and a pair overlapping a taken one is dropped.
std::vector<std::vector<Pair>> line_runs(const std::vector<float>& w, bool first_dark) {
  std::vector<Pair> found;
  const int m = static_cast<int>(w.size());
  for (int j = 9; j + 5 < m; ++j) {
    const auto f = match_finder(&w[static_cast<std::size_t>(j)]);
    if (!f) continue;
    const float module = (w[j] + w[j + 1] + w[j + 2] + w[j + 3] + w[j + 4]) / 15.0f;
    Pair p;
    p.finder = f->first;
    p.mirrored = f->second;
    p.run = j;
    p.dark = first_dark == ((j & 1) == 0);
    const auto take = [&](int from, bool reversed) -> std::optional<std::array<float, 8>> {
      if (from < 1 || from + 8 > m - 1) return std::nullopt;  // the line's end runs are cut off
      std::array<float, 8> c{};
      float total = 0;
      for (int k = 0; k < 8; ++k) {
        c[static_cast<std::size_t>(k)] = w[static_cast<std::size_t>(reversed ? from + 7 - k : from + k)];
        total += c[static_cast<std::size_t>(k)];
      }
      if (std::abs(total / 17.0f - module) > kCharModuleTolerance * module) return std::nullopt;
      return c;
    };
    if (auto c = take(j - 8, false)) p.left = decode_char(*c, p.finder, p.mirrored, true);
    if (auto c = take(j + 5, true)) p.right = decode_char(*c, p.finder, p.mirrored, false);
    // Every pair has its left character. Read the right way round, a finder not mirrored begins with a
    // space and a mirrored one with a bar; read backwards (a line across the symbol the wrong way, or a
    // stacked row printed right to left), it is the other way, and the pair is read on the other pass.
    if (p.left && p.dark == p.mirrored) found.push_back(p);
  }
  // Chains of pairs 21 elements apart (finder, right character, next left character).
  std::vector<std::vector<Pair>> chains;
  std::vector<bool> used(found.size(), false);
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (used[i]) continue;
    std::vector<Pair> chain{found[i]};
    used[i] = true;
    for (std::size_t k = i + 1; k < found.size(); ++k) {
      if (!used[k] && found[k].run == chain.back().run + 21 && chain.back().right) {
        chain.push_back(found[k]);
        used[k] = true;
      }
    }
    chains.push_back(std::move(chain));
  }
  std::stable_sort(chains.begin(), chains.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::vector<std::pair<int, int>> taken;  // element ranges of the pairs kept
  std::vector<std::vector<Pair>> runs;
  for (auto& chain : chains) {
    const int from = chain.front().run - 8, to = chain.back().run + 12;
    const bool overlaps =
        std::any_of(taken.begin(), taken.end(), [&](const auto& t) { return from <= t.second && t.first <= to; });
    if (overlaps) continue;
    taken.emplace_back(from, to);
    runs.push_back(std::move(chain));
  }
  return runs;
}

class BitReader {
 public:
  explicit BitReader(std::vector<bool> bits) : bits_(std::move(bits)) {}
  int left() const { return static_cast<int>(bits_.size()) - pos_; }
  int peek(int n) const {
    int v = 0;
    for (int i = 0; i < n; ++i) v = v * 2 + (pos_ + i < static_cast<int>(bits_.size()) && bits_[pos_ + i] ? 1 : 0);
    return v;
  }
  int read(int n) {
    const int v = peek(n);
    pos_ += n;
    return v;
  }

 private:
  std::vector<bool> bits_;
  int pos_ = 0;
};

std::string digits(int value, int width) {
  std::string s = std::to_string(value);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
  return s;
}

// "01" and the GTIN-14 whose first digit is `first` and whose next 12 digits are in 4 × 10 bits.
std::optional<std::string> compressed_gtin(BitReader& bits, int first) {
  std::string gtin = std::to_string(first);
  for (int i = 0; i < 4; ++i) {
    const int v = bits.read(10);
    if (v > 999) return std::nullopt;
    gtin += digits(v, 3);
  }
  gtin += gtin_check_digit(gtin);
  return "01" + gtin;
}

// The general-purpose field: numeric, alphanumeric and ISO/IEC 646 modes with their latches, FNC1 as
// the group separator. Nothing when it holds a bit pattern no encoder makes.
std::optional<std::string> general_field(BitReader& bits) {
  enum class Mode { kNumeric, kAlpha, kIso646 };
  Mode mode = Mode::kNumeric;
  std::string out;
  // Padding is the alphanumeric latch 00100 repeated, cut at the end.
  const auto padding = [&] {
    const int n = bits.left();
    if (mode == Mode::kNumeric) return n < 4;
    return n < 5 && bits.peek(n) == (0b00100 >> (5 - n));
  };
  // The 5-bit values shared by the alphanumeric and ISO/IEC 646 modes.
  const auto five_bits = [&] {
    const int v = bits.read(5);
    if (v == 4) {
      mode = mode == Mode::kAlpha ? Mode::kIso646 : Mode::kAlpha;
    } else if (v == 15) {
      out += kGs;  // FNC1, and back to numeric
      mode = Mode::kNumeric;
      // Some encoders (rssexpanded-1_10 in the photos) still write the numeric latch 000 after it;
      // numeric data never begins with 0000, so those bits can only be that latch.
      if (bits.left() >= 7 && bits.peek(7) < 8) bits.read(3);
    } else {
      out += static_cast<char>(v + 43);  // 5..14: digits
    }
  };
  while (bits.left() >= 3) {
    if (padding()) break;
    switch (mode) {
      case Mode::kNumeric:
        if (bits.left() < 7) {
          // A last lone digit in 4 bits (0 = none).
          const int v = bits.read(4);
          if (v > 10) return std::nullopt;
          if (v > 0) out += static_cast<char>('0' + v - 1);
        } else if (bits.peek(4) == 0) {
          bits.read(4);
          mode = Mode::kAlpha;
        } else {
          const int v = bits.read(7) - 8;
          const int a = v / 11, b = v % 11;
          if (a > 10) return std::nullopt;
          out += a < 10 ? static_cast<char>('0' + a) : kGs;
          out += b < 10 ? static_cast<char>('0' + b) : kGs;
        }
        break;
      case Mode::kAlpha:
        if (bits.peek(1) == 1) {
          const int v = bits.read(6);
          if (v < 58) {
            out += static_cast<char>(v + 33);  // 32..57: A..Z
          } else if (v < 63) {
            out += "*,-./"[v - 58];
          } else {
            return std::nullopt;
          }
        } else if (bits.peek(3) == 0) {
          bits.read(3);
          mode = Mode::kNumeric;
        } else {
          five_bits();
        }
        break;
      case Mode::kIso646: {
        if (bits.peek(3) == 0) {
          bits.read(3);
          mode = Mode::kNumeric;
          break;
        }
        const int v = bits.peek(5);
        if (v < 16) {
          five_bits();
        } else if (v < 29) {
          const int c = bits.read(7);  // 64..89: A..Z, 90..115: a..z
          out += static_cast<char>(c < 90 ? c + 1 : c + 7);
        } else {
          const int c = bits.read(8);
          if (c < 232 || c > 252) return std::nullopt;
          out += R"(!"%&'()*+,-./:;<=>?_ )"[c - 232];
        }
        break;
      }
    }
  }
  if (!out.empty() && out.back() == kGs) out.pop_back();
  return out;
}

// The element string the data characters' bits carry, by the symbol's encodation method.
std::optional<std::string> element_string_of(const std::vector<int>& data) {
  std::vector<bool> raw;
  for (int v : data) {
    for (int b = 11; b >= 0; --b) raw.push_back(((v >> b) & 1) != 0);
  }
  const int size = static_cast<int>(raw.size());
  BitReader bits(std::move(raw));
  bits.read(1);  // linkage flag: a 2D component above, which we do not read
  if (bits.peek(1) == 1) {
    // (01) and any AIs.
    bits.read(1 + 2);  // method, variable length field
    const int first = bits.read(4);
    if (first > 9) return std::nullopt;
    auto gtin = compressed_gtin(bits, first);
    auto rest = general_field(bits);
    if (!gtin || !rest) return std::nullopt;
    return *gtin + *rest;
  }
  if (bits.peek(2) == 0) {
    bits.read(2 + 2);
    return general_field(bits);
  }
  const int m4 = bits.peek(4);
  if (m4 == 4 || m4 == 5) {
    // (01) with indicator 9 and a weight: (3103) in kg, or (3202)/(3203) in lb.
    if (size != 60) return std::nullopt;
    bits.read(4);
    auto gtin = compressed_gtin(bits, 9);
    const int w = bits.read(15);
    if (!gtin) return std::nullopt;
    if (m4 == 4) return *gtin + "3103" + digits(w, 6);
    return w < 10000 ? *gtin + "3202" + digits(w, 6) : *gtin + "3203" + digits(w - 10000, 6);
  }
  const int m5 = bits.peek(5);
  if (m5 == 12 || m5 == 13) {
    // (01) with indicator 9 and an amount payable: (392x), or (393x) with its currency.
    bits.read(5 + 2);
    auto gtin = compressed_gtin(bits, 9);
    if (!gtin) return std::nullopt;
    std::string s = *gtin + (m5 == 12 ? "392" : "393") + std::to_string(bits.read(2));
    if (m5 == 13) {
      const int currency = bits.read(10);
      if (currency > 999) return std::nullopt;
      s += digits(currency, 3);
    }
    auto rest = general_field(bits);
    if (!rest) return std::nullopt;
    return s + *rest;
  }
  const int m7 = bits.read(7);
  if (m7 < 56 || m7 > 63 || size != 84) return std::nullopt;
  // (01) with indicator 9, a weight (310x kg / 320x lb) and a date (11, 13, 15, 17).
  auto gtin = compressed_gtin(bits, 9);
  if (!gtin) return std::nullopt;
  const int w = bits.read(20);
  if (w >= 1000000) return std::nullopt;
  std::string s = *gtin + ((m7 & 1) != 0 ? "320" : "310") + std::to_string(w / 100000) + digits(w % 100000, 6);
  const int date = bits.read(16);
  if (date != 38400) {
    if (date > 38400) return std::nullopt;
    static constexpr std::array<std::string_view, 4> kDateAi{"11", "13", "15", "17"};
    s += kDateAi[static_cast<std::size_t>((m7 - 56) / 2)];
    s += digits(date / 384, 2) + digits(date / 32 % 12 + 1, 2) + digits(date % 32, 2);
  }
  return s;
}

// The votes for one character place: values seen there, with their check shares and counts.
using Votes = std::map<int, std::pair<int, int>>;  // value -> (checksum, lines)

void vote(Votes& votes, const std::optional<Char>& c) {
  if (!c) return;
  auto& [checksum, count] = votes[c->value];
  checksum = c->checksum;
  ++count;
}

// Values of a place, most seen first.
std::vector<std::pair<int, int>> ranked(const Votes& votes) {
  std::vector<std::tuple<int, int, int>> all;  // count, value, checksum
  for (const auto& [value, vc] : votes) all.emplace_back(vc.second, value, vc.first);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  std::vector<std::pair<int, int>> out;
  for (const auto& [count, value, checksum] : all) out.emplace_back(value, checksum);
  return out;
}

// The symbol whose check character is `check`, put together from the pairs of all lines (`runs` of
// pairs that follow each other on a line), or nothing when its places are not all seen or the check fails.
std::optional<std::string> assemble(int check, const std::vector<std::vector<Pair>>& runs) {
  const int chars = check / 211 + 4;  // symbol characters, check character included
  if (chars < 4 || chars > 22) return std::nullopt;
  const int pairs = (chars + 1) / 2;
  const std::string_view seq = kSequences[static_cast<std::size_t>(pairs - 2)];
  const auto place = [&](const Pair& p) {
    for (int k = 0; k < pairs; ++k) {
      if (seq[static_cast<std::size_t>(k)] - 'A' == p.finder && ((k & 1) != 0) == p.mirrored) return k;
    }
    return -1;
  };
  // Index 2k: the left character of pair k; 2k+1 its right one. Place 0 is the check character.
  std::vector<Votes> votes(static_cast<std::size_t>(chars));
  for (const auto& run : runs) {
    // The pairs of a run must sit at consecutive places of this symbol; a line read the wrong way
    // round, or across another code, does not.
    std::vector<int> at;
    for (const Pair& p : run) at.push_back(place(p));
    bool fits = true;
    for (std::size_t i = 0; i < at.size(); ++i) {
      if (at[i] < 0 || (i > 0 && at[i] != at[i - 1] + 1)) fits = false;
    }
    if (!fits) continue;
    for (std::size_t i = 0; i < run.size(); ++i) {
      const auto k = static_cast<std::size_t>(at[i]);
      if (k > 0) vote(votes[2 * k], run[i].left);
      if (2 * k + 1 < votes.size()) vote(votes[2 * k + 1], run[i].right);
    }
  }
  std::vector<std::vector<std::pair<int, int>>> options;
  for (std::size_t i = 1; i < votes.size(); ++i) {
    options.push_back(ranked(votes[i]));
    if (options.back().empty()) return std::nullopt;
  }
  const auto checked = [&](const std::vector<std::size_t>& pick) -> std::optional<std::vector<int>> {
    int sum = 0;
    std::vector<int> data;
    for (std::size_t i = 0; i < options.size(); ++i) {
      sum += options[i][pick[i]].second;
      data.push_back(options[i][pick[i]].first);
    }
    if (211 * (chars - 4) + sum % 211 != check) return std::nullopt;
    return data;
  };
  // The most seen value at every place, then each place's runner-up alone.
  std::vector<std::size_t> pick(options.size(), 0);
  auto data = checked(pick);
  for (std::size_t i = 0; !data && i < options.size(); ++i) {
    if (options[i].size() < 2) continue;
    pick[i] = 1;
    data = checked(pick);
    pick[i] = 0;
  }
  if (!data) return std::nullopt;
  return element_string_of(*data);
}

}  // namespace

std::vector<std::string> decode_databar_expanded_lines(const cv::Mat& gray, bool rows, int step,
                                                       int* lines_with_pairs) {
  std::vector<std::string> out;
  if (lines_with_pairs) *lines_with_pairs = 0;
  if (gray.empty() || gray.type() != CV_8UC1) return out;
  const int lines = rows ? gray.rows : gray.cols;
  step = std::max(1, step);
  // The runs of pairs on line i, read both ways.
  const auto line_at = [&](int i) {
    cv::Mat line = rows ? gray.row(i) : gray.col(i).t();
    if (!line.isContinuous()) line = line.clone();
    bool first_dark = false;
    std::vector<float> w = run_widths(line, first_dark);
    std::vector<std::vector<Pair>> found = line_runs(w, first_dark);
    // Read backwards the line starts with its last run.
    if (w.size() % 2 == 0) first_dark = !first_dark;
    std::reverse(w.begin(), w.end());
    for (auto& run : line_runs(w, first_dark)) found.push_back(std::move(run));
    return found;
  };
  // Four lines spread over the image first: a symbol filling part of it crosses one, and its bars
  // show the same pair on the line next to it. When no pair is seen so twice (most crops, which hold
  // no DataBar; textures show a lone finder-and-characters shape now and then), nothing more is read.
  const auto same = [](const Pair& a, const Pair& b) {
    return a.finder == b.finder && a.mirrored == b.mirrored && a.left->value == b.left->value;
  };
  bool confirmed = false;
  for (const int eighth : {1, 3, 5, 7}) {
    const int i = lines * eighth / 8;
    const auto here = line_at(i);
    if (here.empty()) continue;
    const auto next = line_at(i + 2 < lines ? i + 2 : std::max(0, i - 2));
    for (const auto& run : here) {
      for (const Pair& p : run) {
        for (const auto& other : next) {
          confirmed = confirmed || std::any_of(other.begin(), other.end(), [&](const Pair& q) { return same(p, q); });
        }
      }
    }
    if (confirmed) break;
  }
  if (!confirmed) return out;
  std::vector<std::vector<Pair>> runs;
  std::map<int, int> checks;  // check character value -> lines
  for (int i = step / 2; i < lines; i += step) {
    auto found = line_at(i);
    if (lines_with_pairs && !found.empty()) ++*lines_with_pairs;
    for (auto& run : found) {
      for (const Pair& p : run) {
        if (p.finder == 0 && !p.mirrored && p.left) ++checks[p.left->value];
      }
      runs.push_back(std::move(run));
    }
  }
  std::vector<std::pair<int, int>> by_votes;
  for (const auto& [value, count] : checks) by_votes.emplace_back(count, value);
  std::sort(by_votes.rbegin(), by_votes.rend());
  // A few check characters at most: a misread one leads nowhere.
  for (std::size_t i = 0; i < by_votes.size() && i < 3; ++i) {
    auto text = assemble(by_votes[i].second, runs);
    if (text && std::find(out.begin(), out.end(), *text) == out.end()) out.push_back(std::move(*text));
  }
  return out;
}

std::vector<Detection> read_databar_expanded_lines(const cv::Mat& gray, bool rows, int step, int* lines_with_pairs) {
  std::vector<Detection> out;
  for (auto& text : decode_databar_expanded_lines(gray, rows, step, lines_with_pairs)) {
    if (auto d = validate_detection(Symbology::kDataBarExpanded, std::move(text))) out.push_back(std::move(*d));
  }
  return out;
}

}  // namespace kiosk::vision
