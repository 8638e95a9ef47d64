#pragma once
// JSON Lines pushes (catalog and promotions): one JSON object per line, on top of read_json_lines'
// encoding, blank-line and record-size checks.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kiosk::catalog {

// Calls `on_object(line, object)` for every line that is one JSON object; a line that is cut off,
// not JSON, or JSON but not an object goes to `on_error(line, message)` (`object_hint` says what an
// object looks like, e.g. `{"gtin": ..., ...}`).
void read_json_objects(std::string_view text,
                       const std::function<void(std::uint32_t, const nlohmann::json&)>& on_object,
                       const std::function<void(std::uint32_t, std::string)>& on_error, std::string_view object_hint);

}  // namespace kiosk::catalog
