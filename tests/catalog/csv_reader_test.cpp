#include <catch2/catch.hpp>

#include "catalog/csv_reader.h"

using kiosk::catalog::find_invalid_utf8;
using kiosk::catalog::read_csv;

namespace {
std::vector<std::string> texts(const kiosk::catalog::CsvRecord& r) {
  std::vector<std::string> out;
  for (const auto& f : r.fields) out.push_back(f.text);
  return out;
}
}  // namespace

TEST_CASE("plain records split on commas and line ends") {
  const auto doc = read_csv("a,b,c\n1,2,3\n");
  REQUIRE(doc.errors.empty());
  REQUIRE(doc.records.size() == 2);
  CHECK(texts(doc.records[1]) == std::vector<std::string>{"1", "2", "3"});
  CHECK(doc.records[1].line == 2);
}

TEST_CASE("quoted fields hold commas, doubled quotes and line breaks") {
  const auto doc = read_csv("a,b\n\"x, y\",\"say \"\"hej\"\"\"\n\"two\nlines\",z\nlast,row");
  REQUIRE(doc.errors.empty());
  REQUIRE(doc.records.size() == 4);
  CHECK(texts(doc.records[1]) == std::vector<std::string>{"x, y", "say \"hej\""});
  CHECK(texts(doc.records[2]) == std::vector<std::string>{"two\nlines", "z"});
  CHECK(doc.records[2].line == 3);
  CHECK(doc.records[3].line == 5);                                          // the embedded line break counts
  CHECK(texts(doc.records[3]) == std::vector<std::string>{"last", "row"});  // no newline at EOF
}

TEST_CASE("CRLF line ends, a UTF-8 BOM and blank lines") {
  const auto doc = read_csv("\xEF\xBB\xBFgtin,name\r\n\r\n1,\"a\r\nb\"\r\n2,c\r\n");
  REQUIRE(doc.errors.empty());
  REQUIRE(doc.records.size() == 3);
  CHECK(doc.records[0].fields[0].text == "gtin");  // BOM gone
  CHECK(texts(doc.records[1]) == std::vector<std::string>{"1", "a\r\nb"});
  CHECK(doc.records[1].line == 3);
  CHECK(doc.records[2].line == 5);
}

TEST_CASE("empty fields are kept") {
  const auto doc = read_csv("a,,c,\n");
  REQUIRE(doc.records.size() == 1);
  CHECK(texts(doc.records[0]) == std::vector<std::string>{"a", "", "c", ""});
}

TEST_CASE("an unterminated quote at EOF is reported at the line where it opened") {
  const auto doc = read_csv("a,b\n1,2\n3,\"open\nstill open\n");
  REQUIRE(doc.errors.size() == 1);
  CHECK(doc.errors[0].line == 3);
  CHECK(doc.errors[0].field_index == 1);
  CHECK_THAT(doc.errors[0].message, Catch::Contains("not closed"));
  CHECK(doc.records.size() == 2);
}

TEST_CASE("stray quotes are errors, and reading goes on to find the next") {
  const auto doc = read_csv("a,b\nx\"y,1\n\"ok\"junk,2\nfine,3\n");
  REQUIRE(doc.errors.size() == 2);
  CHECK(doc.errors[0].line == 2);
  CHECK(doc.errors[0].field_index == 0);
  CHECK(doc.errors[1].line == 3);
  CHECK_THAT(doc.errors[1].message, Catch::Contains("closing quote"));
  REQUIRE(doc.records.size() == 2);  // the bad rows are left out
  CHECK(doc.records[1].fields[0].text == "fine");
}

TEST_CASE("UTF-8 validation finds the first bad byte") {
  CHECK(find_invalid_utf8("Smör och äpplen") == std::string_view::npos);
  CHECK(find_invalid_utf8("\xF0\x9F\x8D\x8C banan") == std::string_view::npos);  // 4-byte emoji
  CHECK(find_invalid_utf8("Sm\xF6r") == 2);                                      // Latin-1 ö
  CHECK(find_invalid_utf8("ab\xC3") == 2);                                       // truncated sequence
  CHECK(find_invalid_utf8("\xC0\xAF") == 0);                                     // overlong '/'
  CHECK(find_invalid_utf8("\xED\xA0\x80") == 0);                                 // UTF-16 surrogate
  CHECK(find_invalid_utf8("x\x80") == 1);                                        // lone continuation byte
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0);                             // above U+10FFFF
}
