#pragma once
// RFC 4180 CSV reader: comma-separated, fields optionally in double quotes (a doubled quote inside is
// one quote; commas and line breaks inside quotes are data), records end in LF or CRLF. A leading UTF-8
// BOM is skipped and blank lines are ignored. Every syntax error is collected, with its line, so a
// whole file can be reported at once. A record longer than kMaxRecordBytes is an error: the reader
// copies at most that much of it and skips the rest, so a huge line costs a scan, not memory.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::catalog {

// Longest record (CSV) or line (JSON Lines) in a push, in bytes: a real product row is under 2 KiB.
inline constexpr std::size_t kMaxRecordBytes = 64 * 1024;

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

CsvDocument read_csv(std::string_view text, std::size_t max_record_bytes = kMaxRecordBytes);

// The same, streamed: each record (in file order, those with a syntax error left out) goes to
// `on_record` as soon as it is read, each syntax error to `on_error`, so a large push is never held
// as records all at once. on_record may move from the record.
void for_each_csv_record(std::string_view text, const std::function<void(CsvRecord&)>& on_record,
                         const std::function<void(CsvSyntaxError)>& on_error,
                         std::size_t max_record_bytes = kMaxRecordBytes);

// A whole-file encoding problem a person should fix before anything else: a UTF-16 or UTF-32 file
// (byte order mark, or NUL bytes among the first characters). std::nullopt for text that may be UTF-8;
// single bad bytes (Latin-1) are found per field by find_invalid_utf8.
std::optional<std::string> whole_file_encoding_problem(std::string_view text);

// Splits a JSON Lines push into its lines for `on_line(line, text)` (1-based line number, text without
// its LF or CRLF). Checked here, once for every JSON Lines reader: a whole-file encoding problem (one
// error on line 1, nothing read), a leading BOM (skipped), blank lines (skipped), lines longer than
// `max_line_bytes` (an error, measured before anything is copied) and lines that are not UTF-8 (an
// error); a line with an error is not passed on. Errors go to `on_error(line, message)`.
void read_json_lines(std::string_view text, const std::function<void(std::uint32_t, std::string_view)>& on_line,
                     const std::function<void(std::uint32_t, std::string)>& on_error,
                     std::size_t max_line_bytes = kMaxRecordBytes);

// Checks that `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
// Returns the byte offset of the first bad byte, or npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view s);

}  // namespace kiosk::catalog
