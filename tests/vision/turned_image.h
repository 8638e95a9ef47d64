#pragma once
// Test images turned by any angle without losing a corner: the DataBar readers' rotation sweeps.
#include <opencv2/imgproc.hpp>

namespace vision_test {

// `img` turned `degrees` counter-clockwise about its centre onto a white canvas that holds all of it.
inline cv::Mat turned(const cv::Mat& img, double degrees) {
  const cv::Point2f c(static_cast<float>(img.cols) / 2.0f, static_cast<float>(img.rows) / 2.0f);
  cv::Mat m = cv::getRotationMatrix2D(c, degrees, 1.0);
  const cv::Rect2f box = cv::RotatedRect(c, cv::Size2f(img.size()), static_cast<float>(degrees)).boundingRect2f();
  m.at<double>(0, 2) += box.width / 2.0 - c.x;
  m.at<double>(1, 2) += box.height / 2.0 - c.y;
  cv::Mat out;
  cv::warpAffine(img, out, m, box.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

}  // namespace vision_test
