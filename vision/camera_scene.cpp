#include "camera_scene.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "barcode_render.h"

namespace kiosk::vision {
namespace {

constexpr int kModulePx = 3;  // printed bar width at the camera's distance, px per module

// A counter top under the camera: a grey-beige surface with soft blotches, fine grain and light
// falling off towards the edges.
cv::Mat make_background(const SceneOptions& o, cv::RNG& rng) {
  cv::Mat small(std::max(2, o.height / 24), std::max(2, o.width / 24), CV_32F);
  rng.fill(small, cv::RNG::NORMAL, cv::Scalar(0), cv::Scalar(1));
  cv::Mat blotches;
  cv::resize(small, blotches, cv::Size(o.width, o.height), 0, 0, cv::INTER_CUBIC);
  const cv::Scalar base(rng.uniform(120.0, 150.0), rng.uniform(135.0, 160.0), rng.uniform(145.0, 170.0));
  cv::Mat out(o.height, o.width, CV_32FC3);
  const double cx = o.width / 2.0, cy = o.height / 2.0, r2 = cx * cx + cy * cy;
  for (int y = 0; y < o.height; ++y) {
    auto* row = out.ptr<cv::Vec3f>(y);
    const float* b = blotches.ptr<float>(y);
    for (int x = 0; x < o.width; ++x) {
      const double light = 1.0 - 0.25 * ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / r2;
      for (int c = 0; c < 3; ++c) row[x][c] = static_cast<float>((base[c] + 12.0 * b[x]) * light);
    }
  }
  cv::Mat grain(o.height, o.width, CV_32FC3);
  rng.fill(grain, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(5));
  out += grain;
  cv::Mat bgr;
  out.convertTo(bgr, CV_8UC3);
  return bgr;
}

// A product face: a coloured box with printed "text" lines and a white label carrying the barcode.
cv::Mat make_product(const cv::Mat& barcode, cv::RNG& rng) {
  const int w = barcode.cols + rng.uniform(80, 220);
  const int h = barcode.rows + rng.uniform(120, 260);
  const cv::Scalar colour(rng.uniform(40, 220), rng.uniform(40, 220), rng.uniform(40, 220));
  cv::Mat product(h, w, CV_8UC3, colour);
  const int bx = rng.uniform(10, w - barcode.cols - 10);
  const int by = rng.uniform(h / 2 - 40, h - barcode.rows - 10);
  for (int y = 12; y + 8 < by - 10; y += rng.uniform(14, 26)) {  // printed lines above the label
    const int len = rng.uniform(w / 4, w - 24);
    cv::rectangle(product, cv::Rect(12, y, len, rng.uniform(4, 9)), colour * 0.35, cv::FILLED);
  }
  cv::Mat bgr;
  cv::cvtColor(barcode, bgr, cv::COLOR_GRAY2BGR);
  bgr.copyTo(product(cv::Rect(bx, by, barcode.cols, barcode.rows)));
  return product;
}

struct Pass {
  cv::Mat product;
  cv::Point2d start, velocity;  // px, px/s
  double angle = 0, spin = 0;   // degrees, degrees/s
  double scale = 1;
  double blur_sigma = 0.8;  // px
};

Pass plan_pass(const cv::Mat& barcode, const SceneOptions& o, cv::RNG& rng) {
  Pass p;
  p.product = make_product(barcode, rng);
  p.scale = rng.uniform(0.9, 1.1);
  p.angle = rng.uniform(-8.0, 8.0);
  p.spin = rng.uniform(-2.0, 2.0);
  p.blur_sigma = rng.uniform(0.5, 1.0);
  p.velocity = {rng.uniform(-160.0, 160.0), rng.uniform(-60.0, 60.0)};
  // Keep the whole (rotated) product inside the frame for the whole pass.
  const double half_diag = 0.5 * p.scale * std::hypot(p.product.cols, p.product.rows);
  const double secs = o.show_ms / 1000.0;
  const double xmin = half_diag + std::max(0.0, -p.velocity.x * secs);
  const double xmax = o.width - half_diag - std::max(0.0, p.velocity.x * secs);
  const double ymin = half_diag + std::max(0.0, -p.velocity.y * secs);
  const double ymax = o.height - half_diag - std::max(0.0, p.velocity.y * secs);
  p.start.x = xmin < xmax ? rng.uniform(xmin, xmax) : o.width / 2.0;
  p.start.y = ymin < ymax ? rng.uniform(ymin, ymax) : o.height / 2.0;
  return p;
}

void draw_pass(cv::Mat& frame, const Pass& p, double t) {
  const cv::Point2d centre = p.start + p.velocity * t;
  const double angle = std::clamp(p.angle + p.spin * t, -10.0, 10.0);
  cv::Mat m = cv::getRotationMatrix2D(
      cv::Point2f(static_cast<float>(p.product.cols) / 2.0f, static_cast<float>(p.product.rows) / 2.0f), angle,
      p.scale);
  m.at<double>(0, 2) += centre.x - p.product.cols / 2.0;
  m.at<double>(1, 2) += centre.y - p.product.rows / 2.0;
  cv::Mat warped, mask;
  cv::warpAffine(p.product, warped, m, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  cv::warpAffine(cv::Mat(p.product.size(), CV_8U, cv::Scalar(255)), mask, m, frame.size(), cv::INTER_NEAREST,
                 cv::BORDER_CONSTANT);
  warped.copyTo(frame, mask);
}

void add_sensor_effects(cv::Mat& frame, double blur_sigma, cv::RNG& rng) {
  if (blur_sigma > 0) cv::GaussianBlur(frame, frame, cv::Size(0, 0), blur_sigma);
  cv::Mat noise(frame.size(), CV_16SC3);
  rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(4));
  cv::Mat f16;
  frame.convertTo(f16, CV_16SC3);
  f16 += noise;
  f16.convertTo(frame, CV_8UC3);  // saturates to 0..255
}

int frames_for(int ms, double fps) {
  return static_cast<int>(std::lround(ms * fps / 1000.0));
}

}  // namespace

Status validate_scene(const std::vector<std::string>& codes, const SceneOptions& o) {
  if (o.width < 320 || o.width > 7680 || o.height < 240 || o.height > 4320) {
    return invalid_argument(fmt::format("frame size {}x{}: must be within 320x240 .. 7680x4320", o.width, o.height));
  }
  if (!(o.fps >= 1 && o.fps <= 120)) return invalid_argument(fmt::format("fps {}: must be 1..120", o.fps));
  if (o.gap_ms < 0 || o.show_ms < 100 || o.lead_ms < 0) {
    return invalid_argument("gap/lead must be >= 0 ms and show >= 100 ms");
  }
  if (codes.empty()) return invalid_argument("no codes given");
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (auto form = retail_print_form(codes[i]); !form) {
      return invalid_argument(fmt::format("code {} of {}: {}", i + 1, codes.size(), form.message()));
    }
  }
  return {};
}

