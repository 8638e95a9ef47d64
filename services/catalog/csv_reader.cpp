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

CsvDocument read_csv(std::string_view text, std::size_t max_record_bytes) {
  CsvDocument doc;
  if (auto problem = whole_file_encoding_problem(text)) {
    doc.errors.push_back({1, 0, std::move(*problem)});
    return doc;
  }
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
      doc.errors.push_back({rec.line, field_index,
                            fmt::format("the record is longer than {} bytes, the most a catalog row may have "
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
          doc.errors.push_back({open_line, field_index,
                                "the quoted field that starts on this line is not closed before the end "
                                "of the file (a missing \")"});
          return doc;
        }
        if (i < n && !is_end(text[i])) {
          if (!bad) {
            doc.errors.push_back({line, field_index,
                                  fmt::format("unexpected '{}' after a closing quote (a quote inside a field "
                                              "must be doubled: \"\")",
                                              text[i])});
          }
          bad = true;
          while (i < n && !is_end(text[i])) ++i;
        }
      } else {
        while (i < n && !is_end(text[i])) {
          if (text[i] == '"' && !bad) {
            doc.errors.push_back({line, field_index,
                                  "a quote inside an unquoted field (put the whole field in quotes and "
                                  "double the quote)"});
            bad = true;
          }
          if (!keep(field_index)) {
            // Skip the rest of the line without looking at it byte by byte.
            const std::size_t end = text.find_first_of("\n\r", i);
            i = end == std::string_view::npos ? n : end;
            break;
          }
          field.text += text[i];
          ++i;
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
    if (!bad && !blank) doc.records.push_back(std::move(rec));
  }
  return doc;
}

}  // namespace kiosk::catalog
