// Conversions from the catalog core's results to kiosk.v1 messages, shared by the RPC handlers
// (catalog_service.cpp, pricing_rpcs.cpp, follower_rpcs.cpp).
#pragma once

#include "catalog_store.h"
#include "kiosk/v1/catalog.pb.h"

namespace kiosk::catalog {

void to_proto(const VersionInfo& v, kiosk::v1::CatalogVersion* out);
// applied, the version served afterwards, and every error by line and column.
void to_proto(const ImportOutcome& o, kiosk::v1::ImportResponse* out);

}  // namespace kiosk::catalog
