#include "csv_reader.h"

#include <fmt/format.h>

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

CsvDocument read_csv(std::string_view text) {
  CsvDocument doc;
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

  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    bool bad = false;
    bool end_of_record = false;
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
              field.text += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n' || (c == '\r' && !(i + 1 < n && text[i + 1] == '\n'))) ++line;
          field.text += c;
          ++i;
        }
        if (!closed) {
          doc.errors.push_back({open_line, field_index,
                                "the quoted field that starts on this line is not closed before the end "
                                "of the file (a missing \")"});
          return doc;
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (!bad) {
            doc.errors.push_back({line, field_index,
                                  fmt::format("unexpected '{}' after a closing quote (a quote inside a field "
                                              "must be doubled: \"\")",
                                              text[i])});
          }
          bad = true;
          while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') ++i;
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"' && !bad) {
            doc.errors.push_back({line, field_index,
                                  "a quote inside an unquoted field (put the whole field in quotes and "
                                  "double the quote)"});
            bad = true;
          }
          field.text += text[i];
          ++i;
        }
      }
      rec.fields.push_back(std::move(field));
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
