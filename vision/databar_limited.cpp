// GS1 DataBar Limited reader, ISO/IEC 24724: scan lines → bar/space widths → the 45 elements from the
// left guard bar → two data characters and the check character → GTIN.
#include "databar_limited.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/gtin.h"
#include "databar_widths.h"

namespace kiosk::vision {
namespace {

using databar::rss_value;
using databar::run_widths;

constexpr int kCharElements = 14;
constexpr int kCharModules = 26;
constexpr int kCheckModules = 18;
// Guard bar, left character, check character, right character, guard space and bar.
constexpr int kSymbolElements = 1 + 3 * kCharElements + 2;
constexpr int kSymbolModules = 1 + 2 * kCharModules + kCheckModules + 2;
// Each character holds 0..kCharValues - 1; the symbol holds left × kCharValues + right.
constexpr std::int64_t kCharValues = 2013571;
// The GTIN-14's first 13 digits must start with indicator 0 or 1.
constexpr std::int64_t kMaxSymbolValue = 1999999999999;

// A character's groups by its odd elements' module sum (Table 6): the odd elements' widest element,
// the count of even-element combinations, and the group's first value.
struct Group {
  int odd_modules;
  int odd_widest;
  int even_total;
  int first;
};
constexpr std::array<Group, 7> kGroups{{
    {17, 6, 28, 0},
    {13, 5, 728, 183064},
    {9, 3, 6454, 820064},
    {15, 5, 203, 1000776},
    {11, 4, 2408, 1491021},
    {19, 8, 1, 1979845},
    {7, 1, 16632, 1996939},
}};

// The 89 check character patterns (Annex C), element widths in modules, the check value's pattern at
// its index.
constexpr std::array<const char*, 89> kCheckPatterns{
    "11111111113311", "11111111123211", "11111111133111", "11111112113211", "11111112123111", "11111113113111",
    "11111211113211", "11111211123111", "11111212113111", "11111311113111", "11121111113211", "11121111123111",
    "11121112113111", "11121211113111", "11131111113111", "12111111113211", "12111111123111", "12111112113111",
    "12111211113111", "12121111113111", "13111111113111", "11111111212311", "11111111222211", "11111111232111",
    "11111112212211", "11111112222111", "11111113212111", "11111211212211", "11111211222111", "11111212212111",
    "11111311212111", "11121111212211", "11121111222111", "11121112212111", "11121211212111", "11131111212111",
    "12111111212211", "12111111222111", "12111112212111", "12111211212111", "12121111212111", "13111111212111",
    "11111111311311", "11111111321211", "11111112311211", "11121111311211", "12111111311211", "11111121112311",
    "11111121122211", "11111121132111", "11111122112211", "11121121112211", "11121121122111", "11121122112111",
    "11121221112111", "11131121112111", "12111121112211", "12111121122111", "12121121112111", "11112111112311",
    "11112111122211", "11112111132111", "11112112112211", "11112112122111", "11112211112211", "12112111112211",
    "12112111122111", "12112112112111", "12112211112111", "12122111112111", "13112111112111", "11211111112311",
    "11211111122211", "11211111132111", "11211112112211", "11211112122111", "11211113112111", "11211211112211",
    "11211211122111", "11221111112211", "21111111122211", "21111111132111", "21111112112211", "21111112122111",
    "21111113112111", "21111211122111", "21111212112111", "21121111122111", "21111111221211",
};

// A guard element may be this many modules off its 1X.
constexpr float kGuardTolerance = 0.7f;
// A character's module may differ from the symbol's by this fraction.
constexpr float kCharModuleTolerance = 0.25f;
// A check character element may be this many modules off its pattern.
constexpr float kCheckTolerance = 0.6f;
// Lines a symbol must read the same on to be reported.
constexpr int kMinLines = 2;

// Module counts of a data character's 14 widths: 26 in all, the odd (first, third, ...) elements'
// sum odd and so the even elements' too. The plain rounding, mended by moving the elements whose
// rounding went furthest the other way; nothing when that cannot mend it.
std::optional<std::array<int, kCharElements>> char_modules(const float* w) {
  float total = 0;
  for (int k = 0; k < kCharElements; ++k) total += w[k];
  if (total <= 0) return std::nullopt;
  const float module = total / static_cast<float>(kCharModules);
  std::array<int, kCharElements> n{};
  std::array<float, kCharElements> err{};
  for (int k = 0; k < kCharElements; ++k) {
    const float v = w[k] / module;
    n[static_cast<std::size_t>(k)] = std::clamp(static_cast<int>(std::lround(v)), 1, 8);
    err[static_cast<std::size_t>(k)] = v - static_cast<float>(n[static_cast<std::size_t>(k)]);
  }
  const auto half_sum = [&](int parity) {
    int s = 0;
    for (int k = parity; k < kCharElements; k += 2) s += n[static_cast<std::size_t>(k)];
    return s;
  };
  const auto bump = [&](int parity, int delta) {
    int best = -1;
    for (int k = parity; k < kCharElements; k += 2) {
      const auto i = static_cast<std::size_t>(k);
      if (n[i] + delta < 1 || n[i] + delta > 8) continue;
      if (best < 0 ||
          err[i] * static_cast<float>(delta) > err[static_cast<std::size_t>(best)] * static_cast<float>(delta))
        best = k;
    }
    if (best < 0) return false;
    n[static_cast<std::size_t>(best)] += delta;
    err[static_cast<std::size_t>(best)] -= static_cast<float>(delta);
    return true;
  };
  const int odd = half_sum(0), even = half_sum(1);
  const bool odd_ok = (odd & 1) != 0;
  bool ok = true;
  switch (odd + even - kCharModules) {
    case 0:
      if (!odd_ok) {
        // Both halves even: one module went to the wrong half; move it where the rounding was closest.
        float up_odd = -1e9f, up_even = -1e9f;
        for (int k = 0; k < kCharElements; ++k) {
          auto& best = (k & 1) == 0 ? up_odd : up_even;
          best = std::max(best, err[static_cast<std::size_t>(k)]);
        }
        ok = up_odd > up_even ? bump(0, 1) && bump(1, -1) : bump(1, 1) && bump(0, -1);
      }
      break;
    case 1:
      ok = odd_ok ? bump(1, -1) : bump(0, -1);
      break;
    case -1:
      ok = odd_ok ? bump(1, 1) : bump(0, 1);
      break;
    default:
      return std::nullopt;
  }
  if (!ok || (half_sum(0) & 1) == 0 || (half_sum(1) & 1) == 0) return std::nullopt;
  return n;
}

// A data character's value (0..kCharValues - 1) from its module counts.
std::optional<int> char_value(const std::array<int, kCharElements>& n) {
  std::array<int, 7> odd{}, even{};
  for (std::size_t k = 0; k < 7; ++k) {
    odd[k] = n[2 * k];
    even[k] = n[2 * k + 1];
  }
  int odd_sum = 0;
  for (int v : odd) odd_sum += v;
  const auto g = std::find_if(kGroups.begin(), kGroups.end(), [&](const Group& x) { return x.odd_modules == odd_sum; });
  if (g == kGroups.end()) return std::nullopt;
  const int even_widest = 9 - g->odd_widest;
  if (*std::max_element(odd.begin(), odd.end()) > g->odd_widest) return std::nullopt;
  if (*std::max_element(even.begin(), even.end()) > even_widest) return std::nullopt;
  // Limited's even elements are never all wider than one module (Table 6's even counts leave those out).
  if (*std::min_element(even.begin(), even.end()) > 1) return std::nullopt;
  const std::int64_t v_odd = rss_value(odd, g->odd_widest, false);
  const std::int64_t v_even = rss_value(even, even_widest, true);
  if (v_even < 0 || v_even >= g->even_total || v_odd < 0) return std::nullopt;
  const std::int64_t value = v_odd * g->even_total + v_even + g->first;
  const auto next = g + 1;
  const std::int64_t end = next == kGroups.end() ? kCharValues : next->first;
  if (value >= end) return std::nullopt;
  return static_cast<int>(value);
}

// 3^k mod 89: the check weight of element k of the data characters, left character's first element
// first.
int weight(int k) {
  int v = 1;
  for (int i = 0; i < k; ++i) v = v * 3 % 89;
  return v;
}

bool near(float width, float module, float modules, float tolerance) {
  return std::abs(width / module - modules) <= tolerance;
}

// The GTIN-14 of a symbol whose guard bar is run `j` of line `w` (read in this direction), if the
// symbol there reads whole and its check character agrees.
std::optional<std::string> read_symbol(const std::vector<float>& w, const std::vector<float>& prefix, int j) {
  const auto sum = [&](int from, int count) {
    return prefix[static_cast<std::size_t>(from + count)] - prefix[static_cast<std::size_t>(from)];
  };
  const float module = sum(j, kSymbolElements) / static_cast<float>(kSymbolModules);
  if (module <= 0) return std::nullopt;
  const auto at = [&](int k) { return w[static_cast<std::size_t>(k)]; };
  if (!near(at(j), module, 1, kGuardTolerance) || !near(at(j + 43), module, 1, kGuardTolerance) ||
      !near(at(j + 44), module, 1, kGuardTolerance) || at(j - 1) < 0.5f * module) {
    return std::nullopt;
  }
  const int left_at = j + 1, check_at = j + 1 + kCharElements, right_at = j + 1 + 2 * kCharElements;
  for (const auto& [from, modules] :
       {std::pair{left_at, kCharModules}, std::pair{check_at, kCheckModules}, std::pair{right_at, kCharModules}}) {
    const float m = sum(from, kCharElements) / static_cast<float>(modules);
    if (std::abs(m - module) > kCharModuleTolerance * module) return std::nullopt;
  }
  const auto left = char_modules(&w[static_cast<std::size_t>(left_at)]);
  if (!left) return std::nullopt;
  const auto right = char_modules(&w[static_cast<std::size_t>(right_at)]);
  if (!right) return std::nullopt;
  const auto left_value = char_value(*left);
  const auto right_value = char_value(*right);
  if (!left_value || !right_value) return std::nullopt;
  static const std::array<int, 2 * kCharElements> kWeights = [] {
    std::array<int, 2 * kCharElements> a{};
    for (int k = 0; k < 2 * kCharElements; ++k) a[static_cast<std::size_t>(k)] = weight(k);
    return a;
  }();
  int check = 0;
  for (std::size_t k = 0; k < kCharElements; ++k) {
    check += (*left)[k] * kWeights[k] + (*right)[k] * kWeights[kCharElements + k];
  }
  check %= 89;
  const char* pattern = kCheckPatterns[static_cast<std::size_t>(check)];
  const float check_module = sum(check_at, kCharElements) / static_cast<float>(kCheckModules);
  for (int k = 0; k < kCharElements; ++k) {
    if (!near(at(check_at + k), check_module, static_cast<float>(pattern[k] - '0'), kCheckTolerance)) {
      return std::nullopt;
    }
  }
  const std::int64_t value = static_cast<std::int64_t>(*left_value) * kCharValues + *right_value;
  if (value > kMaxSymbolValue) return std::nullopt;
  std::string digits = std::to_string(value);
  digits.insert(0, 13 - digits.size(), '0');
  digits += gtin_check_digit(digits);
  return digits;
}

// The GTIN-14s of the symbols on one line, read both ways.
std::vector<std::string> read_line(const cv::Mat& gray, bool rows, int i) {
  std::vector<std::string> out;
  cv::Mat line = rows ? gray.row(i) : gray.col(i).t();
  if (!line.isContinuous()) line = line.clone();
  bool first_dark = false;
  std::vector<float> w = run_widths(line, first_dark);
  const int m = static_cast<int>(w.size());
  if (m < kSymbolElements + 2) return out;
  std::vector<float> prefix(w.size() + 1);
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      // Read backwards the line starts with its last run.
      if (w.size() % 2 == 0) first_dark = !first_dark;
      std::reverse(w.begin(), w.end());
    }
    for (std::size_t k = 0; k < w.size(); ++k) prefix[k + 1] = prefix[k] + w[k];
    // The guard bar has a space before it and the symbol's last bar a run after it (the line's end
    // runs are cut off).
    for (int j = first_dark ? 2 : 1; j + kSymbolElements < m; j += 2) {
      if (auto gtin = read_symbol(w, prefix, j)) out.push_back(std::move(*gtin));
    }
  }
  return out;
}

}  // namespace

