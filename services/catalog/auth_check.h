#pragma once
// The store-IT token at the gRPC edge: the check write handlers call, and the check every call over
// the TLS listener passes before its handler runs.
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/auth_metadata_processor.h>

#include <memory>
#include <string_view>

#include "auth_token.h"

namespace kiosk::catalog {

// OK when the call carries the store-IT token; UNAUTHENTICATED when it carries none, PERMISSION_DENIED
// for a wrong one or when this kiosk has no token configured. `what` names the refused operation.
grpc::Status authorize_store_it(const TokenVerifier& verifier, const grpc::ServerContext& ctx, std::string_view what);

// For TlsListener::auth: every call over TLS (reads too) needs the store-IT token.
std::shared_ptr<grpc::AuthMetadataProcessor> make_token_processor(TokenVerifier verifier);

}  // namespace kiosk::catalog
