#include "csv_reader.h"

#include <fmt/format.h>

#include <algorithm>

namespace kiosk::catalog {

std::size_t find_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return i;  // continuation byte without a lead, or a lead that is never valid (C0, C1, F5..FF)
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((byte(i + k) & 0xC0u) != 0x80u) return i;
      cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::optional<std::string> whole_file_encoding_problem(std::string_view text) {
  const auto starts = [&](std::string_view bom) { return text.substr(0, bom.size()) == bom; };
  if (starts(std::string_view("\xFF\xFE\x00\x00", 4)) || starts(std::string_view("\x00\x00\xFE\xFF", 4))) {
    return "the file is UTF-32 (it starts with a UTF-32 byte order mark); save it as UTF-8";
  }
  if (starts("\xFF\xFE") || starts("\xFE\xFF")) {
    return fmt::format("the file is UTF-16 ({} byte order mark {}); save it as UTF-8",
                       starts("\xFF\xFE") ? "little-endian," : "big-endian,", starts("\xFF\xFE") ? "FF FE" : "FE FF");
  }
  // UTF-16 without a mark: ASCII text with every other byte NUL.
  const std::string_view head = text.substr(0, 64);
  const auto nuls = std::count(head.begin(), head.end(), '\0');
  if (head.size() >= 8 && nuls * 3 >= static_cast<std::ptrdiff_t>(head.size())) {
    return "the file looks like UTF-16 or UTF-32 (NUL bytes between the characters); save it as UTF-8";
  }
  return std::nullopt;
}

void read_json_lines(std::string_view text, const std::function<void(std::uint32_t, std::string_view)>& on_line,
                     const std::function<void(std::uint32_t, std::string)>& on_error, std::size_t max_line_bytes) {
  if (auto problem = whole_file_encoding_problem(text)) return on_error(1, std::move(*problem));
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::uint32_t line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (std::all_of(raw.begin(), raw.end(), [](char c) { return c == ' ' || c == '\t'; })) continue;
    if (raw.size() > max_line_bytes) {
      on_error(line, fmt::format("the line is {} bytes long, more than the {} bytes a record may have (a missing "
                                 "line break?)",
                                 raw.size(), max_line_bytes));
      continue;
    }
    if (const auto bad = find_invalid_utf8(raw); bad != std::string_view::npos) {
      on_error(line, fmt::format("invalid UTF-8 at byte {} of the line (byte 0x{:02X}); save the file as UTF-8",
                                 bad + 1, static_cast<unsigned char>(raw[bad])));
      continue;
    }
    on_line(line, raw);
  }
}

void for_each_csv_record(std::string_view text, const std::function<void(CsvRecord&)>& on_record,
                         const std::function<void(CsvSyntaxError)>& on_error, std::size_t max_record_bytes) {
  if (auto problem = whole_file_encoding_problem(text)) return on_error({1, 0, std::move(*problem)});
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  std::size_t i = 0;
  std::uint32_t line = 1;
  const std::size_t n = text.size();

  // Consumes one line break (LF, CRLF or a lone CR) at i, if there is one.
  const auto eat_newline = [&]() -> bool {
    if (i < n && text[i] == '\n') {
      ++i;
      ++line;
      return true;
    }
    if (i < n && text[i] == '\r') {
      ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      return true;
    }
    return false;
  };
  const auto is_end = [&](char c) { return c == ',' || c == '\n' || c == '\r'; };

  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    const std::size_t rec_start = i;
    bool bad = false;
    bool too_long = false;
    bool end_of_record = false;
    // Past the limit the record is dropped: report once, stop copying, keep scanning for its end.
    const auto keep = [&](std::uint32_t field_index) {
      if (too_long) return false;
      if (i - rec_start < max_record_bytes) return true;
      too_long = true;
      bad = true;
      on_error({rec.line, field_index,
                fmt::format("the record is longer than {} bytes, the most a record may have "
                            "(a missing line break or an unclosed quote?); the rest of it was skipped",
                            max_record_bytes)});
      return false;
    };
    while (!end_of_record) {
      CsvField field;
      field.line = line;
      const auto field_index = static_cast<std::uint32_t>(rec.fields.size());
      if (i < n && text[i] == '"') {
        const std::uint32_t open_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              if (keep(field_index)) field.text += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n' || (c == '\r' && !(i + 1 < n && text[i + 1] == '\n'))) ++line;
          if (keep(field_index)) field.text += c;
          ++i;
        }
        if (!closed) {
          on_error({open_line, field_index,
                    "the quoted field that starts on this line is not closed before the end "
                    "of the file (a missing \")"});
          return;
        }
        if (i < n && !is_end(text[i])) {
          if (!bad) {
            on_error({line, field_index,
                      fmt::format("unexpected '{}' after a closing quote (a quote inside a field "
                                  "must be doubled: \"\")",
                                  text[i])});
          }
          bad = true;
          while (i < n && !is_end(text[i])) ++i;
        }
      } else {
        // An unquoted field is copied in one piece (the common case: a million-row push).
        std::size_t end = i;
        while (end < n && !is_end(text[end])) ++end;
        if (!bad && text.substr(i, end - i).find('"') != std::string_view::npos) {
          on_error({line, field_index,
                    "a quote inside an unquoted field (put the whole field in quotes and "
                    "double the quote)"});
          bad = true;
        }
        if (end > i && !too_long && end - rec_start > max_record_bytes) {
          i = std::max(i, rec_start + max_record_bytes);
          keep(field_index);  // past the limit now: reports the record as too long
          // Skip the rest of the line without looking at it byte by byte.
          const std::size_t eol = text.find_first_of("\n\r", i);
          i = eol == std::string_view::npos ? n : eol;
        } else {
          if (!too_long) field.text.assign(text.substr(i, end - i));
          i = end;
        }
      }
      if (!too_long) rec.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
      } else {
        eat_newline();
        end_of_record = true;
      }
    }
    const bool blank = rec.fields.size() == 1 && rec.fields[0].text.empty();
    if (!bad && !blank) on_record(rec);
  }
}

CsvDocument read_csv(std::string_view text, std::size_t max_record_bytes) {
  CsvDocument doc;
  for_each_csv_record(
      text, [&](CsvRecord& rec) { doc.records.push_back(std::move(rec)); },
      [&](CsvSyntaxError e) { doc.errors.push_back(std::move(e)); }, max_record_bytes);
  return doc;
}

}  // namespace kiosk::catalog
