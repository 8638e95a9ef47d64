#include "localizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/imgproc.hpp>

namespace kiosk::vision {
namespace {

// Sobel 3×3 answers a unit step with 4: divide to get gradients in 8-bit grey levels per pixel.
constexpr float kSobelGain = 4.0f;
constexpr float kPi = 3.14159265358979f;

struct Tensor {
  double xx = 0, yy = 0, xy = 0;
  void add(float a, float b, float c) {
    xx += a;
    yy += b;
    xy += c;
  }
  double coherence() const {
    const double e = xx + yy;
    return e <= 0 ? 0 : std::sqrt((xx - yy) * (xx - yy) + 4 * xy * xy) / e;
  }
  // Direction of the dominant gradient, radians in [-pi/2, pi/2).
  float angle() const { return static_cast<float>(0.5 * std::atan2(2 * xy, xx - yy)); }
};

// Full-size scratch images, kept per thread from frame to frame: fresh ones cost a page fault per
// 4 KiB on every frame (about 1,200 a 720p frame), which measured as more than half of localisation's
// CPU time. Only ever written by this file's own OpenCV calls (never made to share a caller's data).
struct Gradients {
  cv::Mat gx, gy, jxx, jyy, jxy;
};

struct Scratch {
  cv::Mat work, coarse;
  Gradients fine_pass, coarse_pass;  // one set per pass: their sizes differ
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

struct Cells {
  cv::Mat xx, yy, xy;  // CV_32F, one value per cell: the mean tensor
  cv::Mat magnitude;   // CV_32F: RMS gradient in grey levels per pixel of the analysed copy
  cv::Mat coherence;   // CV_32F in [0, 1]
};

Cells tensor_cells(const cv::Mat& work, int cell, Gradients& s) {
  const int cw = work.cols / cell;
  const int ch = work.rows / cell;
  const cv::Mat roi = work(cv::Rect(0, 0, cw * cell, ch * cell));
  cv::Mat& gx = s.gx;
  cv::Mat& gy = s.gy;
  cv::Sobel(roi, gx, CV_32F, 1, 0, 3, 1.0 / kSobelGain);
  cv::Sobel(roi, gy, CV_32F, 0, 1, 3, 1.0 / kSobelGain);
  cv::multiply(gx, gx, s.jxx);
  cv::multiply(gy, gy, s.jyy);
  cv::multiply(gx, gy, s.jxy);
  const cv::Mat &jxx = s.jxx, &jyy = s.jyy, &jxy = s.jxy;
  Cells c;
  // INTER_AREA with an integer factor is the mean over each cell.
  cv::resize(jxx, c.xx, cv::Size(cw, ch), 0, 0, cv::INTER_AREA);
  cv::resize(jyy, c.yy, cv::Size(cw, ch), 0, 0, cv::INTER_AREA);
  cv::resize(jxy, c.xy, cv::Size(cw, ch), 0, 0, cv::INTER_AREA);
  // Magnitude and coherence over 3×3 cells: a single cell can hold one module edge of a 2D code
  // (perfectly coherent) or sit inside a wide bar (no gradient); a window of cells sees the pattern.
  cv::Mat pxx, pyy, pxy;
  cv::blur(c.xx, pxx, cv::Size(3, 3), cv::Point(-1, -1), cv::BORDER_REPLICATE);
  cv::blur(c.yy, pyy, cv::Size(3, 3), cv::Point(-1, -1), cv::BORDER_REPLICATE);
  cv::blur(c.xy, pxy, cv::Size(3, 3), cv::Point(-1, -1), cv::BORDER_REPLICATE);
  cv::Mat energy = pxx + pyy;
  cv::sqrt(energy, c.magnitude);
  cv::Mat d = pxx - pyy;
  cv::Mat aniso;
  cv::sqrt(d.mul(d) + 4 * pxy.mul(pxy), aniso);
  cv::divide(aniso, energy + 1e-3f, c.coherence);
  return c;
}

// Connected patches of `mask` (closed with a 3×3 cross to bridge wide spaces between bars).
int label_patches(const cv::Mat& mask, cv::Mat& labels) {
  cv::Mat closed;
  cv::morphologyEx(mask, closed, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_CROSS, cv::Size(3, 3)));
  return cv::connectedComponents(closed, labels, 8, CV_32S);
}

struct Patch {
  Tensor tensor;
  std::vector<cv::Point2f> centers;  // px in the input image
  double strength = 0;               // sum of cell magnitudes
};

std::vector<Patch> collect(const cv::Mat& mask, const Cells& c, double to_input) {
  cv::Mat labels;
  const int n = label_patches(mask, labels);
  std::vector<Patch> patches(static_cast<std::size_t>(std::max(n, 1)));
  for (int y = 0; y < labels.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < labels.cols; ++x) {
      if (l[x] == 0) continue;
      Patch& p = patches[static_cast<std::size_t>(l[x])];
      p.centers.emplace_back(static_cast<float>((x + 0.5) * to_input), static_cast<float>((y + 0.5) * to_input));
      // Cells the closing added bridge the patch; only measured cells vote on its direction.
      if (m[x]) {
        p.tensor.add(c.xx.at<float>(y, x), c.yy.at<float>(y, x), c.xy.at<float>(y, x));
        p.strength += c.magnitude.at<float>(y, x);
      }
    }
  }
  return patches;
}

// Extent of `pts` along the unit vectors g and b around their middle.
CodeRegion oriented_box(const std::vector<cv::Point2f>& pts, float angle, float cell_px) {
  const cv::Point2f g(std::cos(angle), std::sin(angle));
  const cv::Point2f b(-g.y, g.x);
  float g0 = 1e9f, g1 = -1e9f, b0 = 1e9f, b1 = -1e9f;
  for (const auto& p : pts) {
    const float u = p.dot(g);
    const float v = p.dot(b);
    g0 = std::min(g0, u);
    g1 = std::max(g1, u);
    b0 = std::min(b0, v);
    b1 = std::max(b1, v);
  }
  CodeRegion r;
  r.angle = angle;
  const float um = (g0 + g1) / 2, vm = (b0 + b1) / 2;
  r.center = g * um + b * vm;
  r.length = g1 - g0 + cell_px;
  r.height = b1 - b0 + cell_px;
  return r;
}

// One pass over `work` (the input scaled by f): linear regions into `lin`, matrix regions into `mat`.
void locate_at(const cv::Mat& work, Gradients& scratch_pass, double f, const LocalizerOptions& o, float min_gradient,
               std::vector<CodeRegion>& lin, std::vector<CodeRegion>& mat) {
  const int cell = std::max(2, o.cell);
  if (work.cols < 4 * cell || work.rows < 4 * cell) return;
  const Cells c = tensor_cells(work, cell, scratch_pass);
  const double to_input = cell / f;  // input px per cell
  const auto cell_px = static_cast<float>(to_input);

  const cv::Mat strong = c.magnitude >= min_gradient;
  const cv::Mat linear = strong & (c.coherence >= o.linear_coherence);
  const cv::Mat matrix = (c.magnitude >= 1.5f * min_gradient) & (c.coherence < o.matrix_coherence);

  auto patches = collect(linear, c, to_input);
  for (std::size_t i = 1; i < patches.size(); ++i) {
    const Patch& p = patches[i];
    if (static_cast<int>(p.centers.size()) < o.min_cells) continue;
    // A patch of bars pointing several ways (text, foliage) is no linear code.
    if (p.tensor.coherence() < 0.5) continue;
    CodeRegion r = oriented_box(p.centers, p.tensor.angle(), cell_px);
    // Quiet zones and end bars the cells missed: a margin across the bars, a little along them.
    const float margin = std::max(0.15f * r.length, 3.0f * cell_px);
    r.length += 2 * margin;
    r.height += 2 * cell_px;
    r.shape = RegionShape::kLinear;
    r.score = static_cast<float>(p.strength) * cell_px * cell_px;
    lin.push_back(r);
  }

  patches = collect(matrix, c, to_input);
  for (std::size_t i = 1; i < patches.size(); ++i) {
    const Patch& p = patches[i];
    // The smallest QR (21 modules at ~2 px) spans 5×5 cells of 8 px at 720p.
    if (static_cast<int>(p.centers.size()) < 2 * o.min_cells) continue;
    const cv::RotatedRect rr = cv::minAreaRect(p.centers);
    const float w = rr.size.width + cell_px, h = rr.size.height + cell_px;
    if (std::max(w, h) > 3.0f * std::min(w, h)) continue;  // 2D codes are about square
    // Square and mostly filled: text lines and textures are sparse or long.
    const float filled = static_cast<float>(p.centers.size()) * cell_px * cell_px / (w * h);
    if (filled < 0.3f) continue;
    CodeRegion r;
    r.shape = RegionShape::kMatrix;
    r.center = rr.center;
    r.angle = rr.angle * kPi / 180.0f;
    const float margin = std::max(0.1f * std::max(w, h), 1.5f * cell_px);
    r.length = w + 2 * margin;
    r.height = h + 2 * margin;
    r.score = static_cast<float>(p.strength) * cell_px * cell_px;
    mat.push_back(r);
  }
}

// True when `r`'s centre lies inside a region of `kept` of the same shape (found at the other scale).
bool covered(const CodeRegion& r, const std::vector<CodeRegion>& kept) {
  return std::any_of(kept.begin(), kept.end(), [&](const CodeRegion& k) {
    if (k.shape != r.shape) return false;
    const cv::Point2f d = r.center - k.center;
    const float u = std::abs(d.x * std::cos(k.angle) + d.y * std::sin(k.angle));
    const float v = std::abs(-d.x * std::sin(k.angle) + d.y * std::cos(k.angle));
    return u < k.length / 2 && v < k.height / 2;
  });
}

}  // namespace

