#include "ean_fit.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "cpu_time.h"
#include "ean_check.h"
#include "ean_patterns.h"

namespace kiosk::vision {
namespace {

constexpr int kModules = 95;
// Modules of quiet zone modelled outside the guards (the standard asks 11 and 7; photos crop them).
constexpr int kQuiet = 5;
// A line's fit is accepted when each guard correlates at least this well with its pattern, the
// digits on average this well, no digit worse than the floor, and the best valid code's summed
// correlation beats the next valid code's by the margin (measured on the test photos and on rendered
// codes blurred until the fit fails: wrong codes came with margins under 0.3).
constexpr double kMinGuard = 0.5;
constexpr double kMinMeanDigit = 0.6;
constexpr double kMinDigit = 0.2;
constexpr double kMinMargin = 0.3;
// A weak read (margin between this and kMinMargin: glare or blur over a few digits) counts only when
// kMinWeakLines lines agree on it, one of them a clear read, and no other code is read on more than
// one line. Wrong codes came with margins up to 0.14, each line a different one, or, on a bent
// rendered code with every line weak, one wrong code on five lines.
constexpr double kMinWeakMargin = 0.145;
constexpr int kMinWeakLines = 5;
// Modules of quiet zone a candidate needs either side (fewer than the standard's, for tight crops;
// fewer still let so many candidates through on a busy line that the true one is crowded out).
constexpr double kQuietChecked = 5;
// The most bend (Geometry) fitted, modules.
constexpr double kMaxBend = 3.0;
// Module widths tried, px: below one pixel a module is not resolved at all.
constexpr double kMinModule = 0.8;
// Left and right guard edges kept per line for the full fit (the best by a quick first fit).
constexpr std::size_t kMaxCandidates = 2;

using Modules = std::array<float, 7>;  // darkness per module of one digit, 1 = bar

struct Patterns {
  std::array<Modules, 10> l, g, r;
};

Patterns make_patterns() {
  Patterns p{};
  for (int v = 0; v < 10; ++v) {
    int k = 0;
    for (int e = 0; e < 4; ++e) {
      for (int w = 0; w < kEanWidths[v][e]; ++w, ++k) {
        const bool bar = e % 2 == 1;  // an L code is space, bar, space, bar
        p.l[static_cast<std::size_t>(v)][static_cast<std::size_t>(k)] = bar ? 1.0f : 0.0f;
        p.r[static_cast<std::size_t>(v)][static_cast<std::size_t>(k)] = bar ? 0.0f : 1.0f;
      }
    }
    for (std::size_t j = 0; j < 7; ++j) p.g[static_cast<std::size_t>(v)][j] = p.r[static_cast<std::size_t>(v)][6 - j];
  }
  return p;
}

const Patterns kPatterns = make_patterns();

// The first module of the 12 coded digits: six left, the centre guard, six right.
constexpr int digit_start(int i) {
  return i < 6 ? 3 + 7 * i : 50 + 7 * (i - 6);
}

// Darkness of every module from -kQuiet to 95 + kQuiet that does not depend on the digits: quiet
// zones, guards, and each digit's first and last module (a left digit starts with a space and ends
// with a bar, a right digit the reverse); a digit's inner modules are unknown, 0.5.
std::array<float, kModules + 2 * kQuiet> known_modules() {
  std::array<float, kModules + 2 * kQuiet> m{};
  auto at = [&](int k) -> float& { return m[static_cast<std::size_t>(k + kQuiet)]; };
  for (int k : {0, 2, 46, 48, 92, 94}) at(k) = 1.0f;
  for (int i = 0; i < 12; ++i) {
    const int s = digit_start(i);
    for (int k = s + 1; k < s + 6; ++k) at(k) = 0.5f;
    at(i < 6 ? s + 6 : s) = 1.0f;
  }
  return m;
}

const std::array<float, kModules + 2 * kQuiet> kKnown = known_modules();

// The standard normal distribution function, tabulated (it is evaluated ~10^5 times per line).
class NormalCdf {
 public:
  NormalCdf() {
    for (std::size_t i = 0; i < table_.size(); ++i) {
      const double t = -kRange + static_cast<double>(i) / kPerUnit;
      table_[i] = static_cast<float>(0.5 * std::erfc(-t / std::sqrt(2.0)));
    }
  }
  float operator()(double t) const {
    if (t <= -kRange) return 0.0f;
    if (t >= kRange) return 1.0f;
    const double x = (t + kRange) * kPerUnit;
    const auto i = static_cast<std::size_t>(x);
    const float f = static_cast<float>(x - static_cast<double>(i));
    return table_[i] + f * (table_[i + 1] - table_[i]);
  }

