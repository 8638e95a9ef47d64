#include "search_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <numeric>
#include <unordered_map>

#include "search_text.h"

namespace kiosk::catalog {
namespace {

constexpr std::size_t kMaxQueryWords = 8;  // one bit each in the per-product "seen" byte
constexpr std::size_t kTypoMinLetters = 4;
constexpr std::size_t kInfixMinLetters = 3;
// Match qualities, summed over the query words.
constexpr std::uint8_t kExact = 4;
constexpr std::uint8_t kPrefix = 3;
constexpr std::uint8_t kInfix = 2;  // the end of a Swedish compound: "mjölk" in "mellanmjölk"
constexpr std::uint8_t kTypo = 1;

std::uint64_t gtin_number(std::string_view gtin14) {
  std::uint64_t v = 0;
  std::from_chars(gtin14.data(), gtin14.data() + gtin14.size(), v);
  return v;
}

std::size_t code_point_count(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

// The bytes of `s` after its first code point.
std::string_view tail(std::string_view s) {
  std::size_t i = s.empty() ? 0 : 1;
  while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0u) == 0x80u) ++i;
  return s.substr(i);
}

template <typename T>
std::size_t bytes_of(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

// Per-thread scratch for scoring, one entry per product; reset after each query (touched entries only).
struct Scratch {
  std::vector<std::uint8_t> seen;    // bit i: query word i matched
  std::vector<std::uint16_t> score;  // sum of match qualities
  std::vector<std::uint32_t> touched;
};

}  // namespace

struct SearchIndex::Builder::Impl {
  std::unordered_map<std::string, std::uint32_t> term_ids;
  std::vector<const std::string*> term_text;  // by id (map nodes do not move)
  std::vector<std::uint32_t> term_docs;       // by id: products having it
  std::vector<std::uint32_t> doc_terms;       // per product, its distinct term ids
  std::vector<std::uint32_t> doc_term_off{0};
  std::vector<std::uint64_t> gtin;
  std::vector<std::uint16_t> name_len;
  std::vector<std::uint8_t> has_image;
  std::unordered_map<std::string, std::uint32_t> dept_ids;  // folded name -> id
  std::vector<std::string> dept_names;                      // by id, as first seen
  std::vector<std::uint32_t> doc_dept;
  std::string sort_names;  // folded name_sv of every product, for browse order
  std::vector<std::uint32_t> sort_name_off{0};
  std::vector<std::string> words;  // reused
};

SearchIndex::Builder::Builder() : impl_(std::make_unique<Impl>()) {}
SearchIndex::Builder::~Builder() = default;
SearchIndex::Builder::Builder(Builder&&) noexcept = default;
SearchIndex::Builder& SearchIndex::Builder::operator=(Builder&&) noexcept = default;

void SearchIndex::Builder::add(const Product& p) {
  Impl& b = *impl_;
  const auto doc = static_cast<std::uint32_t>(b.gtin.size());
  b.words.clear();
  fold_words(p.name_sv, b.words);
  fold_words(p.name_en, b.words);
  fold_words(p.brand, b.words);
  const std::size_t first = b.doc_terms.size();
  for (auto& w : b.words) {
    auto [it, fresh] = b.term_ids.try_emplace(std::move(w), static_cast<std::uint32_t>(b.term_text.size()));
    if (fresh) {
      b.term_text.push_back(&it->first);
      b.term_docs.push_back(0);
    }
    b.doc_terms.push_back(it->second);
  }
  auto begin = b.doc_terms.begin() + static_cast<std::ptrdiff_t>(first);
  std::sort(begin, b.doc_terms.end());
  b.doc_terms.erase(std::unique(begin, b.doc_terms.end()), b.doc_terms.end());
  for (auto it = b.doc_terms.begin() + static_cast<std::ptrdiff_t>(first); it != b.doc_terms.end(); ++it) {
    ++b.term_docs[*it];
  }
  b.doc_term_off.push_back(static_cast<std::uint32_t>(b.doc_terms.size()));

  b.gtin.push_back(gtin_number(p.gtin14));
  b.name_len.push_back(static_cast<std::uint16_t>(std::min<std::size_t>(code_point_count(p.name_sv), 0xFFFF)));
  b.has_image.push_back(p.image.empty() ? 0 : 1);
  const std::string dept_key = fold_text(p.department);
  auto [d, fresh] = b.dept_ids.try_emplace(dept_key, static_cast<std::uint32_t>(b.dept_names.size()));
  if (fresh) b.dept_names.push_back(p.department);
  b.doc_dept.push_back(d->second);
  b.sort_names += fold_text(p.name_sv);
  b.sort_name_off.push_back(static_cast<std::uint32_t>(b.sort_names.size()));
  (void)doc;
}

std::shared_ptr<const SearchIndex> SearchIndex::Builder::build() && {
  Impl& b = *impl_;
  std::shared_ptr<SearchIndex> out(new SearchIndex());
  SearchIndex& x = *out;
  const auto n_terms = static_cast<std::uint32_t>(b.term_text.size());
  const auto n_docs = static_cast<std::uint32_t>(b.gtin.size());

  // Words in byte order; rank[id] = position.
  std::vector<std::uint32_t> order(n_terms);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t l, std::uint32_t r) { return *b.term_text[l] < *b.term_text[r]; });
  std::vector<std::uint32_t> rank(n_terms);
  x.term_off_.reserve(n_terms + 1);
  x.term_off_.push_back(0);
  x.post_off_.reserve(n_terms + 1);
  x.post_off_.push_back(0);
  for (std::uint32_t t = 0; t < n_terms; ++t) {
    rank[order[t]] = t;
    x.terms_ += *b.term_text[order[t]];
    x.term_off_.push_back(static_cast<std::uint32_t>(x.terms_.size()));
    x.post_off_.push_back(x.post_off_.back() + b.term_docs[order[t]]);
  }
  b.term_ids.clear();
  b.term_text.clear();
  x.terms_.shrink_to_fit();

  // Postings: products in ascending order within each word.
  x.postings_.resize(b.doc_terms.size());
  std::vector<std::uint32_t> cursor(x.post_off_.begin(), x.post_off_.end() - 1);
  for (std::uint32_t doc = 0; doc < n_docs; ++doc) {
    for (std::uint32_t k = b.doc_term_off[doc]; k < b.doc_term_off[doc + 1]; ++k) {
      x.postings_[cursor[rank[b.doc_terms[k]]]++] = doc;
    }
  }
  std::vector<std::uint32_t>().swap(b.doc_terms);
  std::vector<std::uint32_t>().swap(b.doc_term_off);

  // Words ordered by their text after the first letter: typo candidates with a wrong first letter.
  x.tail_order_.resize(n_terms);
  std::iota(x.tail_order_.begin(), x.tail_order_.end(), 0u);
  std::sort(x.tail_order_.begin(), x.tail_order_.end(), [&](std::uint32_t l, std::uint32_t r) {
    const auto tl = tail(x.term(l));
    const auto tr = tail(x.term(r));
    return tl != tr ? tl < tr : l < r;
  });

  x.gtin_ = std::move(b.gtin);
  x.name_len_ = std::move(b.name_len);
  x.has_image_ = std::move(b.has_image);

  // Departments by folded name; products within one by folded name_sv, then GTIN.
  const auto n_depts = static_cast<std::uint32_t>(b.dept_names.size());
  std::vector<std::pair<std::string, std::uint32_t>> depts;  // folded key, id
  depts.reserve(n_depts);
  for (auto& [key, id] : b.dept_ids) depts.emplace_back(key, id);
  std::sort(depts.begin(), depts.end());
  std::vector<std::uint32_t> dept_rank(n_depts);
  for (std::uint32_t i = 0; i < n_depts; ++i) {
    dept_rank[depts[i].second] = i;
    x.dept_keys_.push_back(std::move(depts[i].first));
    x.dept_names_.push_back(std::move(b.dept_names[depts[i].second]));
  }
  std::vector<std::uint32_t> dept_count(n_depts, 0);
  x.dept_image_count_.assign(n_depts, 0);
  for (std::uint32_t doc = 0; doc < n_docs; ++doc) {
    const std::uint32_t d = dept_rank[b.doc_dept[doc]];
    ++dept_count[d];
    x.dept_image_count_[d] += x.has_image_[doc];
  }
  x.dept_off_.assign(n_depts + 1, 0);
  for (std::uint32_t d = 0; d < n_depts; ++d) x.dept_off_[d + 1] = x.dept_off_[d] + dept_count[d];
  x.dept_docs_.resize(n_docs);
  std::vector<std::uint32_t> dcur(x.dept_off_.begin(), x.dept_off_.end() - 1);
  for (std::uint32_t doc = 0; doc < n_docs; ++doc) x.dept_docs_[dcur[dept_rank[b.doc_dept[doc]]]++] = doc;
  x.dept_sorted_ = std::make_unique<std::once_flag[]>(n_depts);
  x.sort_names_ = std::move(b.sort_names);
  x.sort_name_off_ = std::move(b.sort_name_off);
  impl_.reset();
  return out;
}

