#pragma once
// The barcode symbologies the kiosk reads, independent of any decoding library or proto.
#include <optional>
#include <string_view>

namespace kiosk::vision {

// Values match kiosk.v1.Symbology so the RPC adapter maps by value.
enum class Symbology {
  kUnknown = 0,
  kEan13 = 1,
  kEan8 = 2,
  kUpcA = 3,
  kUpcE = 4,
  kCode128 = 5,
  kDataBar = 6,
  kDataBarExpanded = 7,
  kItf = 8,
  kQrCode = 9,
  kDataMatrix = 10,
};

// Short lower-case names used on command lines and in logs: ean13, ean8, upca, upce, code128,
// databar, databar_expanded, itf, qrcode, datamatrix.
std::string_view symbology_name(Symbology s);
std::optional<Symbology> symbology_from_name(std::string_view name);

}  // namespace kiosk::vision
