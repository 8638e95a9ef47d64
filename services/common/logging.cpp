#include "logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <cstdlib>
#include <string>

namespace kiosk {

void init_logging(std::string_view process_name) {
  auto logger = spdlog::stderr_logger_mt(std::string(process_name));
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %n %^%l%$ %v", spdlog::pattern_time_type::utc);
  if (const char* lvl = std::getenv("KIOSK_LOG_LEVEL")) logger->set_level(spdlog::level::from_str(lvl));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace kiosk
