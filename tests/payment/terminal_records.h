#pragma once
// What terminal-sim recorded, read the same way by the plain-HTTP and the secure binding tests.
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace kiosk::test {

// Outcome of the latest transaction in a GET /charges answer, "" when there is none or the request failed.
inline std::string latest_outcome(const httplib::Result& res) {
  if (!res || res->status != 200) return "";
  auto arr = nlohmann::json::parse(res->body);
  return arr.empty() ? "" : arr.back().at("outcome").get<std::string>();
}

// Transactions terminal-sim's --journal file holds with the given outcome.
inline int count_outcomes(const std::filesystem::path& journal, const std::string& outcome) {
  std::ifstream in(journal);
  int n = 0;
  for (std::string line; std::getline(in, line);) n += nlohmann::json::parse(line).at("outcome") == outcome ? 1 : 0;
  return n;
}

}  // namespace kiosk::test