 private:
  static constexpr double kRange = 5.0;
  static constexpr double kPerUnit = 64.0;
  std::array<float, static_cast<std::size_t>(2 * kRange * kPerUnit) + 2> table_{};
};

const NormalCdf kPhi;

// Where the symbol lies on the line: the left edge of its first bar (px, pixel i centred at i), the
// module width (px) and the blur, as the σ of a Gaussian in px.
struct Geometry {
  double left = 0;
  double module = 1;
  double sigma = 0.5;
  // Perspective and a curved pack stretch one end's modules against the other's: module k's left
  // edge lies `bend` modules before where equal modules would put it at the symbol's middle, and
  // proportionally less toward the guards (a parabola through both ends).
  double bend = 0;
  double at(double k) const { return left + module * (k - bend * 4.0 * k * (kModules - k) / (kModules * kModules)); }
};

// Accumulates the Pearson correlation of observed darkness with a prediction.
struct Correlation {
  double n = 0, so = 0, sp = 0, soo = 0, spp = 0, sop = 0;
  void add(double o, double p) {
    n += 1;
    so += o;
    sp += p;
    soo += o * o;
    spp += p * p;
    sop += o * p;
  }
  double value() const {
    const double vo = n * soo - so * so, vp = n * spp - sp * sp;
    if (n < 3 || vo <= 1e-9 || vp <= 1e-9) return 0.0;
    return (n * sop - so * sp) / std::sqrt(vo * vp);
  }
};

// One fit of the whole symbol: the correlation of each guard, and of each digit position with each
// of its candidate patterns (left: L codes 0-9 then G codes 0-9; right: R codes 0-9).
struct Fit {
  std::array<double, 3> guards{};
  std::array<std::array<double, 20>, 12> digits{};
  double objective = -1e9;  // guards plus each digit's best pattern
};

// Per digit position, the indices of its likeliest patterns.
constexpr std::size_t kShortlisted = 4;
using Shortlist = std::array<std::array<std::size_t, kShortlisted>, 12>;

Shortlist shortlist_of(const Fit& f) {
  Shortlist s{};
  for (std::size_t i = 0; i < 12; ++i) {
    std::array<std::size_t, 20> order{};
    for (std::size_t c = 0; c < 20; ++c) order[c] = c;
    const auto& d = f.digits[i];
    std::partial_sort(order.begin(), order.begin() + kShortlisted, order.end(),
                      [&](std::size_t a, std::size_t b) { return d[a] > d[b]; });
    std::copy_n(order.begin(), kShortlisted, s[i].begin());
  }
  return s;
}

class LineFitter {
 public:
  explicit LineFitter(const std::vector<float>& profile) : dark_(profile.size()) {
    for (std::size_t i = 0; i < profile.size(); ++i) dark_[i] = 255.0f - profile[i];
  }

  // With a shortlist, only the patterns it names per digit are matched (the others score -1): the
  // refinement's many fits compare a digit's few likely patterns, not all twenty.
  Fit fit(const Geometry& g, const Shortlist* shortlist = nullptr) const {
    cover(g);
    Fit f;
    // Guards: the modules from the quiet zone into the first digit's leading space, the centre guard
    // with the bars either side, the last digit's trailing space into the quiet zone.
    f.guards[0] = window(g, -3, 4, -1, nullptr);
    f.guards[1] = window(g, 44, 51, -1, nullptr);
    f.guards[2] = window(g, 91, 98, -1, nullptr);
    f.objective = f.guards[0] + f.guards[1] + f.guards[2];
    for (int i = 0; i < 12; ++i) {
      auto& d = f.digits[static_cast<std::size_t>(i)];
      d.fill(-1.0);
      digit_scores(g, digit_start(i), i < 6,
                   shortlist != nullptr ? &(*shortlist)[static_cast<std::size_t>(i)] : nullptr, d);
      f.objective += *std::max_element(d.begin(), d.end());
    }
    return f;
  }

