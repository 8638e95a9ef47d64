#include "json_lines.h"

#include <fmt/format.h>

#include "csv_reader.h"

namespace kiosk::catalog {

void read_json_objects(std::string_view text,
                       const std::function<void(std::uint32_t, const nlohmann::json&)>& on_object,
                       const std::function<void(std::uint32_t, std::string)>& on_error, std::string_view object_hint) {
  read_json_lines(
      text,
      [&](std::uint32_t line, std::string_view raw) {
        nlohmann::json obj;
        try {
          obj = nlohmann::json::parse(raw);
        } catch (const nlohmann::json::parse_error& e) {
          // nlohmann reports a byte past the end when the text stops inside the object.
          on_error(line, e.byte > raw.size()
                             ? std::string("the line ends inside its JSON object (cut off?): expected one whole "
                                           "object per line")
                             : fmt::format("not JSON at byte {}: expected one object per line", e.byte));
          return;
        }
        if (!obj.is_object()) {
          on_error(line, object_hint.empty() ? std::string("expected a JSON object on each line")
                                             : fmt::format("expected a JSON object ({}) on each line", object_hint));
          return;
        }
        on_object(line, obj);
      },
      on_error);
}

}  // namespace kiosk::catalog
