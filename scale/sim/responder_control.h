#pragma once
// Control lines for the protocol frontends, handled before the weight model's (control_command.h):
//   scan <code> [ean13|ean8|upca|upce|code128|code39|itf] → ok   (scanner-scales: an S08 barcode)
//   fault hardware|calibration|rezero                      → ok   (device faults; Magellan shows
//                                                                   them as S140, HID as status 1/7/8)
//   inject <hex bytes>                                     → ok <n> (raw bytes onto the line, for
//                                                                   garbage and partial-frame tests)
// `fault none` also clears a device fault and then goes on to the model. Other lines: nullopt.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "responder.h"

namespace kiosk::scale::sim {

struct FrontendReply {
  std::string reply;   // the control answer, without newline
  std::string inject;  // bytes to write to the host as they are
};

std::optional<FrontendReply> handle_frontend_control(std::string_view line, Responder& responder);

}  // namespace kiosk::scale::sim