 private:
  static constexpr int kReach = 7;  // modules either side of a pixel's own that its blur can reach

  // The correlations of the digit whose modules start at `s` (a left one: L and G codes, else R
  // codes) with each candidate pattern (all, or those listed). Each pixel's prediction is the known
  // modules' part plus the digit's seven modules' coverage weighted by the pattern, so the coverage
  // is gathered once for all patterns.
  void digit_scores(const Geometry& g, int s, bool left, const std::array<std::size_t, kShortlisted>* listed,
                    std::array<double, 20>& d) const {
    const int i0 = std::max(first_, static_cast<int>(std::ceil(g.at(s - 1))));
    const int i1 =
        std::min(first_ + static_cast<int>(covers_.size()) - 1, static_cast<int>(std::floor(g.at(s + 8) - 1e-9)));
    pixels_.clear();
    for (int i = i0; i <= i1; ++i) {
      const Cover& c = covers_[static_cast<std::size_t>(i - first_)];
      DigitPixel p{dark_[static_cast<std::size_t>(i)], 0.0f, {}};
      for (int j = 0; j < c.count; ++j) {
        const int k = c.k0 + j;
        const float w = c.w[static_cast<std::size_t>(j)];
        if (k >= s && k < s + 7) {
          p.digit[static_cast<std::size_t>(k - s)] = w;
        } else {
          p.base += kKnown[static_cast<std::size_t>(k + kQuiet)] * w;
        }
      }
      pixels_.push_back(p);
    }
    auto match = [&](std::size_t c) {
      const Modules& m = !left ? kPatterns.r[c] : c < 10 ? kPatterns.l[c] : kPatterns.g[c - 10];
      Correlation corr;
      for (const DigitPixel& p : pixels_) {
        float predicted = p.base;
        for (std::size_t j = 0; j < 7; ++j) predicted += m[j] * p.digit[j];
        corr.add(p.dark, predicted);
      }
      d[c] = corr.value();
    };
    if (listed != nullptr) {
      for (const std::size_t c : *listed) match(c);
    } else {
      for (std::size_t c = 0; c < (left ? 20u : 10u); ++c) match(c);
    }
  }

  // How much of each module from k0 on every pixel over the symbol sees through the blur.
  struct Cover {
    int k0 = 0;
    int count = 0;
    std::array<float, 2 * kReach + 1> w{};
  };

  void cover(const Geometry& g) const {
    const int reach = std::min(kReach, static_cast<int>(std::ceil(3.0 * g.sigma / g.module)) + 1);
    first_ = std::max(0, static_cast<int>(std::ceil(g.at(-kQuiet))));
    const int last =
        std::min(static_cast<int>(dark_.size()) - 1, static_cast<int>(std::floor(g.at(kModules + kQuiet))));
    covers_.resize(static_cast<std::size_t>(std::max(0, last - first_ + 1)));
    // Module k's left edge at edges[k + kQuiet], px.
    std::array<double, kModules + 2 * kQuiet + 1> edges{};
    for (std::size_t k = 0; k < edges.size(); ++k) edges[k] = g.at(static_cast<double>(k) - kQuiet);
    const double per_sigma = 1.0 / g.sigma;
    int own = -kQuiet;  // the module under pixel i: modules run left to right as pixels do
    for (int i = first_; i <= last; ++i) {
      Cover& c = covers_[static_cast<std::size_t>(i - first_)];
      while (own < kModules + kQuiet - 1 && edges[static_cast<std::size_t>(own + 1 + kQuiet)] <= i) ++own;
      c.k0 = std::max(-kQuiet, own - reach);
      const int k1 = std::min(kModules + kQuiet - 1, own + reach);
      c.count = std::max(0, k1 - c.k0 + 1);
      const double* edge = &edges[static_cast<std::size_t>(c.k0 + kQuiet)];
      double below = kPhi((edge[0] - i) * per_sigma);
      for (int j = 0; j < c.count; ++j) {
        const double above = kPhi((edge[j + 1] - i) * per_sigma);
        c.w[static_cast<std::size_t>(j)] = static_cast<float>(above - below);
        below = above;
      }
    }
  }

