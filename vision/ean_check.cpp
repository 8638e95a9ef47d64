#include "ean_check.h"

#include <algorithm>
#include <array>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "common/gtin.h"
#include "decoder.h"
#include "ean_patterns.h"

namespace kiosk::vision {
namespace {

struct Run {
  double width;  // px
  bool dark;
};

// UPC-E with number system 0: the parity of its six digits per check digit (1 = G / even); number
// system 1 is the complement.
constexpr int kUpceParity[10] = {0b111000, 0b110100, 0b110010, 0b110001, 0b101100,
                                 0b100110, 0b100011, 0b101010, 0b101001, 0b100101};

}  // namespace

std::vector<float> scan_line_profile(const cv::Mat& gray, bool along_rows, int line) {
  const int n = along_rows ? gray.cols : gray.rows;
  const int lines = along_rows ? gray.rows : gray.cols;
  std::vector<float> p(static_cast<std::size_t>(n), 0.0f);
  if (line < 0 || line >= lines) return {};
  int used = 0;
  for (int l = std::max(0, line - 1); l <= std::min(lines - 1, line + 1); ++l, ++used) {
    for (int i = 0; i < n; ++i) {
      p[static_cast<std::size_t>(i)] += along_rows ? gray.at<std::uint8_t>(l, i) : gray.at<std::uint8_t>(i, l);
    }
  }
  for (auto& v : p) v /= static_cast<float>(used);
  return p;
}

namespace {

// The minimum and maximum of `p` over [i - half, i + half] for every i (monotonic queues: linear time,
// where an OpenCV erode/dilate per scan line cost more than the rest of the reading). The queues are
// plain arrays, each index entering once: std::deque cost a third of a whole-image reading.
void sliding_extremes(const std::vector<float>& p, int half, std::vector<float>& lo, std::vector<float>& hi) {
  const int n = static_cast<int>(p.size());
  lo.assign(p.size(), 0.0f);
  hi.assign(p.size(), 0.0f);
  std::vector<int> qmin(p.size()), qmax(p.size());
  int min_head = 0, min_tail = 0, max_head = 0, max_tail = 0;  // [head, tail) in use
  int next = 0;                                                // next index to enter the window
  const float* v = p.data();
  for (int i = 0; i < n; ++i) {
    for (; next < n && next <= i + half; ++next) {
      while (min_tail > min_head && v[qmin[static_cast<std::size_t>(min_tail - 1)]] >= v[next]) --min_tail;
      while (max_tail > max_head && v[qmax[static_cast<std::size_t>(max_tail - 1)]] <= v[next]) --max_tail;
      qmin[static_cast<std::size_t>(min_tail++)] = next;
      qmax[static_cast<std::size_t>(max_tail++)] = next;
    }
    while (qmin[static_cast<std::size_t>(min_head)] < i - half) ++min_head;
    while (qmax[static_cast<std::size_t>(max_head)] < i - half) ++max_head;
    lo[static_cast<std::size_t>(i)] = v[qmin[static_cast<std::size_t>(min_head)]];
    hi[static_cast<std::size_t>(i)] = v[qmax[static_cast<std::size_t>(max_head)]];
  }
}

// The maximum of `p` over [i - half, i + half] for every i, as sliding_extremes.
std::vector<float> sliding_max(const std::vector<float>& p, int half) {
  const int n = static_cast<int>(p.size());
  std::vector<float> hi(p.size(), 0.0f);
  std::vector<int> q(p.size());
  int head = 0, tail = 0, next = 0;
  const float* v = p.data();
  for (int i = 0; i < n; ++i) {
    for (; next < n && next <= i + half; ++next) {
      while (tail > head && v[q[static_cast<std::size_t>(tail - 1)]] <= v[next]) --tail;
      q[static_cast<std::size_t>(tail++)] = next;
    }
    while (q[static_cast<std::size_t>(head)] < i - half) ++head;
    hi[static_cast<std::size_t>(i)] = v[q[static_cast<std::size_t>(head)]];
  }
  return hi;
}

// Dark and light runs along `p`, split where it crosses the mid-range of its neighbourhood (sub-pixel).
// Where the neighbourhood is flat (a quiet zone, a plain background) the colour does not change.
std::vector<Run> runs_of(const std::vector<float>& p) {
  const int n = static_cast<int>(p.size());
  if (n < 30) return {};
  const int half = std::max(6, n / 12);  // a window of several modules across any code on the line
  std::vector<float> lo_v, hi_v;
  sliding_extremes(p, half, lo_v, hi_v);
  float range = 0;
  for (int i = 0; i < n; ++i)
    range = std::max(range, hi_v[static_cast<std::size_t>(i)] - lo_v[static_cast<std::size_t>(i)]);
  if (range < 20.0f) return {};
  std::vector<double> edges;
  std::vector<bool> dark_after;
  bool dark = false;
  bool known = false;
  double prev_d = 0;
  for (int i = 0; i < n; ++i) {
    const float t = (lo_v[static_cast<std::size_t>(i)] + hi_v[static_cast<std::size_t>(i)]) / 2;
    const double d = p[static_cast<std::size_t>(i)] - t;
    if (hi_v[static_cast<std::size_t>(i)] - lo_v[static_cast<std::size_t>(i)] >= 0.35f * range) {
      const bool now = d < 0;
      if (!known) {
        known = true;
        dark = now;
        edges.push_back(0);
        dark_after.push_back(dark);
      } else if (now != dark) {
        const double frac = (i > 0 && prev_d != d) ? prev_d / (prev_d - d) : 0.5;
        edges.push_back(i - 1 + std::clamp(frac, 0.0, 1.0));
        dark = now;
        dark_after.push_back(dark);
      }
    }
    prev_d = d;
  }
  std::vector<Run> runs;
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const double end = e + 1 < edges.size() ? edges[e + 1] : n;
    runs.push_back({end - edges[e], dark_after[e]});
  }
  return runs;
}

// Dark and light runs along `p` between its edges: the peaks of its slope, placed to a fraction of a
// pixel, light-to-dark and dark-to-light in turn. A second binarisation for bars the mid-range one
// loses: thin bars printed or blurred grey (they never cross the mid-range of their neighbourhood,
// upca-4_14) and bars under glare. A peak counts when it is steep against the steepest slope nearby
// (a quarter) and on the whole line; of two peaks in a row of one direction the steeper is kept.
std::vector<Run> runs_by_edges(const std::vector<float>& p) {
  const int n = static_cast<int>(p.size());
  if (n < 30) return {};
  std::vector<float> slope(p.size(), 0.0f), mag(p.size(), 0.0f);
  float steepest = 0;
  for (std::size_t i = 1; i + 1 < p.size(); ++i) {
    slope[i] = (p[i + 1] - p[i - 1]) / 2;
    mag[i] = std::abs(slope[i]);
    steepest = std::max(steepest, mag[i]);
  }
  if (steepest < 8.0f) return {};  // grey levels per px: nothing that could be a printed edge
  const std::vector<float> hi = sliding_max(mag, std::max(6, n / 12));
  std::vector<double> at;
  std::vector<bool> falling;  // light to dark
  std::vector<float> strength;
  for (std::size_t i = 1; i + 1 < p.size(); ++i) {
    const float m = mag[i];
    if (m < std::max({3.0f, 0.25f * hi[i], 0.06f * steepest}) || m < mag[i - 1] || m <= mag[i + 1]) continue;
    // The peak of a parabola through the slope's magnitude at i - 1, i, i + 1.
    const double a = mag[i - 1], c = mag[i + 1], den = a - 2.0 * m + c;
    const double x = static_cast<double>(i) + (den < 0 ? std::clamp(0.5 * (a - c) / den, -0.5, 0.5) : 0.0);
    const bool f = slope[i] < 0;
    if (!at.empty() && falling.back() == f) {
      if (m > strength.back()) {
        at.back() = x;
        strength.back() = m;
      }
      continue;
    }
    at.push_back(x);
    falling.push_back(f);
    strength.push_back(m);
  }
  std::vector<Run> runs;
  if (at.empty()) return runs;
  runs.push_back({at.front(), !falling.front()});
  for (std::size_t e = 0; e < at.size(); ++e) {
    const double end = e + 1 < at.size() ? at[e + 1] : n;
    runs.push_back({end - at[e], static_cast<bool>(falling[e])});
  }
  return runs;
}

// Dark and light runs along `p` split at one threshold for the whole line, midway between the two
// darkest grey levels that each cover a twentieth of it at least: the bars' and the spaces'. A third
// binarisation, for a faint label on a brighter surround, which a threshold over the neighbourhood
// calls dark (the surround being in the neighbourhood), and which a histogram's two highest peaks
// miss (they are the spaces' and the surround's).
std::vector<Run> runs_by_histogram(const std::vector<float>& p) {
  const int n = static_cast<int>(p.size());
  if (n < 30) return {};
  constexpr int kBuckets = 32;           // of 8 grey levels
  std::array<int, kBuckets + 2> hist{};  // one empty bucket either side
  for (float v : p) ++hist[static_cast<std::size_t>(std::clamp(static_cast<int>(v) / 8, 0, kBuckets - 1) + 1)];
  std::array<int, kBuckets + 2> smooth{};
  for (std::size_t b = 1; b <= kBuckets; ++b) smooth[b] = hist[b - 1] + 2 * hist[b] + hist[b + 1];
  std::vector<int> peaks;  // bucket indices, darkest first
  for (std::size_t b = 1; b <= kBuckets && peaks.size() < 2; ++b) {
    if (smooth[b] >= smooth[b - 1] && smooth[b] > smooth[b + 1] && smooth[b] >= 4 * n / 20) {
      peaks.push_back(static_cast<int>(b) - 1);
    }
  }
  if (peaks.size() < 2 || peaks[1] - peaks[0] < 3) return {};  // under 24 grey levels apart: no bars
  const auto t = static_cast<float>((peaks[0] + peaks[1]) * 4 + 4);
  std::vector<Run> runs;
  double edge = 0;
  bool dark = p[0] < t;
  for (int i = 1; i < n; ++i) {
    const bool now = p[static_cast<std::size_t>(i)] < t;
    if (now == dark) continue;
    const double a = p[static_cast<std::size_t>(i - 1)] - t, b = p[static_cast<std::size_t>(i)] - t;
    const double x = i - 1 + (a != b ? a / (a - b) : 0.5);
    runs.push_back({x - edge, dark});
    edge = x;
    dark = now;
  }
  runs.push_back({n - edge, dark});
  return runs;
}

struct Layout {
  Symbology symbology;
  int runs;                      // runs from the first bar to the last
  int modules;                   // modules over the same span
  std::vector<int> guards;       // indices of 1-module guard elements
  std::vector<int> left, right;  // first run of each digit (left: space first; right: bar first)
};

const std::array<Layout, 3>& layouts() {
  static const std::array<Layout, 3> kLayouts = [] {
    Layout ean13{Symbology::kEan13, 59, 95, {0, 1, 2, 27, 28, 29, 30, 31, 56, 57, 58}, {}, {}};
    for (int k = 0; k < 6; ++k) {
      ean13.left.push_back(3 + 4 * k);
      ean13.right.push_back(32 + 4 * k);
    }
    Layout ean8{Symbology::kEan8, 43, 67, {0, 1, 2, 19, 20, 21, 22, 23, 40, 41, 42}, {}, {}};
    for (int k = 0; k < 4; ++k) {
      ean8.left.push_back(3 + 4 * k);
      ean8.right.push_back(24 + 4 * k);
    }
    Layout upce{Symbology::kUpcE, 33, 51, {0, 1, 2, 27, 28, 29, 30, 31, 32}, {}, {}};
    for (int k = 0; k < 6; ++k) upce.left.push_back(3 + 4 * k);
    return std::array<Layout, 3>{ean13, ean8, upce};
  }();
  return kLayouts;
}

// The best digit for the four runs from `at`, corrected for `spread` px (bars measured wider by it,
// spaces narrower); `left`: L and G codes (parity set for G), else R codes. -1 when no pattern fits
// clearly.
int match_digit(const std::vector<Run>& runs, std::size_t at, double spread, bool left, bool& even) {
  double sum = 0;
  for (std::size_t j = 0; j < 4; ++j) sum += runs[at + j].width;
  const double w = sum / 7;  // the spread cancels over two bars and two spaces
  if (w <= 0) return -1;
  double e[4];
  for (std::size_t j = 0; j < 4; ++j) {
    const Run& r = runs[at + j];
    e[j] = (r.width + (r.dark ? -spread : spread)) / w;
  }
  double best = 1e9, second = 1e9;
  int digit = -1;
  bool best_even = false;
  for (int g = 0; g < (left ? 2 : 1); ++g) {
    for (int d = 0; d < 10; ++d) {
      double err = 0;
      for (int j = 0; j < 4; ++j) {
        const double x = e[j] - kEanWidths[d][g ? 3 - j : j];
        err += x * x;
      }
      if (err < best) {
        second = best;
        best = err;
        digit = d;
        best_even = g == 1;
      } else if (err < second) {
        second = err;
      }
    }
  }
  // About half a module off on up to three elements, and clearly nearer than any other pattern
  // (tuned on the test photos: no line of them reads a wrong code at these limits).
  if (best > 0.9 || second - best < 0.4) return -1;
  even = best_even;
  return digit;
}

// Whether the profile `p` is flat and light over [from, to) px, against the levels of the code over
// [code_from, code_to): a quiet zone by what it holds (no bars) rather than by the colour a
// binarisation gave it. Shading beside a faint code (a light label on a lighter surround,
// upce-3_04) makes a threshold call the label's margin dark.
bool flat_light(const std::vector<float>& p, double from, double to, double code_from, double code_to) {
  const auto n = static_cast<double>(p.size());
  if (from < 0 || to > n || code_from < 0 || code_to > n || to - from < 2) return false;
  const auto range_of = [&](double a, double b) {
    float lo = 255, hi = 0;
    for (auto i = static_cast<std::size_t>(a); i < static_cast<std::size_t>(b); ++i) {
      lo = std::min(lo, p[i]);
      hi = std::max(hi, p[i]);
    }
    return std::pair{lo, hi};
  };
  const auto [code_lo, code_hi] = range_of(code_from, code_to);
  const auto [lo, hi] = range_of(from, to);
  return code_hi - code_lo >= 20 && hi - lo <= 0.25f * (code_hi - code_lo) && lo >= (code_lo + code_hi) / 2;
}

// `p` and `xs`: the profile the runs came from, for quiet zones the runs do not show, and where each
// run starts on it (px; one more entry for the end).
std::optional<BarRead> decode_at(const std::vector<Run>& runs, std::size_t at, const Layout& l,
                                 const std::vector<float>& p, const std::vector<double>& xs) {
  const auto n = static_cast<std::size_t>(l.runs);
  if (at == 0 || at + n >= runs.size() || !runs[at].dark) return std::nullopt;
  const double x = xs[at], total = xs[at + n] - x;
  const double module = total / l.modules;
  if (module < 0.8) return std::nullopt;
  // Quiet zones: light runs of at least 5 modules before and after (no element inside a code is wider
  // than 4; the standard asks for 7 to 11, which tightly cropped photos do not always keep).
  // At the image's edge (a strip cut tight, ean13-1__526) whatever margin is left counts for an
  // EAN-13 or EAN-8: the image holds nothing beyond it that the code could be part of.
  // So does a margin of 2.5 modules with nothing but one dark run after it up to the edge: the
  // background beside a label cut out tightly (ean13-1__526).
  const bool edge_ok = l.symbology != Symbology::kUpcE;
  const auto quiet = [&](std::size_t i) {
    const bool edge = i == 0 || i + 1 == runs.size();
    const bool before_edge = i == 1 || i + 2 == runs.size();
    return runs[i].width >= 5 * module || (edge && edge_ok && runs[i].width >= 0.5 * module) ||
           (before_edge && edge_ok && runs[i].width >= 2.5 * module);
  };
  double bars = 0, spaces = 0;
  int nb = 0, ns = 0;
  for (int g : l.guards) {
    const Run& r = runs[at + static_cast<std::size_t>(g)];
    (r.dark ? bars : spaces) += r.width;
    (r.dark ? nb : ns) += 1;
  }
  bars /= nb;
  spaces /= ns;
  const double spread = (bars - spaces) / 2;
  const double guard_module = (bars + spaces) / 2;
  if (guard_module < 0.6 * module || guard_module > 1.5 * module) return std::nullopt;
  for (int g : l.guards) {
    const Run& r = runs[at + static_cast<std::size_t>(g)];
    const double m = (r.width + (r.dark ? -spread : spread)) / module;
    if (m < 0.5 || m > 1.6) return std::nullopt;
  }
  // The quiet zones last: judging one by the profile costs a pass over the code's pixels.
  const auto flat = [&](bool before) {
    const double end = x + total;
    return before ? flat_light(p, x - 5 * module, x - 0.5 * module, x, end)
                  : flat_light(p, end + 0.5 * module, end + 5 * module, x, end);
  };
  if (!(quiet(at - 1) || flat(true)) || !(quiet(at + n) || flat(false))) return std::nullopt;
  std::string digits;
  int parity = 0;
  for (int first : l.left) {
    bool even = false;
    const int d = match_digit(runs, at + static_cast<std::size_t>(first), spread, true, even);
    if (d < 0) return std::nullopt;
    digits += static_cast<char>('0' + d);
    parity = (parity << 1) | (even ? 1 : 0);
  }
  for (int first : l.right) {
    bool even = false;
    const int d = match_digit(runs, at + static_cast<std::size_t>(first), spread, false, even);
    if (d < 0) return std::nullopt;
    digits += static_cast<char>('0' + d);
  }
  BarRead out{l.symbology, {}, {}};
  if (l.symbology == Symbology::kEan13) {
    const int* first = std::find(std::begin(kEan13Parity), std::end(kEan13Parity), parity);
    if (first == std::end(kEan13Parity)) return std::nullopt;
    out.digits = static_cast<char>('0' + (first - std::begin(kEan13Parity))) + digits;
  } else if (l.symbology == Symbology::kEan8) {
    if (parity != 0) return std::nullopt;
    out.digits = digits;
  } else {
    int system = -1, check = -1;
    for (int c = 0; c < 10; ++c) {
      if (parity == kUpceParity[c]) system = 0, check = c;
      if (parity == (~kUpceParity[c] & 0x3f)) system = 1, check = c;
    }
    if (system < 0) return std::nullopt;
    out.digits = static_cast<char>('0' + system) + digits + static_cast<char>('0' + check);
  }
  if (!normalize_gtin(out.digits, l.symbology == Symbology::kUpcE)) return std::nullopt;
  return out;
}

// EAN-5's parity (1 = G) per checksum, first digit in bit 4; EAN-2's per value mod 4.
constexpr int kEan5Parity[10] = {0b11000, 0b10100, 0b10010, 0b10001, 0b01100,
                                 0b00110, 0b00011, 0b01010, 0b01001, 0b00101};
constexpr int kEan2Parity[4] = {0b00, 0b01, 0b10, 0b11};

// The add-on starting at run `at` (its first bar) after a gap of `gap` px, or empty: guard 1011,
// then digits (L or G codes) separated by 01, with `module` px per module from the main symbol.
std::string addon_at(const std::vector<Run>& runs, std::size_t at, double gap, double module) {
  // The standard gap is 7 to 12 modules; printers squeeze it (ean13-extension-1_38: 4.5).
  if (gap < 3 * module || gap > 16 * module) return {};
  for (const int count : {5, 2}) {
    const std::size_t n = 3 + 4 * static_cast<std::size_t>(count) + 2 * static_cast<std::size_t>(count - 1);
    if (at + n >= runs.size() || !runs[at].dark) continue;
    double total = 0;
    for (std::size_t j = 0; j < n; ++j) total += runs[at + j].width;
    const double m = total / (4 + 7 * count + 2 * (count - 1));
    // Little room after it is checked: labels end close to an add-on (ean13-extension-1_38); its
    // parity, checked below, keeps stray bars out.
    if (m < 0.6 * module || m > 1.6 * module || runs[at + n].width < 1.5 * m) continue;
    // Guard bar 1, space 1, bar 2: the spread from them as for the main symbol.
    const double spread = (runs[at].width + runs[at + 2].width / 2 - 2 * runs[at + 1].width) / 4;
    std::string digits;
    int parity = 0;
    bool ok = true;
    for (int k = 0; k < count && ok; ++k) {
      const std::size_t first = at + 3 + 6 * static_cast<std::size_t>(k);
      bool even = false;
      const int d = match_digit(runs, first, spread, true, even);
      ok = d >= 0;
      digits += static_cast<char>('0' + std::max(d, 0));
      parity = (parity << 1) | (even ? 1 : 0);
    }
    if (!ok) continue;
    if (count == 5) {
      int sum = 0;
      for (int k = 0; k < 5; ++k) sum += (digits[static_cast<std::size_t>(k)] - '0') * (k % 2 == 0 ? 3 : 9);
      if (kEan5Parity[sum % 10] != parity) continue;
    } else if (kEan2Parity[std::stoi(digits) % 4] != parity) {
      continue;
    }
    return digits;
  }
  return {};
}

// The codes on `runs` of profile `p` (reversed: the runs and `p` both read from the far end).
void read_runs(const std::vector<Run>& runs, const std::vector<float>& p, std::vector<BarRead>& out) {
  std::vector<double> xs(runs.size() + 1, 0.0);  // px where each run starts
  for (std::size_t i = 0; i < runs.size(); ++i) xs[i + 1] = xs[i] + runs[i].width;
  for (const Layout& l : layouts()) {
    for (std::size_t at = 1; at + static_cast<std::size_t>(l.runs) < runs.size(); ++at) {
      auto r = decode_at(runs, at, l, p, xs);
      if (!r) continue;
      const auto end = at + static_cast<std::size_t>(l.runs);  // the light run after the symbol
      if (l.symbology == Symbology::kEan13) {
        double total = 0;
        for (std::size_t j = at; j < end; ++j) total += runs[j].width;
        r->addon = addon_at(runs, end + 1, runs[end].width, total / l.modules);
      }
      const bool dup = std::any_of(out.begin(), out.end(), [&](const BarRead& o) {
        return o.symbology == r->symbology && o.digits == r->digits && o.addon == r->addon;
      });
      if (!dup) out.push_back(std::move(*r));
      at += static_cast<std::size_t>(l.runs) - 1;
    }
  }
}

}  // namespace

