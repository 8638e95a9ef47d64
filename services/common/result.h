#pragma once
// Errors are values: every fallible function returns Status or Result<T> and never throws across a
// module boundary. gRPC adapters turn them into grpc::Status at the RPC edge (see rpc/status.h).
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kiosk {

enum class ErrorCode {
  kInvalidArgument,  // the caller's input is malformed; the message says where and why
  kNotFound,
  kFailedPrecondition,  // not possible in the present state
  kAlreadyExists,
  kUnavailable,  // a device or peer is not reachable right now; retry may work
  kDeadlineExceeded,
  kPermissionDenied,
  kDataLoss,  // stored data is corrupt
  kInternal,
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

inline Error invalid_argument(std::string m) {
  return {ErrorCode::kInvalidArgument, std::move(m)};
}
inline Error not_found(std::string m) {
  return {ErrorCode::kNotFound, std::move(m)};
}
inline Error failed_precondition(std::string m) {
  return {ErrorCode::kFailedPrecondition, std::move(m)};
}
inline Error unavailable(std::string m) {
  return {ErrorCode::kUnavailable, std::move(m)};
}
inline Error permission_denied(std::string m) {
  return {ErrorCode::kPermissionDenied, std::move(m)};
}
inline Error internal_error(std::string m) {
  return {ErrorCode::kInternal, std::move(m)};
}
inline Error data_loss(std::string m) {
  return {ErrorCode::kDataLoss, std::move(m)};
}

// Status: success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : error_(std::move(e)) {}  // NOLINT(google-explicit-constructor): return errors directly
  static Status ok() { return {}; }
  bool is_ok() const { return !error_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Error& error() const { return *error_; }
  const std::string& message() const { return error_->message; }

 private:
  std::optional<Error> error_;
};

// Result<T>: a value, or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error e) : v_(std::move(e)) {}      // NOLINT(google-explicit-constructor)
  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<Error>(v_); }
  const std::string& message() const { return error().message; }
  Status status() const { return is_ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace kiosk