  // Correlation of the pixels whose centres lie in modules [from, to) with the blurred symbol,
  // the 7 modules from `digit` set to `pattern` (when given).
  double window(const Geometry& g, int from, int to, int digit, const Modules* pattern) const {
    const int i0 = std::max(first_, static_cast<int>(std::ceil(g.at(from))));
    const int i1 =
        std::min(first_ + static_cast<int>(covers_.size()) - 1, static_cast<int>(std::floor(g.at(to) - 1e-9)));
    Correlation corr;
    for (int i = i0; i <= i1; ++i) {
      const Cover& c = covers_[static_cast<std::size_t>(i - first_)];
      double predicted = 0;
      for (int j = 0; j < c.count; ++j) {
        const int k = c.k0 + j;
        float m = kKnown[static_cast<std::size_t>(k + kQuiet)];
        if (pattern != nullptr && k >= digit && k < digit + 7) m = (*pattern)[static_cast<std::size_t>(k - digit)];
        predicted += m * c.w[static_cast<std::size_t>(j)];
      }
      corr.add(dark_[static_cast<std::size_t>(i)], predicted);
    }
    return corr.value();
  }

  struct DigitPixel {
    float dark;
    float base;                  // predicted darkness from the modules around the digit
    std::array<float, 7> digit;  // coverage of the digit's own modules
  };

