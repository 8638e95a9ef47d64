#pragma once
// Choosing what the demo shopper buys, and finding the kiosk's screenshots of a state.
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace kiosk::demo {

struct DemoItem {
  std::string code;  // as printed on the package (what the camera sees)
  std::string name;
  long long price_ore = 0;
};

// The first `count` everyday items of the catalog: sold each, weighed on the bagging scale, no age
// limit, and a total the terminal simulator approves.
Result<std::vector<DemoItem>> pick_demo_items(const std::filesystem::path& catalog_csv, std::size_t count);

// The first bottle or can (a deposit code, sold each, weighed, no age limit): its pant line shows.
Result<DemoItem> find_deposit_item(const std::filesystem::path& catalog_csv);

// The demo shopper's loyalty card (an EAN-13 the demo config's member_card_prefixes match).
inline constexpr const char* kDemoMemberCard = "2990001234567";

// An item sold each at exactly `price_ore` (e.g. one the terminal simulator declines).
Result<DemoItem> find_item_priced(const std::filesystem::path& catalog_csv, long long price_ore);

// Whether the kiosk wrote a screenshot of `state` (file NNN-<state>.png) into `dir`, and how many.
bool screenshot_of(const std::filesystem::path& dir, const std::string& state);
int screenshot_count(const std::filesystem::path& dir, const std::string& state);

}  // namespace kiosk::demo