std::vector<Detection> read_databar_limited_lines(const cv::Mat& gray, bool rows, int step) {
  std::vector<Detection> out;
  if (gray.empty() || gray.type() != CV_8UC1) return out;
  const int lines = rows ? gray.rows : gray.cols;
  step = std::max(1, step);
  // Four lines spread over the image first: a symbol filling part of it crosses one. When none reads
  // a symbol (most crops hold none), nothing more is read.
  bool seen = false;
  for (const int eighth : {1, 3, 5, 7}) {
    if (!read_line(gray, rows, lines * eighth / 8).empty()) {
      seen = true;
      break;
    }
  }
  if (!seen) return out;
  std::map<std::string, int> votes;  // GTIN-14 -> lines it read on
  for (int i = step / 2; i < lines; i += step) {
    for (const auto& gtin : read_line(gray, rows, i)) ++votes[gtin];
  }
  // One symbol per crop: the GTIN most lines read, when it read on enough and no other as often.
  const std::string* best = nullptr;
  int best_votes = 0, runner_up = 0;
  for (const auto& [gtin, n] : votes) {
    if (n > best_votes) {
      runner_up = best_votes;
      best_votes = n;
      best = &gtin;
    } else {
      runner_up = std::max(runner_up, n);
    }
  }
  if (best == nullptr || best_votes < kMinLines || runner_up == best_votes) return out;
  if (auto d = validate_detection(Symbology::kDataBar, "01" + *best)) out.push_back(std::move(*d));
  return out;
}

}  // namespace kiosk::vision
