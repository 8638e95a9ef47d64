#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "catalog/catalog_store.h"
#include "catalog/search_index.h"
#include "catalog/search_text.h"
#include "common/clock.h"
#include "common/gtin.h"
#include "temp_dir.h"

using kiosk::catalog::fold_text;
using kiosk::catalog::ImportMode;
using kiosk::catalog::Product;
using kiosk::catalog::SearchIndex;

namespace {

// A product with a GTIN made from `n` (check digit computed).
Product product(std::uint64_t n, std::string name_sv, std::string name_en = "", std::string brand = "",
                std::string department = "", std::string image = "") {
  const std::string body = fmt::format("731000{:06}", n);
  Product p;
  p.gtin14 = "0" + body + kiosk::gtin_check_digit(body);
  p.name_sv = std::move(name_sv);
  p.name_en = std::move(name_en);
  p.brand = std::move(brand);
  p.department = std::move(department);
  p.image = std::move(image);
  return p;
}

std::shared_ptr<const SearchIndex> index_of(const std::vector<Product>& products) {
  SearchIndex::Builder b;
  for (const auto& p : products) b.add(p);
  return std::move(b).build();
}

// Names of the hits, for readable failures.
std::vector<std::string> names(const std::vector<Product>& all, const std::vector<std::string>& gtins) {
  std::vector<std::string> out;
  for (const auto& g : gtins) {
    for (const auto& p : all) {
      if (p.gtin14 == g) out.push_back(p.name_sv);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("folding: case, Swedish letters kept, other accents dropped, decomposed text composed") {
  CHECK(fold_text("MJÖLK Ägg Åkerö") == "mjölk ägg åkerö");
  CHECK(fold_text("Café CRÈME brûlée") == "cafe creme brulee");
  CHECK(fold_text("Müsli, Smørrebrød & Æble") == "musli smörrebröd äble");
  CHECK(fold_text("Straße") == "strasse");
  CHECK(fold_text("Ma\xCC\x88rta A\xCC\x8A") == "märta å");  // NFD (a + U+0308, A + U+030A), as a Mac writes
  CHECK(fold_text("Mellanmjölk 1,5 % 1 l") == "mellanmjölk 1 5 1 l");
  CHECK(fold_text("ΑΘΗΝΑ") == "αθηνα");
  CHECK(fold_text("") == "");
  CHECK(fold_text("Sm\xF6r") == "sm r");  // an invalid byte separates words
}

TEST_CASE("one edit: insert, delete, replace, swap neighbours, over code points") {
  using kiosk::catalog::prefix_within_one_edit;
  using kiosk::catalog::to_code_points;
  using kiosk::catalog::within_one_edit;
  const auto one = [](std::string_view a, std::string_view b) {
    return within_one_edit(to_code_points(a), to_code_points(b));
  };
  CHECK(one("mjölk", "mjölk"));
  CHECK(one("mjölk", "mjölkk"));  // inserted
  CHECK(one("mjölk", "mjlk"));    // deleted
  CHECK(one("mjölk", "mjolk"));   // replaced (ö is one letter, two bytes)
  CHECK(one("mjölk", "mjlök"));   // swapped
  CHECK_FALSE(one("mjölk", "mlöjk"));
  CHECK_FALSE(one("mjölk", "mjö"));
  CHECK_FALSE(one("kaffe", "kafef1"));
  CHECK(prefix_within_one_edit(to_code_points("kafe"), to_code_points("kaffebönor")));
  CHECK(prefix_within_one_edit(to_code_points("bnaan"), to_code_points("bananer")));
  CHECK_FALSE(prefix_within_one_edit(to_code_points("xyzw"), to_code_points("bananer")));
}

TEST_CASE("search ranks exact words over prefixes over compound parts over typos") {
  const std::vector<Product> all = {
      product(1, "Mjölkchoklad"),         // prefix
      product(2, "Mellanmjölk"),          // the end of a compound
      product(3, "Mjölk"),                // exact
      product(4, "Mjöl"),                 // one typo away (a letter missing)
      product(5, "Smör"),                 // no match
      product(6, "Mjölk ekologisk 1 l"),  // exact, longer name
  };
  const auto idx = index_of(all);
  CHECK(names(all, idx->search("mjölk", 10)) ==
        std::vector<std::string>{"Mjölk", "Mjölk ekologisk 1 l", "Mjölkchoklad", "Mellanmjölk", "Mjöl"});
  CHECK(names(all, idx->search("MJÖLK", 2)) == std::vector<std::string>{"Mjölk", "Mjölk ekologisk 1 l"});
  CHECK(idx->search("choklad", 10).size() == 1);  // compound part
  CHECK(idx->search("zzzz", 10).empty());
  CHECK(idx->search("", 10).empty());
  CHECK(idx->search(" ,. ", 10).empty());
}

TEST_CASE("search tolerates one typo on words of four letters or more, not on shorter ones") {
  const std::vector<Product> all = {product(1, "Bananer", "Bananas"), product(2, "Ost", "Cheese"),
                                    product(3, "Kaffe", "Coffee", "Gevalia")};
  const auto idx = index_of(all);
  CHECK(names(all, idx->search("bananre", 10)) == std::vector<std::string>{"Bananer"});  // swapped
  CHECK(names(all, idx->search("banamer", 10)) == std::vector<std::string>{"Bananer"});  // replaced
  CHECK(names(all, idx->search("bnaan", 10)) == std::vector<std::string>{"Bananer"});    // swapped, while typing
  CHECK(names(all, idx->search("gevallia", 10)) == std::vector<std::string>{"Kaffe"});   // brand, inserted
  CHECK(names(all, idx->search("cofee", 10)) == std::vector<std::string>{"Kaffe"});      // English, deleted
  CHECK(idx->search("osr", 10).empty());      // three letters: no typo allowed
  CHECK(idx->search("bxnxner", 10).empty());  // two typos
}

TEST_CASE("a one-letter word beside others is a whole word, alone it is a prefix") {
  const std::vector<Product> all = {product(1, "Kaffe 500 g"), product(2, "Glass 500 ml"), product(3, "Gurka")};
  const auto idx = index_of(all);
  // "g" matches the word g only: the ice cream matches one word of two, the cucumber none.
  CHECK(names(all, idx->search("500 g", 10)) == std::vector<std::string>{"Kaffe 500 g", "Glass 500 ml"});
  CHECK(names(all, idx->search("g", 10)) == std::vector<std::string>{"Kaffe 500 g", "Gurka", "Glass 500 ml"});
}

TEST_CASE("more query words matched rank first, then shorter names, then GTIN, the same every time") {
  const std::vector<Product> all = {
      product(30, "Röda äpplen", "Red apples"), product(20, "Gröna äpplen", "Green apples"),
      product(10, "Röd paprika", "Red pepper"), product(40, "Äpplen", "Apples"),
      product(50, "Äpple Royal Gala", "Apple"), product(60, "Äpplen", "Apples"),
  };
  const auto idx = index_of(all);
  const auto hits = names(all, idx->search("röd äpplen", 10));
  REQUIRE(hits.size() == 6);
  CHECK(hits[0] == "Röda äpplen");  // both words (röd as a prefix of röda)
  // Then one word exactly: the two "Äpplen" (shortest, by GTIN), then longer names.
  CHECK(hits[1] == "Äpplen");
  CHECK(hits[2] == "Äpplen");
  CHECK(idx->search("röd äpplen", 10)[1] < idx->search("röd äpplen", 10)[2]);  // GTIN breaks the tie
  CHECK(idx->search("röd äpplen", 10) == idx->search("ÄPPLEN RÖD", 10));       // word order does not matter
}

TEST_CASE("departments and browsing: counted, by name, paged, images only") {
  std::vector<Product> all = {
      product(1, "Äpplen", "", "", "Frukt & grönt", "apple.png"),
      product(2, "Bananer", "", "", "Frukt & grönt", "banana.png"),
      product(3, "Citroner", "", "", "frukt & GRÖNT", ""),  // same department, other spelling
      product(4, "Mjölk", "", "", "Mejeri", "milk.png"),
      product(5, "Avokado", "", "", "Frukt & grönt", "avocado.png"),
  };
  const auto idx = index_of(all);
  const auto depts = idx->departments();
  REQUIRE(depts.size() == 2);
  CHECK(depts[0].name == "Frukt & grönt");
  CHECK(depts[0].product_count == 4);
  CHECK(depts[0].with_image_count == 3);
  CHECK(depts[1].name == "Mejeri");

  const auto first = idx->browse("FRUKT & GRÖNT", false, 0, 2);
  CHECK(first.total == 4);
  CHECK(names(all, first.gtin14s) == std::vector<std::string>{"Avokado", "Bananer"});
  const auto second = idx->browse("frukt & grönt", false, 2, 2);
  CHECK(names(all, second.gtin14s) == std::vector<std::string>{"Citroner", "Äpplen"});  // ä sorts after z
  const auto images = idx->browse("Frukt & grönt", true, 1, 10);
  CHECK(images.total == 3);
  CHECK(names(all, images.gtin14s) == std::vector<std::string>{"Bananer", "Äpplen"});
  CHECK(idx->browse("Bageri", false, 0, 10).total == 0);
  CHECK(idx->browse("Mejeri", false, 5, 10).gtin14s.empty());
}

TEST_CASE("the store serves search and browse from the served version: import, delta, rollback, reopen") {
  kiosk::test::TempDir dir{"kiosk-search"};
  kiosk::ManualClock clock(1'790'000'000'000);
  const std::string header = "gtin,name_sv,name_en,department,price_ore,vat_class,image\n";
  const std::string v1 = header +
                         "7310865004703,Mellanmjölk 1 l,Milk,Mejeri,1695,food,milk.png\n"
                         "7300000040116,Bananer,Bananas,Frukt,2995,food,banana.png\n";
  {
    auto opened = kiosk::catalog::CatalogStore::open(dir.path(), clock);
    REQUIRE(opened);
    auto& store = **opened;
    CHECK(store.search("banan", 10)->empty());  // nothing imported yet
    REQUIRE(store.import_csv(v1, ImportMode::kFull, "v1.csv")->applied);
    REQUIRE(store.search("banan", 10)->size() == 1);
    CHECK(store.search("banan", 10)->at(0).price_ore == 2995);  // the product as a lookup serves it

    // A delta adds a product: found with the carried-over ones.
    REQUIRE(store
                .import_csv(header + "7310865005120,Bananchips,Banana chips,Snacks,2495,food,\n", ImportMode::kDelta,
                            "v2.csv")
                ->applied);
    CHECK(store.search("banan", 10)->size() == 2);
    CHECK(store.departments().size() == 3);
    auto page = store.browse("frukt", true, 0, 10);
    REQUIRE(page);
    REQUIRE(page->products.size() == 1);
    CHECK(page->products[0].image == "banana.png");
    CHECK(page->catalog_version == 2);

    // Rollback to version 1: the chips are gone from search too.
    REQUIRE(store.rollback(1));
    CHECK(store.search("banan", 10)->size() == 1);
    CHECK(store.search_index()->product_count() == 2);
  }
  // Reopen: the index is built from the served version at startup.
  auto reopened = kiosk::catalog::CatalogStore::open(dir.path(), clock);
  REQUIRE(reopened);
  CHECK((*reopened)->search("mjölk", 10)->size() == 1);
  CHECK((*reopened)->search_index()->product_count() == 2);
}