std::vector<std::string> SearchIndex::search(std::string_view query, std::size_t limit) const {
  std::vector<std::string> words;
  fold_words(query, words);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  if (words.size() > kMaxQueryWords) words.resize(kMaxQueryWords);
  if (words.empty() || limit == 0 || gtin_.empty()) return {};

  const auto n_terms = static_cast<std::uint32_t>(word_count());
  const auto lower = [&](std::string_view w) {
    std::uint32_t lo = 0, hi = n_terms;
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      if (term(mid) < w) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
  // Words (in tail order) whose text after the first letter starts with `w`.
  const auto tail_range = [&](std::string_view w) {
    const auto lo = std::partition_point(tail_order_.begin(), tail_order_.end(),
                                         [&](std::uint32_t t) { return tail(term(t)) < w; });
    const auto hi =
        std::partition_point(lo, tail_order_.end(), [&](std::uint32_t t) { return tail(term(t)).starts_with(w); });
    return std::pair(lo, hi);
  };

  thread_local Scratch scratch;
  Scratch& s = scratch;
  if (s.seen.size() < gtin_.size()) {
    s.seen.resize(gtin_.size(), 0);
    s.score.resize(gtin_.size(), 0);
  }
  s.touched.clear();

  // Per query word: the index words it matches, with their quality, and how many products those have.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint8_t>>> word_matches(words.size());
  std::vector<std::size_t> word_postings(words.size(), 0);
  std::vector<std::uint32_t> typo_candidates;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    auto& matches = word_matches[i];
    matches.clear();
    const std::u32string q = to_code_points(w);
    // Exact, then longer words starting with it: one contiguous run in byte order. A one-letter word
    // beside others ("500 g") is a whole word: as a prefix it would match a good part of the catalog.
    const bool whole_word_only = q.size() == 1 && words.size() > 1;
    for (std::uint32_t t = lower(w); t < n_terms && term(t).starts_with(w); ++t) {
      if (term(t).size() == w.size()) {
        matches.emplace_back(t, kExact);
      } else if (!whole_word_only) {
        matches.emplace_back(t, kPrefix);
      }
    }
    if (q.size() >= kInfixMinLetters) {
      for (std::uint32_t t = 0; t < n_terms; ++t) {
        const std::string_view tt = term(t);
        if (tt.size() > w.size() && tt.find(w, 1) != std::string_view::npos) matches.emplace_back(t, kInfix);
      }
    }
    if (q.size() >= kTypoMinLetters) {
      // One typo keeps the first letter, or makes it the query's second letter (swap, deletion), or
      // changes/inserts only at the start (then the rest lines up with the query from its first or
      // second letter): four runs to check instead of every word.
      typo_candidates.clear();
      const std::string_view after_first = tail(w);
      const std::string_view second(after_first.data(), after_first.size() - tail(after_first).size());
      for (const std::string_view start : {std::string_view(w.data(), w.size() - after_first.size()), second}) {
        for (std::uint32_t t = lower(start); t < n_terms && term(t).starts_with(start); ++t) {
          typo_candidates.push_back(t);
        }
      }
      for (const std::string_view rest : {after_first, std::string_view(w)}) {
        // A replaced first letter leaves the query's tail; an inserted first letter, the whole query.
        const auto [lo, hi] = tail_range(rest);
        typo_candidates.insert(typo_candidates.end(), lo, hi);
      }
      std::sort(typo_candidates.begin(), typo_candidates.end());
      typo_candidates.erase(std::unique(typo_candidates.begin(), typo_candidates.end()), typo_candidates.end());
      for (const std::uint32_t t : typo_candidates) {
        const std::string_view tt = term(t);
        if (tt.find(w) != std::string_view::npos) continue;  // already exact, prefix or infix
        const std::u32string c = to_code_points(tt);
        if (within_one_edit(q, c) || prefix_within_one_edit(q, c)) matches.emplace_back(t, kTypo);
      }
    }
    std::stable_sort(matches.begin(), matches.end(), [](const auto& l, const auto& r) { return l.second > r.second; });
    for (const auto& m : matches) word_postings[i] += post_off_[m.first + 1] - post_off_[m.first];
  }

  // A word found in over a quarter of the catalog ("g" in "500 g") beside rarer ones only adds to the
  // products the rarer ones found: alone it would put most of the catalog into the ranking.
  const std::size_t common = std::max<std::size_t>(gtin_.size() / 4, 10'000);  // small catalogs: no need
  const bool any_rare =
      std::any_of(word_postings.begin(), word_postings.end(), [&](std::size_t n) { return n <= common; });
  std::vector<std::size_t> order(words.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t l, std::size_t r) { return word_postings[l] < word_postings[r]; });
  // The hot loops below run over up to a million postings: plain pointers (not the thread_local
  // vectors, whose address the compiler reloads each time) and a table for the words-matched count
  // (std::popcount is a libgcc call on baseline x86-64).
  std::uint8_t* const seen_of = s.seen.data();
  std::uint16_t* const score_of = s.score.data();
  std::vector<std::uint32_t>& touched = s.touched;
  for (const std::size_t i : order) {
    const bool adds = !any_rare || word_postings[i] <= common;
    const auto bit = static_cast<std::uint8_t>(1u << i);
    for (const auto& [t, quality] : word_matches[i]) {
      const std::uint32_t* const end = postings_.data() + post_off_[t + 1];
      for (const std::uint32_t* k = postings_.data() + post_off_[t]; k != end; ++k) {
        const std::uint32_t doc = *k;
        const std::uint8_t seen = seen_of[doc];
        if (seen & bit) continue;  // this query word already matched here, at least as well
        if (seen == 0) {
          if (!adds) continue;
          touched.push_back(doc);
        }
        seen_of[doc] = static_cast<std::uint8_t>(seen | bit);
        score_of[doc] = static_cast<std::uint16_t>(score_of[doc] + quality);
      }
    }
  }

  static constexpr auto kWordsMatched = [] {
    std::array<std::uint8_t, 256> bits{};
    for (int v = 0; v < 256; ++v)
      bits[static_cast<std::size_t>(v)] = static_cast<std::uint8_t>(std::popcount(static_cast<unsigned>(v)));
    return bits;
  }();
  const auto matched = [&](std::uint32_t doc) { return kWordsMatched[seen_of[doc]]; };
  const auto better = [&](std::uint32_t l, std::uint32_t r) {
    const int ml = matched(l);
    const int mr = matched(r);
    if (ml != mr) return ml > mr;
    if (score_of[l] != score_of[r]) return score_of[l] > score_of[r];
    if (name_len_[l] != name_len_[r]) return name_len_[l] < name_len_[r];
    return gtin_[l] < gtin_[r];
  };
  // Only products in the best (words matched, score) classes can make the first `limit`: count the
  // classes, keep those from the best down to the one that fills the limit, and sort only them.
  const auto cls = [&](std::uint32_t doc) { return matched(doc) * 64 + score_of[doc]; };
  std::array<std::uint32_t, (kMaxQueryWords + 1) * 64> counts{};
  for (const std::uint32_t doc : s.touched) ++counts[static_cast<std::size_t>(cls(doc))];
  int threshold = static_cast<int>(counts.size()) - 1;
  for (std::size_t acc = 0; threshold > 0; --threshold) {
    acc += counts[static_cast<std::size_t>(threshold)];
    if (acc >= limit) break;
  }
  const auto kept =
      std::partition(s.touched.begin(), s.touched.end(), [&](std::uint32_t doc) { return cls(doc) >= threshold; });
  const auto k = std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(limit), kept - s.touched.begin());
  std::partial_sort(s.touched.begin(), s.touched.begin() + k, kept, better);
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(k));
  for (std::ptrdiff_t j = 0; j < k; ++j)
    out.push_back(fmt::format("{:014}", gtin_[s.touched[static_cast<std::size_t>(j)]]));
  for (const std::uint32_t doc : s.touched) {
    seen_of[doc] = 0;
    score_of[doc] = 0;
  }
  return out;
}

