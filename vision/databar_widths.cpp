// Bar/space widths of scan lines and DataBar character values (ISO/IEC 24724 annex on character
// encodation), shared by the DataBar readers.
#include "databar_widths.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace kiosk::vision::databar {
namespace {

// Lines with less contrast than this (8-bit levels) between their darkest and lightest pixels near a
// point hold no bars there.
constexpr int kMinContrast = 24;

// A character's elements are at most 8 modules wide.
constexpr int kMaxCharElement = 8;

std::int64_t combinations(int n, int r) {
  if (r < 0 || n < r) return 0;
  std::int64_t v = 1;
  for (int i = 1; i <= r; ++i) v = v * (n - r + i) / i;
  return v;
}

}  // namespace

std::int64_t rss_value(std::span<const int> widths, int max_width, bool no_narrow) {
  const int elements = static_cast<int>(widths.size());
  int n = 0;
  for (int w : widths) n += w;
  std::int64_t value = 0;
  unsigned narrow_mask = 0;
  for (int bar = 0; bar < elements - 1; ++bar) {
    int w = 1;
    for (narrow_mask |= 1u << bar; w < widths[static_cast<std::size_t>(bar)]; ++w, narrow_mask &= ~(1u << bar)) {
      std::int64_t sub = combinations(n - w - 1, elements - bar - 2);
      if (no_narrow && narrow_mask == 0 && n - w - (elements - bar - 1) >= elements - bar - 1) {
        sub -= combinations(n - w - (elements - bar), elements - bar - 2);
      }
      if (elements - bar - 1 > 1) {
        std::int64_t less = 0;
        for (int widest = n - w - (elements - bar - 2); widest > max_width; --widest) {
          less += combinations(n - w - widest - 1, elements - bar - 3);
        }
        sub -= less * (elements - 1 - bar);
      } else if (n - w > max_width) {
        --sub;
      }
      value += sub;
    }
    n -= w;
  }
  return value;
}

std::optional<std::array<int, 8>> char_modules(const std::array<float, 8>& w, int modules, bool odd_sum_odd) {
  float total = 0;
  for (float x : w) total += x;
  if (total <= 0) return std::nullopt;
  const float module = total / static_cast<float>(modules);
  std::array<int, 8> n{};
  std::array<float, 8> err{};
  for (int k = 0; k < 8; ++k) {
    const float v = w[k] / module;
    n[k] = std::clamp(static_cast<int>(std::lround(v)), 1, kMaxCharElement);
    err[k] = v - static_cast<float>(n[k]);
  }
  const auto half_sum = [&](int parity) { return n[parity] + n[parity + 2] + n[parity + 4] + n[parity + 6]; };
  // Moves one element of a half by `delta`: the one whose rounding went furthest the other way.
  const auto bump = [&](int parity, int delta) {
    int best = -1;
    for (int k = parity; k < 8; k += 2) {
      if (n[k] + delta < 1 || n[k] + delta > kMaxCharElement) continue;
      if (best < 0 || err[k] * static_cast<float>(delta) > err[best] * static_cast<float>(delta)) best = k;
    }
    if (best < 0) return false;
    n[best] += delta;
    err[best] -= static_cast<float>(delta);
    return true;
  };
  const int odd = half_sum(0), even = half_sum(1);
  const int mismatch = odd + even - modules;
  const bool odd_bad = ((odd & 1) != 0) != odd_sum_odd;
  const bool even_bad = ((even & 1) != 0) != ((modules - (odd_sum_odd ? 1 : 0)) % 2 != 0);
  bool ok = true;
  if (mismatch == 1) {
    if (odd_bad == even_bad) return std::nullopt;
    ok = odd_bad ? bump(0, -1) : bump(1, -1);
  } else if (mismatch == -1) {
    if (odd_bad == even_bad) return std::nullopt;
    ok = odd_bad ? bump(0, 1) : bump(1, 1);
  } else if (mismatch == 0) {
    if (odd_bad != even_bad) return std::nullopt;
    if (odd_bad) ok = odd < even ? bump(0, 1) && bump(1, -1) : bump(0, -1) && bump(1, 1);
  } else {
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  return n;
}

// Widths (px) of the light and dark runs of one line, edges placed between pixels where the line
// crosses the midpoint of its local darkest and lightest values; `first_dark` tells the first run's colour.
std::vector<float> run_widths(const cv::Mat& line, bool& first_dark) {
  std::vector<float> widths;
  const int n = line.cols;
  if (n < 8) return widths;
  // The darkest and lightest values near each pixel: over the pixel's block and its two neighbours,
  // blocks of a twelfth of the line, which span a finder with its neighbours on any code that fills a
  // good part of the line.
  const int block = std::max(8, n / 12);
  const int blocks = (n + block - 1) / block;
  std::vector<std::uint8_t> bmin(static_cast<std::size_t>(blocks), 255), bmax(static_cast<std::size_t>(blocks), 0);
  const auto* v = line.ptr<std::uint8_t>();
  for (int i = 0; i < n; ++i) {
    auto& lo = bmin[static_cast<std::size_t>(i / block)];
    auto& hi = bmax[static_cast<std::size_t>(i / block)];
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
  }
  std::vector<std::uint8_t> l(static_cast<std::size_t>(n)), h(static_cast<std::size_t>(n));
  for (int b = 0; b < blocks; ++b) {
    std::uint8_t lo = 255, hi = 0;
    for (int k = std::max(0, b - 1); k <= std::min(blocks - 1, b + 1); ++k) {
      lo = std::min(lo, bmin[static_cast<std::size_t>(k)]);
      hi = std::max(hi, bmax[static_cast<std::size_t>(k)]);
    }
    for (int i = b * block; i < std::min(n, (b + 1) * block); ++i) {
      l[static_cast<std::size_t>(i)] = lo;
      h[static_cast<std::size_t>(i)] = hi;
    }
  }
  // Signed distance from the threshold; flat stretches count as light.
  std::vector<float> d(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int hi = h[static_cast<std::size_t>(i)], lo = l[static_cast<std::size_t>(i)];
    const int contrast = hi - lo;
    d[static_cast<std::size_t>(i)] =
        contrast < kMinContrast ? 1.0f : static_cast<float>(v[i]) - static_cast<float>(hi + lo) / 2.0f;
    if (d[static_cast<std::size_t>(i)] == 0) d[static_cast<std::size_t>(i)] = 0.01f;
  }
  float last = 0;
  for (int i = 1; i < n; ++i) {
    const float a = d[static_cast<std::size_t>(i - 1)], b = d[static_cast<std::size_t>(i)];
    if ((a < 0) == (b < 0)) continue;
    const float edge = static_cast<float>(i - 1) + a / (a - b) + 0.5f;
    widths.push_back(edge - last);
    last = edge;
  }
  widths.push_back(static_cast<float>(n) - last);
  first_dark = d[0] < 0;
  return widths;
}

}  // namespace kiosk::vision::databar
