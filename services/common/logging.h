#pragma once
// Logs go to stderr (journald picks them up under systemd). Level from KIOSK_LOG_LEVEL (default info).
#include <string_view>

namespace kiosk {
void init_logging(std::string_view process_name);
}
