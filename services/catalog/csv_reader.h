#pragma once
// RFC 4180 CSV reader: comma-separated, fields optionally in double quotes (a doubled quote inside is
// one quote; commas and line breaks inside quotes are data), records end in LF or CRLF. A leading UTF-8
// BOM is skipped and blank lines are ignored. Every syntax error is collected, with its line, so a
// whole file can be reported at once.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::catalog {

struct CsvField {
  std::string text;
  std::uint32_t line = 0;  // 1-based line where the field starts
};

struct CsvRecord {
  std::uint32_t line = 0;  // 1-based line where the record starts
  std::vector<CsvField> fields;
};

struct CsvSyntaxError {
  std::uint32_t line = 0;
  std::uint32_t field_index = 0;  // 0-based field within its record
  std::string message;
};

struct CsvDocument {
  std::vector<CsvRecord> records;  // records with a syntax error are left out
  std::vector<CsvSyntaxError> errors;
};

CsvDocument read_csv(std::string_view text);

// Checks that `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
// Returns the byte offset of the first bad byte, or npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view s);

}  // namespace kiosk::catalog
