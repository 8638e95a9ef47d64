#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/gtin.h"
#include "decoder.h"
#include "gs1.h"

namespace kiosk::vision {
namespace {

// Checks `d.text` as a GS1 element string: fills element_string and, from (01), gtin14.
bool take_element_string(Detection& d) {
  auto fields = parse_element_string(d.text);
  if (!fields) {
    spdlog::debug("dropped {} '{}': {}", symbology_name(d.symbology), d.text, fields.message());
    return false;
  }
  d.element_string = d.text;
  for (const auto& f : *fields) {
    if (f.ai == "01") d.gtin14 = f.value;
  }
  return true;
}

}  // namespace

std::optional<Detection> validate_detection(Symbology symbology, std::string text, bool gs1) {
  Detection d{symbology, std::move(text), {}, {}, {}};
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
    case Symbology::kDataBarExpanded:
      // Always GS1: ZBar gives FNC1 as the group separator 0x1d.
      if (!take_element_string(d)) return std::nullopt;
      break;
    case Symbology::kDataBar:
      // (01) and the GTIN-14, nothing else.
      if (d.text.size() != 16 || !take_element_string(d) || d.gtin14.empty()) return std::nullopt;
      break;
    case Symbology::kItf:
      // ITF-14 on outer cases carries a GTIN; other lengths are plain numbers.
      if (d.text.size() == 14) {
        if (!is_valid_gtin14(d.text)) return std::nullopt;
        d.gtin14 = d.text;
      }
      break;
    case Symbology::kCode128:
    case Symbology::kDataMatrix:
      if (d.text.empty()) return std::nullopt;
      if (gs1 && !take_element_string(d)) return std::nullopt;
      break;
    case Symbology::kQrCode:
      if (d.text.empty()) return std::nullopt;
      if (gs1) {
        if (!take_element_string(d)) return std::nullopt;
      } else if (looks_like_digital_link(d.text)) {
        auto es = digital_link_element_string(d.text);
        if (!es) {
          spdlog::debug("dropped qrcode '{}': {}", d.text, es.message());
          return std::nullopt;
        }
        d.element_string = *es;
        const auto fields = parse_element_string(d.element_string);
        if (fields) {
          for (const auto& f : *fields) {
            if (f.ai == "01") d.gtin14 = f.value;
          }
        }
      }
      break;
    case Symbology::kUnknown:
      return std::nullopt;
  }
  return d;
}

}  // namespace kiosk::vision
