#include "auth_check.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace kiosk::catalog {
namespace {

template <typename Map>
std::string_view authorization_of(const Map& metadata) {
  const auto it = metadata.find("authorization");
  if (it == metadata.end()) return {};
  return {it->second.data(), it->second.size()};
}

grpc::Status status_for(TokenVerifier::Outcome o, std::string_view what) {
  switch (o) {
    case TokenVerifier::Outcome::kOk:
      return grpc::Status::OK;
    case TokenVerifier::Outcome::kMissing:
      return {grpc::StatusCode::UNAUTHENTICATED,
              fmt::format("{} needs the store-IT token (metadata \"authorization: Bearer <token>\")", what)};
    case TokenVerifier::Outcome::kWrong:
      return {grpc::StatusCode::PERMISSION_DENIED, fmt::format("{}: the store-IT token is wrong", what)};
    case TokenVerifier::Outcome::kNotConfigured:
      return {grpc::StatusCode::PERMISSION_DENIED,
              fmt::format("{}: refused, this kiosk has no store-IT token configured ([catalog] token_sha256 "
                          "or token_file)",
                          what)};
  }
  return {grpc::StatusCode::INTERNAL, "token check"};
}

class TokenProcessor final : public grpc::AuthMetadataProcessor {
 public:
  explicit TokenProcessor(TokenVerifier v) : verifier_(std::move(v)) {}
  bool IsBlocking() const override { return false; }  // a hash and a compare: no need for a thread
  grpc::Status Process(const InputMetadata& md, grpc::AuthContext*, OutputMetadata*, OutputMetadata*) override {
    const auto o = verifier_.check(authorization_of(md));
    if (o != TokenVerifier::Outcome::kOk) spdlog::warn("TLS call refused: no valid store-IT token");
    return status_for(o, "the store network listener");
  }

 private:
  TokenVerifier verifier_;
};

}  // namespace

grpc::Status authorize_store_it(const TokenVerifier& verifier, const grpc::ServerContext& ctx, std::string_view what) {
  const auto o = verifier.check(authorization_of(ctx.client_metadata()));
  if (o != TokenVerifier::Outcome::kOk) spdlog::warn("{} from {} refused: no valid store-IT token", what, ctx.peer());
  return status_for(o, what);
}

std::shared_ptr<grpc::AuthMetadataProcessor> make_token_processor(TokenVerifier verifier) {
  return std::make_shared<TokenProcessor>(std::move(verifier));
}

}  // namespace kiosk::catalog
