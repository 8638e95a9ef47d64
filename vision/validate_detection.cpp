#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/gtin.h"
#include "decoder.h"

namespace kiosk::vision {
namespace {

// GS1 element strings from DataBar start with AI (01) and the 14-digit GTIN.
std::optional<std::string> gtin_from_ai01(std::string_view text) {
  if (text.size() < 16 || text.substr(0, 2) != "01") return std::nullopt;
  const std::string_view g = text.substr(2, 14);
  if (!is_valid_gtin14(g)) return std::nullopt;
  return std::string(g);
}

// GS1 element strings use a subset of printable ASCII plus the group separator.
bool is_element_string_char(char c) {
  return c == '\x1d' || (c > ' ' && c < 0x7f) || c == ' ';
}

}  // namespace

std::optional<Detection> validate_detection(Symbology symbology, std::string text) {
  Detection d{symbology, std::move(text), {}, {}};
  switch (symbology) {
    case Symbology::kEan13:
    case Symbology::kEan8:
    case Symbology::kUpcA:
    case Symbology::kUpcE: {
      // ZBar reports UPC-A as 12 digits and UPC-E as 8 (number system + 6 + check).
      auto g = normalize_gtin(d.text, symbology == Symbology::kUpcE);
      if (!g) {
        spdlog::debug("dropped {} '{}': {}", symbology_name(symbology), d.text, g.message());
        return std::nullopt;
      }
      d.gtin14 = std::move(*g);
      break;
    }
    case Symbology::kDataBarExpanded: {
      // A GS1 element string; only one that starts with (01) names a trade item. Others (a lot (10), a
      // date (17)...) are still valid codes. ZBar gives FNC1 as the group separator 0x1d.
      if (d.text.size() < 3 || !std::all_of(d.text.begin(), d.text.end(), is_element_string_char)) {
        spdlog::debug("dropped {} '{}': not a GS1 element string", symbology_name(symbology), d.text);
        return std::nullopt;
      }
      if (d.text.substr(0, 2) == "01") {
        auto g = gtin_from_ai01(d.text);
        if (!g) return std::nullopt;
        d.gtin14 = std::move(*g);
      }
      break;
    }
    case Symbology::kDataBar: {
      auto g = gtin_from_ai01(d.text);
      if (!g) {
        spdlog::debug("dropped {} '{}': no valid (01) GTIN", symbology_name(symbology), d.text);
        return std::nullopt;
      }
      d.gtin14 = std::move(*g);
      break;
    }
    case Symbology::kItf:
      // ITF-14 on outer cases carries a GTIN; other lengths are plain numbers.
      if (d.text.size() == 14) {
        if (!is_valid_gtin14(d.text)) return std::nullopt;
        d.gtin14 = d.text;
      }
      break;
    case Symbology::kCode128:
    case Symbology::kQrCode:
      if (d.text.empty()) return std::nullopt;
      break;
    case Symbology::kUnknown:
      return std::nullopt;
  }
  return d;
}

}  // namespace kiosk::vision