Status render_scene(const std::vector<std::string>& codes, const SceneOptions& o,
                    const std::function<Status(const cv::Mat&)>& sink) {
  if (auto s = validate_scene(codes, o); !s) return s;
  cv::RNG rng(o.seed == 0 ? 1 : o.seed);  // cv::RNG treats 0 specially
  const cv::Mat background = make_background(o, rng);
  std::vector<Pass> passes;
  for (const auto& code : codes) {
    auto form = retail_print_form(code);
    if (!form) return form.error();
    auto barcode = render_barcode(form->symbology, form->data, kModulePx);
    if (!barcode) return barcode.error();
    if (barcode->cols + 240 > o.width || barcode->rows + 280 > o.height) {
      return invalid_argument(fmt::format("frame {}x{} is too small for code {}", o.width, o.height, code));
    }
    passes.push_back(plan_pass(*barcode, o, rng));
  }
  auto empty_frames = [&](int n) -> Status {
    for (int i = 0; i < n; ++i) {
      cv::Mat frame = background.clone();
      add_sensor_effects(frame, 0.6, rng);
      if (auto s = sink(frame); !s) return s;
    }
    return {};
  };
  if (auto s = empty_frames(frames_for(o.lead_ms, o.fps)); !s) return s;
  for (const auto& pass : passes) {
    const int n = std::max(1, frames_for(o.show_ms, o.fps));
    for (int i = 0; i < n; ++i) {
      cv::Mat frame = background.clone();
      draw_pass(frame, pass, i / o.fps);
      add_sensor_effects(frame, pass.blur_sigma, rng);
      if (auto s = sink(frame); !s) return s;
    }
    if (auto s = empty_frames(frames_for(o.gap_ms, o.fps)); !s) return s;
  }
  return {};
}

}  // namespace kiosk::vision
