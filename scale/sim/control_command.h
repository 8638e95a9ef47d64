#pragma once
// The simulator's control protocol, one line in, one line out (the contract in the brief):
//   place <mg>  → ok <target_mg>     (adds load)
//   remove <mg> → ok <target_mg>     (takes load away)
//   set <mg>    → ok <target_mg>     (sets the load)
//   get         → ok <target_mg> <shown_mg> <stable 0|1>
//   fault <none|overload|underload|offline> → ok
//   hand <mg> <ms>    → ok <target_mg>  (a hand resting on the platform for ms, with tremor)
//   lift <mg> <ms>    → ok <target_mg>  (an item lifted out and put back after ms)
//   vibrate <mg> <ms> → ok <target_mg>  (a floor vibration burst)
//   sway <mg>         → ok <target_mg>  (a bag swinging, decaying)
//   anything else → err <why>
#include <cstdint>
#include <string>
#include <string_view>

#include "weight_model.h"

namespace kiosk::scale::sim {

// Applies one control line to the model at now_ms and returns the reply (without newline).
std::string handle_control(std::string_view line, WeightModel& model, std::int64_t now_ms);

}  // namespace kiosk::scale::sim