std::vector<DepartmentCount> SearchIndex::departments() const {
  std::vector<DepartmentCount> out;
  out.reserve(dept_names_.size());
  for (std::size_t d = 0; d < dept_names_.size(); ++d) {
    out.push_back({dept_names_[d], dept_off_[d + 1] - dept_off_[d], dept_image_count_[d]});
  }
  return out;
}

void SearchIndex::sort_department(std::size_t d) const {
  std::call_once(dept_sorted_[d], [&] {
    const auto sort_name = [&](std::uint32_t doc) {
      return std::string_view(sort_names_).substr(sort_name_off_[doc], sort_name_off_[doc + 1] - sort_name_off_[doc]);
    };
    std::sort(dept_docs_.begin() + dept_off_[d], dept_docs_.begin() + dept_off_[d + 1],
              [&](std::uint32_t l, std::uint32_t r) {
                const auto nl = sort_name(l);
                const auto nr = sort_name(r);
                return nl != nr ? nl < nr : gtin_[l] < gtin_[r];
              });
  });
}

SearchIndex::Page SearchIndex::browse(std::string_view department, bool images_only, std::size_t offset,
                                      std::size_t limit) const {
  Page page;
  const std::string key = fold_text(department);
  const auto it = std::lower_bound(dept_keys_.begin(), dept_keys_.end(), key);
  if (it == dept_keys_.end() || *it != key) return page;
  const auto d = static_cast<std::size_t>(it - dept_keys_.begin());
  sort_department(d);
  const std::uint32_t begin = dept_off_[d];
  const std::uint32_t end = dept_off_[d + 1];
  if (!images_only) {
    page.total = end - begin;
    for (std::size_t i = begin + std::min<std::size_t>(offset, end - begin); i < end && page.gtin14s.size() < limit;
         ++i) {
      page.gtin14s.push_back(fmt::format("{:014}", gtin_[dept_docs_[i]]));
    }
    return page;
  }
  page.total = dept_image_count_[d];
  std::size_t seen = 0;
  for (std::size_t i = begin; i < end && page.gtin14s.size() < limit; ++i) {
    const std::uint32_t doc = dept_docs_[i];
    if (!has_image_[doc]) continue;
    if (seen++ < offset) continue;
    page.gtin14s.push_back(fmt::format("{:014}", gtin_[doc]));
  }
  return page;
}

std::size_t SearchIndex::memory_bytes() const {
  std::size_t n = terms_.capacity() + bytes_of(term_off_) + bytes_of(post_off_) + bytes_of(postings_) +
                  bytes_of(tail_order_) + bytes_of(gtin_) + bytes_of(name_len_) + bytes_of(has_image_) +
                  bytes_of(dept_off_) + bytes_of(dept_docs_) + bytes_of(dept_image_count_) + sort_names_.capacity() +
                  bytes_of(sort_name_off_);
  for (const auto& s : dept_names_) n += s.capacity();
  for (const auto& s : dept_keys_) n += s.capacity();
  return n;
}

}  // namespace kiosk::catalog
