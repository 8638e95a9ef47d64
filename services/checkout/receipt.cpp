#include "checkout/receipt.h"

#include <fmt/format.h>

#include "common/money.h"
#include "common/stockholm_time.h"

namespace kiosk::checkout {
namespace {

constexpr std::size_t kWidth = 42;

// Columns on screen/paper: UTF-8 continuation bytes take no column.
std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Cuts to `max` columns without splitting a UTF-8 sequence.
std::string clip(const std::string& s, std::size_t max) {
  std::string out;
  std::size_t cols = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (cols == max) break;
      ++cols;
    }
    out += s[i];
  }
  return out;
}

// Left text and right text on one line of kWidth columns.
std::string row(const std::string& left, const std::string& right) {
  const std::size_t r = columns(right);
  const std::string l = clip(left, kWidth > r + 1 ? kWidth - r - 1 : 0);
  const std::size_t pad = kWidth - columns(l) - r;
  return l + std::string(pad, ' ') + right + "\n";
}

std::string centre(const std::string& s) {
  const std::size_t c = columns(s);
  return std::string(c < kWidth ? (kWidth - c) / 2 : 0, ' ') + s + "\n";
}

std::string rate_text(std::int32_t bp) {
  return fmt::format("{},{:02}", bp / 100, bp % 100);
}

}  // namespace

std::string format_receipt(const LaneInfo& lane, const v1::Sale& sale) {
  std::string out;
  const std::string rule(kWidth, '-');
  out += centre(lane.store_name);
  out += centre(lane.store_address);
  out += centre("Org.nr " + lane.org_number);
  out += "\n";
  out += row(fmt::format("Kassa {}", sale.lane()), fmt::format("Kvitto nr {}", sale.receipt_number()));
  out += row(stockholm_time_text(sale.completed_unix_ms()), "");
  out += rule + "\n";
  for (const auto& l : sale.lines()) {
    if (l.voided()) continue;
    if (l.deposit_for() != 0) {
      // The pant of the item above it ("Pant" as Swedish receipts print it).
      out += row(
          l.quantity() == 1 ? "  Pant" : fmt::format("  Pant {} st x {}", l.quantity(), format_ore(l.unit_price_ore())),
          format_ore(l.line_total_ore()));
      continue;
    }
    if (l.unit() == v1::SALE_UNIT_PER_KG) {
      out += row(l.name_sv(), format_ore(l.line_total_ore()));
      // Weight in kg with 3 decimals and the kilo price.
      out += row(fmt::format("  {},{:03} kg x {}/kg", l.quantity() / 1'000'000, (l.quantity() % 1'000'000) / 1000,
                             format_ore(l.unit_price_ore())),
                 "");
    } else if (l.quantity() != 1) {
      out += row(l.name_sv(), format_ore(l.line_total_ore()));
      out += row(fmt::format("  {} st x {}", l.quantity(), format_ore(l.unit_price_ore())), "");
    } else {
      out += row(l.name_sv(), format_ore(l.line_total_ore()));
    }
    // The line's promotion discounts, each on its own line with the catalog's text.
    for (const auto& d : sale.discounts()) {
      if (d.line_no() == l.line_no()) out += row("  " + d.text(), format_ore(-d.discount_ore()));
    }
  }
  out += rule + "\n";
  out += row(fmt::format("TOTALT ({} varor)", sale.totals().item_count()),
             format_ore(sale.totals().total_ore()) + " " + lane.currency);
  if (sale.totals().discount_ore() > 0) {
    out += row("Varav rabatter", format_ore(-sale.totals().discount_ore()) + " " + lane.currency);
  }
  if (sale.totals().deposit_ore() > 0) {
    out += row("Varav pant", format_ore(sale.totals().deposit_ore()) + " " + lane.currency);
  }
  if (sale.has_member()) out += row("Medlem " + sale.member().masked_number(), "");
  out += "\n";
  out += fmt::format("{:>7} {:>11} {:>11} {:>11}\n", "Moms %", "Netto", "Moms", "Brutto");
  for (const auto& v : sale.totals().vat()) {
    out += fmt::format("{:>7} {:>11} {:>11} {:>11}\n", rate_text(v.rate_bp()), format_ore(v.net_ore()),
                       format_ore(v.vat_ore()), format_ore(v.gross_ore()));
  }
  out += "\n";
  const auto& p = sale.payment();
  out += row("Kort " + p.card_brand(), format_ore(p.amount_ore()) + " " + lane.currency);
  out += row("  " + p.masked_pan(), "");
  if (!p.auth_code().empty()) out += row("  Auktorisation " + p.auth_code(), "");
  out += row("  Ref " + p.poi_transaction_id(), "");
  out += "\n";
  out += centre("Tack för ditt köp!");
  return out;
}

}  // namespace kiosk::checkout