std::vector<CodeRegion> locate_codes(const cv::Mat& gray, const LocalizerOptions& o) {
  std::vector<CodeRegion> out;
  if (gray.empty() || gray.type() != CV_8UC1 || gray.cols < 32 || gray.rows < 32) return out;
  const double f = std::min(1.0, static_cast<double>(o.work_side) / std::max(gray.cols, gray.rows));
  cv::Mat work = gray;
  if (f < 1.0) {
    cv::resize(gray, scratch().work, cv::Size(), f, f, cv::INTER_AREA);
    work = scratch().work;
  }
  std::vector<CodeRegion> lin, mat;
  locate_at(work, scratch().fine_pass, f, o, o.min_gradient, lin, mat);
  // A coarse pass finds codes whose bars or modules are wider than a fine cell (close-ups), which the
  // fine pass sees as fragments or misses.
  std::vector<CodeRegion> coarse_lin, coarse_mat;
  cv::Mat& coarse = scratch().coarse;
  cv::resize(work, coarse, cv::Size(), 1.0 / 3, 1.0 / 3, cv::INTER_AREA);
  // Smooth shading (a mottled counter) has steep gradients per coarse pixel; printed bars far steeper.
  locate_at(coarse, scratch().coarse_pass, f * coarse.cols / work.cols, o, 2 * o.min_gradient, coarse_lin, coarse_mat);
  for (auto& r : coarse_lin) {
    if (!covered(r, lin)) lin.push_back(r);
  }
  for (auto& r : coarse_mat) {
    if (!covered(r, mat)) mat.push_back(r);
  }
  const auto by_score = [](const CodeRegion& a, const CodeRegion& b) { return a.score > b.score; };
  std::sort(lin.begin(), lin.end(), by_score);
  std::sort(mat.begin(), mat.end(), by_score);
  if (static_cast<int>(lin.size()) > o.max_regions) lin.resize(static_cast<std::size_t>(o.max_regions));
  if (static_cast<int>(mat.size()) > o.max_regions) mat.resize(static_cast<std::size_t>(o.max_regions));
  out = std::move(lin);
  out.insert(out.end(), mat.begin(), mat.end());
  std::stable_sort(out.begin(), out.end(), by_score);
  return out;
}

cv::Mat extract_region(const cv::Mat& gray, const CodeRegion& r, double scale) {
  scale = std::clamp(scale, 0.05, 8.0);
  const int w = std::clamp(static_cast<int>(std::lround(r.length * scale)), 8, 4096);
  const int h = std::clamp(static_cast<int>(std::lround(r.height * scale)), 8, 4096);
  const double gx = std::cos(r.angle), gy = std::sin(r.angle);
  const double bx = -gy, by = gx;
  // Output pixel (u, v) samples the input at center + (u - w/2)/scale·g + (v - h/2)/scale·b.
  cv::Matx23d m(gx / scale, bx / scale, r.center.x - (w / 2.0 * gx + h / 2.0 * bx) / scale,  //
                gy / scale, by / scale, r.center.y - (w / 2.0 * gy + h / 2.0 * by) / scale);
  cv::Mat out;
  cv::warpAffine(gray, out, m, cv::Size(w, h), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  return out;
}

}  // namespace kiosk::vision