std::vector<BarRead> read_ean_line(const cv::Mat& gray, bool along_rows, int line) {
  std::vector<BarRead> out;
  if (gray.empty() || gray.type() != CV_8UC1) return out;
  const auto profile = scan_line_profile(gray, along_rows, line);
  std::vector<float> backwards;
  // Each binarisation only when the ones before read nothing.
  for (const auto binarise : {&runs_of, &runs_by_edges, &runs_by_histogram}) {
    auto runs = binarise(profile);
    if (runs.size() < 35) continue;
    read_runs(runs, profile, out);
    if (backwards.empty()) backwards.assign(profile.rbegin(), profile.rend());
    std::reverse(runs.begin(), runs.end());  // a code upside down
    read_runs(runs, backwards, out);
    if (!out.empty()) break;
  }
  return out;
}

std::vector<Detection> read_ean_lines(const cv::Mat& gray, bool along_rows, int step, int min_lines) {
  std::vector<Detection> out;
  if (gray.empty() || gray.type() != CV_8UC1 || step < 1) return out;
  std::vector<std::pair<BarRead, int>> tally;
  const int lines = along_rows ? gray.rows : gray.cols;
  for (int l = step / 2; l < lines; l += step) {
    for (auto& r : read_ean_line(gray, along_rows, l)) {
      auto it = std::find_if(tally.begin(), tally.end(), [&](const auto& t) {
        return t.first.symbology == r.symbology && t.first.digits == r.digits && t.first.addon == r.addon;
      });
      if (it == tally.end()) {
        tally.emplace_back(std::move(r), 1);
      } else {
        ++it->second;
      }
    }
  }
  for (auto& [r, n] : tally) {
    if (n < min_lines) continue;
    // The same code with an add-on read on enough lines: the lines without it missed the add-on.
    if (r.addon.empty() && std::any_of(tally.begin(), tally.end(), [&](const auto& t) {
          return t.second >= min_lines && !t.first.addon.empty() && t.first.symbology == r.symbology &&
                 t.first.digits == r.digits;
        })) {
      continue;
    }
    // EAN-13 with a leading 0 is a UPC-A: reported as ZBar reports it, 12 digits.
    const bool upca = r.symbology == Symbology::kEan13 && r.digits.front() == '0';
    auto d = validate_detection(upca ? Symbology::kUpcA : r.symbology, upca ? r.digits.substr(1) : r.digits);
    if (!d) continue;
    d->addon = r.addon;
    out.push_back(std::move(*d));
  }
  return out;
}

}  // namespace kiosk::vision
