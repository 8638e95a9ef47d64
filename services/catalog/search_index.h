#pragma once
// In-memory name search and department browsing over one catalog version (the produce look-up screen).
//
// Words come from name_sv, name_en and brand, folded (search_text.h). A query word matches a product
// word exactly, as a prefix, inside it (query words of >= 3 letters: the end of a Swedish compound,
// "mjölk" in "mellanmjölk"), or (query words of >= 4 letters) with one typo: one letter inserted,
// deleted, replaced, or two neighbours swapped, over the whole word or a prefix of it. Results are
// ranked by (1) query words matched, (2) match quality summed over the query words (exact 4 > prefix 3
// > inside 2 > typo 1), (3) shorter name_sv first, (4) GTIN-14 ascending: the same order on every run.
//
// The index is immutable once built; the store builds one per served version and swaps a shared_ptr.
// Memory per product: its postings (4 bytes per distinct word) plus ~22 bytes of per-product data.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "product.h"

namespace kiosk::catalog {

struct DepartmentCount {
  std::string name;
  std::uint32_t product_count = 0;
  std::uint32_t with_image_count = 0;
};

class SearchIndex {
 public:
  class Builder {
   public:
    Builder();
    ~Builder();
    Builder(Builder&&) noexcept;
    Builder& operator=(Builder&&) noexcept;
    // Products in any order; a GTIN must not be added twice.
    void add(const Product& p);
    std::shared_ptr<const SearchIndex> build() &&;

   private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
  };

  // GTIN-14s of the best `limit` matches, best first. An empty or wordless query finds nothing.
  std::vector<std::string> search(std::string_view query, std::size_t limit) const;

  // Departments by name (byte order of their folded names), with their product counts.
  std::vector<DepartmentCount> departments() const;

  struct Page {
    std::vector<std::string> gtin14s;  // in name_sv order (folded), then GTIN
    std::uint32_t total = 0;           // products in the department (with an image, if asked)
  };
  // Products of `department` (matched case-insensitively) from position `offset`, at most `limit`.
  // An unknown department gives an empty page with total 0.
  Page browse(std::string_view department, bool images_only, std::size_t offset, std::size_t limit) const;

  std::size_t product_count() const { return gtin_.size(); }
  std::size_t word_count() const { return term_off_.empty() ? 0 : term_off_.size() - 1; }
  // Bytes held by the index (its vectors' capacities), for reports.
  std::size_t memory_bytes() const;

 private:
  friend class Builder;
  SearchIndex() = default;

  std::string_view term(std::uint32_t t) const {
    return std::string_view(terms_).substr(term_off_[t], term_off_[t + 1] - term_off_[t]);
  }

  // Words, sorted by bytes, packed: word t is terms_[term_off_[t], term_off_[t + 1]).
  std::string terms_;
  std::vector<std::uint32_t> term_off_;
  // Products having word t, ascending: postings_[post_off_[t], post_off_[t + 1]).
  std::vector<std::uint32_t> post_off_;
  std::vector<std::uint32_t> postings_;
  std::vector<std::uint32_t> tail_order_;  // word numbers ordered by their bytes after the first letter
  // Per product (the document number indexes these).
  std::vector<std::uint64_t> gtin_;      // GTIN-14 as a number (14 digits fit; same order as the text)
  std::vector<std::uint16_t> name_len_;  // name_sv in code points, capped at 65535
  // Departments: names (folded, sorted) and their products in browse order.
  std::vector<std::string> dept_names_;  // as pushed (first spelling seen)
  std::vector<std::string> dept_keys_;   // folded, sorted; dept_names_[i] belongs to dept_keys_[i]
  std::vector<std::uint32_t> dept_off_;  // dept i's products: dept_docs_[dept_off_[i], dept_off_[i + 1])
  // A department's products are put in browse order (folded name_sv, then GTIN) the first time it is
  // browsed: sorting a million names would add a second or more to every import, for a screen that
  // shows a few departments. Each range is sorted once, under its once_flag.
  mutable std::vector<std::uint32_t> dept_docs_;
  mutable std::unique_ptr<std::once_flag[]> dept_sorted_;
  void sort_department(std::size_t d) const;
  std::string sort_names_;  // folded name_sv of every product: sort_names_[sort_name_off_[doc], ..[doc + 1])
  std::vector<std::uint32_t> sort_name_off_;
  std::vector<std::uint8_t> has_image_;  // per product, 0 or 1
  std::vector<std::uint32_t> dept_image_count_;
};

}  // namespace kiosk::catalog