  std::vector<float> dark_;
  mutable std::vector<DigitPixel> pixels_;  // scratch of digit_scores
  mutable std::vector<Cover> covers_;       // of the geometry last fitted, from pixel first_
  mutable int first_ = 0;
};

// The best code passing the check digit among those with first digit `first` (its parity pattern
// chooses L or G codes on the left), optionally never `avoid` at position `avoid_at` (1-12): its
// summed digit correlation, and its digits in `code`. -1e9 when none.
double best_code(const Fit& f, int first, int avoid_at, int avoid, std::array<int, 13>* code) {
  constexpr double kNone = -1e9;
  // score[k][mod]: the best sum over positions 1..k with the weighted digit sum ≡ mod (mod 10).
  std::array<std::array<double, 10>, 13> score{};
  std::array<std::array<std::array<int, 2>, 10>, 13> back{};  // previous mod, digit
  for (auto& s : score) s.fill(kNone);
  score[0][static_cast<std::size_t>(first)] = 0;
  for (int k = 1; k <= 12; ++k) {
    const int i = k - 1;
    const int weight = k % 2 == 1 ? 3 : 1;
    const bool g = i < 6 && ((kEan13Parity[first] >> (5 - i)) & 1) != 0;
    for (int mod = 0; mod < 10; ++mod) {
      if (score[static_cast<std::size_t>(k - 1)][static_cast<std::size_t>(mod)] <= kNone) continue;
      for (int v = 0; v < 10; ++v) {
        if (k == avoid_at && v == avoid) continue;
        const double s = score[static_cast<std::size_t>(k - 1)][static_cast<std::size_t>(mod)] +
                         f.digits[static_cast<std::size_t>(i)][static_cast<std::size_t>(v + (g ? 10 : 0))];
        const int next = (mod + weight * v) % 10;
        if (s > score[static_cast<std::size_t>(k)][static_cast<std::size_t>(next)]) {
          score[static_cast<std::size_t>(k)][static_cast<std::size_t>(next)] = s;
          back[static_cast<std::size_t>(k)][static_cast<std::size_t>(next)] = {mod, v};
        }
      }
    }
  }
  const double best = score[12][0];
  if (best <= kNone || code == nullptr) return best;
  (*code)[0] = first;
  int mod = 0;
  for (int k = 12; k >= 1; --k) {
    const auto [prev, v] = back[static_cast<std::size_t>(k)][static_cast<std::size_t>(mod)];
    (*code)[static_cast<std::size_t>(k)] = v;
    mod = prev;
  }
  return best;
}

struct LineRead {
  std::string digits;
  double objective = 0;
  bool strong = false;  // margin at least kMinMargin, else at least kMinWeakMargin
};

// The code the fit reads, if it is clear (see the constants above).
std::optional<LineRead> decide(const Fit& f) {
  if (*std::min_element(f.guards.begin(), f.guards.end()) < kMinGuard) return std::nullopt;
  std::array<int, 13> code{};
  double best = -1e9;
  int first = -1;
  for (int d = 0; d < 10; ++d) {
    std::array<int, 13> c{};
    const double s = best_code(f, d, 0, 0, &c);
    if (s > best) {
      best = s;
      first = d;
      code = c;
    }
  }
  if (first < 0 || best / 12 < kMinMeanDigit) return std::nullopt;
  double second = -1e9;
  for (int d = 0; d < 10; ++d) {
    if (d != first) second = std::max(second, best_code(f, d, 0, 0, nullptr));
  }
  for (int k = 1; k <= 12; ++k)
    second = std::max(second, best_code(f, first, k, code[static_cast<std::size_t>(k)], nullptr));
  if (best - second < kMinWeakMargin) return std::nullopt;
  LineRead r;
  for (int k = 0; k <= 12; ++k) {
    if (k > 0) {
      const int i = k - 1;
      const bool g = i < 6 && ((kEan13Parity[first] >> (5 - i)) & 1) != 0;
      const int v = code[static_cast<std::size_t>(k)];
      if (f.digits[static_cast<std::size_t>(i)][static_cast<std::size_t>(v + (g ? 10 : 0))] < kMinDigit)
        return std::nullopt;
    }
    r.digits += static_cast<char>('0' + code[static_cast<std::size_t>(k)]);
  }
  r.objective = f.objective;
  r.strong = best - second >= kMinMargin;
  return r;
}

// Sharpest edges of each direction along `p`: the slope's local extremes, placed to a fraction of a
// pixel. Falling edges (light to dark) are where a symbol may begin, rising ones where it may end.
struct Edges {
  std::vector<double> falling, rising;
};

Edges edges_of(const std::vector<float>& p, double contrast) {
  Edges e;
  const double floor = 0.06 * contrast;
  for (std::size_t i = 2; i + 2 < p.size(); ++i) {
    const double a = (p[i] - p[i - 2]) / 2, b = (p[i + 1] - p[i - 1]) / 2, c = (p[i + 2] - p[i]) / 2;
    if (std::abs(b) < floor) continue;
    const bool down = b < 0 && b <= a && b < c;
    const bool up = b > 0 && b >= a && b > c;
    if (!down && !up) continue;
    const double den = a - 2 * b + c;
    const double x = static_cast<double>(i) + (std::abs(den) > 1e-9 ? std::clamp(0.5 * (a - c) / den, -0.5, 0.5) : 0.0);
    (down ? e.falling : e.rising).push_back(x);
  }
  return e;
}

// Whether `p` is a quiet zone over [from, to) px (clipped to the line, of which at least two modules
// must remain): nowhere darker than `level`, and flat: within `flat` grey levels.
bool quiet(const std::vector<float>& p, double from, double to, double module, double level, double flat) {
  const int i0 = std::max(0, static_cast<int>(std::ceil(from)));
  const int i1 = std::min(static_cast<int>(p.size()) - 1, static_cast<int>(std::floor(to)));
  if (i1 - i0 + 1 < 2 * module) return false;
  const auto [lo, hi] = std::minmax_element(p.begin() + i0, p.begin() + i1 + 1);
  return *lo >= level && *hi - *lo <= flat;
}

// The longest run of `p` at or above `level` within [from, to] px, in px.
double longest_light(const std::vector<float>& p, int from, int to, double level) {
  int longest = 0, run = 0;
  for (int i = std::max(0, from); i <= std::min(static_cast<int>(p.size()) - 1, to); ++i) {
    run = p[static_cast<std::size_t>(i)] >= level ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// The q-quantile of `v`, which it reorders (scratch).
double percentile_of(std::vector<float>& v, double q) {
  if (v.empty()) return 0;
  const auto at = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(at), v.end());
  return v[at];
}

// Refines a geometry, whose full fit is `best`, by coordinate search on the fit's objective: the guard
// edges moved by a step of a quarter module, halved twice; the blur in steps of 0.15 module, the bend
// of one module.
Fit refine(const LineFitter& fitter, Geometry& g, Fit best) {
  constexpr int kPasses = 3;  // over the parameters per step size
  double right = g.left + kModules * g.module;
  for (double step = 0.25; step >= 0.06; step /= 2) {
    // Each step size against the patterns likeliest where the last one ended (the shortlist holds
    // each digit's best, so `best`'s objective stands as it is).
    const Shortlist shortlist = shortlist_of(best);
    bool moved = true;
    for (int pass = 0; moved && pass < kPasses; ++pass) {
      moved = false;
      for (int param = 0; param < 4; ++param) {
        for (const double dir : {-1.0, 1.0}) {
          Geometry t = g;
          double r = right;
          if (param == 0) t.left += dir * step * g.module;
          if (param == 1) r += dir * step * g.module;
          if (param == 2) t.sigma = std::max(0.3, g.sigma + dir * 0.6 * step * g.module);
          if (param == 3) t.bend = std::clamp(g.bend + dir * 4 * step, -kMaxBend, kMaxBend);
          t.module = (r - t.left) / kModules;
          const Fit f = fitter.fit(t, &shortlist);
          if (f.objective > best.objective + 1e-6) {
            best = f;
            g = t;
            right = r;
            moved = true;
          }
        }
      }
    }
    best = fitter.fit(g);
  }
  return best;
}

// The best fit of one line read in one direction: the best-fitting candidate that decides a code, or
// else the best-fitting one.
struct LineFit {
  Fit fit;
  Geometry geometry;
  std::optional<LineRead> read;
};

std::optional<LineFit> fit_one_way(const std::vector<float>& p) {
  const int n = static_cast<int>(p.size());
  if (n < kModules) return std::nullopt;
  std::vector<float> levels = p;
  const double lo = percentile_of(levels, 0.05), hi = percentile_of(levels, 0.95);
  if (hi - lo < 20) return std::nullopt;
  const Edges e = edges_of(p, hi - lo);
  const LineFitter fitter(p);
  // Every pair of a falling and a later rising edge that could bound a symbol with quiet zones either
  // side; the best few by a quick fit go on to the full one.
  std::vector<std::pair<Fit, Geometry>> candidates;
  std::vector<float> inside;
  for (const double l : e.falling) {
    for (const double r : e.rising) {
      const double module = (r - l) / kModules;
      if (module < kMinModule) continue;
      if (r - l > n) break;
      // First against the line's own levels (cheap: most pairs on a busy line end here), then
      // against the symbol's: quiet zones of 5 modules either side, flat and nowhere darker than
      // 60 % of the way from its dark to its light level; inside, no space wider than EAN's widest
      // (4 modules) as light as 85 % (bars printed grey in a second ink, or under glare, reach 60 %).
      if (!quiet(p, l - kQuietChecked * module, l - 1.2 * module, module, lo + 0.3 * (hi - lo), hi - lo)) continue;
      if (!quiet(p, r + 1.2 * module, r + kQuietChecked * module, module, lo + 0.3 * (hi - lo), hi - lo)) continue;
      inside.assign(p.begin() + static_cast<std::ptrdiff_t>(std::max(0.0, l)),
                    p.begin() + static_cast<std::ptrdiff_t>(std::min<double>(n, r)));
      const double dark = percentile_of(inside, 0.1), light = percentile_of(inside, 0.9);
      if (light - dark < 15) continue;
      const double level = dark + 0.6 * (light - dark);
      const double flat = 0.35 * (light - dark);
      if (!quiet(p, l - kQuietChecked * module, l - 1.2 * module, module, level, flat)) continue;
      if (!quiet(p, r + 1.2 * module, r + kQuietChecked * module, module, level, flat)) continue;
      if (longest_light(p, static_cast<int>(l), static_cast<int>(r), dark + 0.85 * (light - dark)) > 4.6 * module) {
        continue;
      }
      const Geometry g{l, module, std::max(0.5, 0.5 * module)};
      candidates.emplace_back(fitter.fit(g), g);
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.first.objective > b.first.objective; });
  if (candidates.size() > kMaxCandidates) candidates.resize(kMaxCandidates);
  std::optional<LineFit> best;
  for (auto& [quick, g] : candidates) {
    LineFit f{refine(fitter, g, quick), g, std::nullopt};
    f.read = decide(f.fit);
    const bool better = !best || (f.read.has_value() != best->read.has_value() ? f.read.has_value()
                                                                               : f.fit.objective > best->fit.objective);
    if (better) best = std::move(f);
  }
  return best;
}

struct LineFits {
  std::optional<LineFit> forward, backward;  // backward: on the line reversed
};

LineFits fit_line(const std::vector<float>& profile) {
  LineFits fits{fit_one_way(profile), std::nullopt};
  // A code read left to right is not also read right to left (its bars reversed are no valid
  // symbol): the other way is only fitted when this one read nothing.
  if (fits.forward && fits.forward->read && fits.forward->read->strong) return fits;
  const std::vector<float> reversed(profile.rbegin(), profile.rend());
  fits.backward = fit_one_way(reversed);
  return fits;
}

std::optional<LineRead> code_of(const LineFits& fits) {
  const auto* forward = fits.forward && fits.forward->read ? &*fits.forward->read : nullptr;
  const auto* backward = fits.backward && fits.backward->read ? &*fits.backward->read : nullptr;
  if (forward && backward && forward->digits != backward->digits) {
    // Two different codes on one line: the strong one, or the better fit unless they are close.
    if (forward->strong != backward->strong) return forward->strong ? *forward : *backward;
    if (std::abs(forward->objective - backward->objective) < 1.0) return std::nullopt;
    return forward->objective > backward->objective ? *forward : *backward;
  }
  if (forward) return *forward;
  if (backward) return *backward;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> fit_ean13_line(const std::vector<float>& profile) {
  auto read = code_of(fit_line(profile));
  if (!read || !read->strong) return std::nullopt;
  return read->digits;
}

std::vector<Detection> read_ean_fit_lines(const cv::Mat& gray, bool along_rows, int lines, int min_lines,
                                          std::chrono::nanoseconds deadline) {
  std::vector<Detection> out;
  if (gray.empty() || gray.type() != CV_8UC1 || lines < 1) return out;
  const int extent = along_rows ? gray.rows : gray.cols;
  // The middle line first, then outwards in turn: a code's middle reads best, and when the deadline
  // cuts the reading short, the lines read are the likeliest.
  std::vector<int> order;
  const double step = static_cast<double>(extent) / lines;
  for (int j = 0; j < lines; ++j) {
    const int off = (j + 1) / 2 * (j % 2 == 1 ? 1 : -1);
    const int l = static_cast<int>((lines / 2 + off + 0.5) * step);
    if (l >= 0 && l < extent) order.push_back(l);
  }
  struct Tally {
    std::string digits;
    int strong = 0, weak = 0;
    int lines() const { return strong + weak; }
  };
  std::vector<Tally> tally;
  for (const int l : order) {
    if (thread_cpu_now() >= deadline) break;
    auto r = code_of(fit_line(scan_line_profile(gray, along_rows, l)));
    if (!r) continue;
    auto it = std::find_if(tally.begin(), tally.end(), [&](const Tally& t) { return t.digits == r->digits; });
    if (it == tally.end()) it = tally.insert(tally.end(), Tally{r->digits, 0, 0});
    ++(r->strong ? it->strong : it->weak);
    // One code read clearly on enough lines and nothing else: the rest could not overturn it.
    if (tally.size() == 1 && tally.front().strong >= min_lines) break;
  }
  for (const Tally& t : tally) {
    // Clear reads on `min_lines` lines, other codes clear on at most half as many; or reads on
    // kMinWeakLines lines, one of them clear, and no other code on more than one.
    const bool others_half =
        std::all_of(tally.begin(), tally.end(), [&](const Tally& o) { return &o == &t || 2 * o.strong <= t.strong; });
    const bool others_one =
        std::all_of(tally.begin(), tally.end(), [&](const Tally& o) { return &o == &t || o.lines() <= 1; });
    if (!(t.strong >= min_lines && others_half) && !(t.strong >= 1 && t.lines() >= kMinWeakLines && others_one)) {
      continue;
    }
    const std::string& digits = t.digits;
    // EAN-13 with a leading 0 is a UPC-A: reported as ZBar reports it, 12 digits.
    const bool upca = digits.front() == '0';
    auto d = validate_detection(upca ? Symbology::kUpcA : Symbology::kEan13, upca ? digits.substr(1) : digits);
    if (!d) continue;
    d->doubtful = true;
    out.push_back(std::move(*d));
  }
  return out;
}

}  // namespace kiosk::vision
