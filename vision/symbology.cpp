#include "symbology.h"

#include <array>
#include <utility>

namespace kiosk::vision {
namespace {

constexpr std::array<std::pair<Symbology, std::string_view>, 11> kNames{{
    {Symbology::kUnknown, "unknown"},
    {Symbology::kEan13, "ean13"},
    {Symbology::kEan8, "ean8"},
    {Symbology::kUpcA, "upca"},
    {Symbology::kUpcE, "upce"},
    {Symbology::kCode128, "code128"},
    {Symbology::kDataBar, "databar"},
    {Symbology::kDataBarExpanded, "databar_expanded"},
    {Symbology::kItf, "itf"},
    {Symbology::kQrCode, "qrcode"},
    {Symbology::kDataMatrix, "datamatrix"},
}};

}  // namespace

std::string_view symbology_name(Symbology s) {
  for (const auto& [sym, name] : kNames) {
    if (sym == s) return name;
  }
  return "unknown";
}

std::optional<Symbology> symbology_from_name(std::string_view name) {
  for (const auto& [sym, n] : kNames) {
    if (n == name) return sym;
  }
  return std::nullopt;
}

}  // namespace kiosk::vision
