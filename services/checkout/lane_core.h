#pragma once
// The lane's shopper session state machine (DESIGN.md):
//   Idle → Scanning ⇄ WaitingForBagging → Paying → Receipt → Idle,
//   NeedsAttendant from Scanning/WaitingForBagging/Paying, left by an attendant action or by the
//   shopper undoing the cause (the scale closing its alert).
// Inputs are events (scans, bagging verdicts, scale alerts, payment outcomes, a timer tick) and Act
// requests (shopper intents, PIN-verified attendant actions). Every accepted input is journaled (synced)
// before the observer sees the new Session; the returned Effects are what the adapter must do next
// (scale and payment calls). A refused input returns an error and changes nothing. Thread-safe.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "checkout/attendants.h"
#include "checkout/basket.h"
#include "checkout/deposits.h"
#include "checkout/journal.h"
#include "checkout/member_card.h"
#include "checkout/receipt.h"
#include "common/clock.h"
#include "common/result.h"
#include "common/vat.h"
#include "kiosk/v1/checkout.pb.h"
#include "kiosk/v1/payment.pb.h"
#include "kiosk/v1/scale.pb.h"

namespace kiosk::checkout {

// Something the adapter must do on a peer after a transition, in order.
struct Effect {
  enum class Kind {
    kScaleBeginSession,   // session_id
    kScaleEndSession,     // session_id
    kScaleExpectItem,     // expectation_id, gtin14, expected_mg, spread_mg, no_weigh
    kScaleExpectRemoval,  // expectation_id, gtin14, expected_mg, spread_mg
    kScaleResolveAlert,   // alert_id, decision, attendant_id
    kPaymentPay,          // idempotency_key, amount_ore, session_id (sale reference); blocks until final
    kPaymentAbort,        // idempotency_key
    kCatalogPriceBasket,  // session_id: the basket changed; ask the catalog for its promotions
    kCatalogRecordSale,   // a sale was journaled with its stock record: report it to the catalog
    kScaleWeighProduce,   // session_id, gtin14: weigh the per-kg item the session waits for
  };
  Kind kind = Kind::kScaleBeginSession;
  std::string session_id{};
  std::string expectation_id{};
  std::string gtin14{};
  std::int64_t expected_mg = 0;
  std::int64_t spread_mg = 0;
  bool no_weigh = false;
  std::string alert_id{};
  v1::ResolveAlertRequest::Decision decision = v1::ResolveAlertRequest::DECISION_UNSPECIFIED;
  std::string attendant_id{};
  std::string idempotency_key{};
  std::int64_t amount_ore = 0;
};

struct Outcome {
  v1::Session session;
  std::vector<Effect> effects;
};

// A question to the catalog's promotions (Catalog.PriceBasket) about the basket as it was at
// `basket_change`: request line i is basket line line_nos[i].
struct PricingRequest {
  std::string session_id;
  std::uint32_t basket_change = 0;
  std::vector<std::uint32_t> line_nos;
  v1::PriceBasketRequest request;
};

// A completed sale whose lines the catalog's stock has not taken yet (Catalog.RecordSale).
struct StockRecord {
  std::uint32_t receipt_number = 0;
  v1::RecordSaleRequest request;  // receipt_number "L<lane>-<receipt>", one SaleLine per sold line
};

class LaneCore {
 public:
  struct Options {
    LaneInfo lane;
    std::chrono::milliseconds receipt_timeout{30'000};  // RECEIPT returns to IDLE after this
    VatTable vat = VatTable::swedish();
    DepositTable deposits = DepositTable::returpack();  // pant per deposit code ([checkout.deposits])
    MemberCards member_cards;                           // loyalty cards ([checkout] member_card_*); none by default
  };

  // Opens (or creates) the journal in `dir` and resumes the journaled session. `attendants` may be null
  // (every attendant action is then refused).
  static Result<std::unique_ptr<LaneCore>> open(const std::filesystem::path& dir, Options options, const Clock& clock,
                                                AttendantDirectory* attendants);

  // Called at once with the present Session, then with every new Session after it is journaled, under
  // the core's lock (keep it short).
  void set_observer(std::function<void(const v1::Session&)> observer);

  // Receives the effects of every commit, under the core's lock, so they queue in commit order (a
  // BeginSession always before the ExpectItem of its first line). Outcome.effects carries them too;
  // with a sink set, callers must not perform them again.
  void set_effect_sink(std::function<void(const std::vector<Effect>&)> sink);
  // Sends the ExpectItem effects of lines still waiting for the scale to the sink (after the scale
  // reconnects: it may have missed them; they are idempotent).
  void resend_expectations();

  v1::Session session() const;

  // --- Act ---
  // A repeated request_id returns the Session it produced first, without redoing it.
  Result<std::optional<v1::Session>> replayed(const std::string& request_id) const;
  // Whether an item may be added now (EnterCode, scans), checked before the adapter looks the code up.
  Status can_add_items() const;
  // Every intent but EnterCode. EnterCode needs `looked_up`: what the catalog said about the code.
  Result<Outcome> act(const v1::ActRequest& request, const ScannedItem* looked_up = nullptr);

  // --- loyalty members ---
  // Whether `code` is a loyalty card number (then it is not looked up in the catalog).
  bool is_member_card(const std::string& code) const;
  // A loyalty card was scanned (`scan_seq`: its Vision ScanEvent.seq, 0 for none): the session becomes
  // a member session (starting one from IDLE), keeping only the masked number and keyed hash, and the
  // promotions are priced again for a member. A second card replaces the first. EnterCode with a card
  // number does the same. FAILED_PRECONDITION in PAYING/RECEIPT/NEEDS_ATTENDANT; INVALID_ARGUMENT when
  // the code is no member card.
  Result<Outcome> on_member_card(const std::string& code, std::uint64_t scan_seq = 0);

  // --- events from peers ---
  // A product whose deposit code [checkout.deposits] does not list is not sold (it would go without its
  // pant): the attendant is called (NEEDS_ATTENDANT, UNKNOWN_ITEM, the code in the detail), no line.
  Result<Outcome> on_scan(const ScannedItem& item);
  // A scan that did not give a product (unknown code, catalog unreachable): shown as a notice.
  Result<Outcome> on_scan_failed(const std::string& code, const std::string& notice);
  Result<Outcome> on_verdict(const v1::BaggingVerdict& verdict);
  Result<Outcome> on_alert(const v1::ScaleAlert& alert);
  // APPROVED completes the sale, unless the approval does not match the basket (another amount, a
  // partial approval): then FAILED_PRECONDITION, nothing changes, and the adapter reverses it.
  // REVERSED (an approval whose sale could not complete) returns to the shopper, who may pay again.
  Result<Outcome> on_payment(const v1::PaymentResult& result);
  // The reversal of an approved payment whose sale could not complete failed: the attendant must act
  // (NEEDS_ATTENDANT, PAYMENT_FAULT, with why in the call's detail).
  Result<Outcome> on_reversal_failed(const std::string& idempotency_key, const std::string& why);
  // The terminal's prompt for the payment in progress, mirrored on the paying screen (Swedish copy).
  // FAILED_PRECONDITION when it is not about the payment in progress or nothing changes.
  Result<Outcome> on_payment_prompt(const std::string& idempotency_key, v1::TerminalPrompt::Kind kind,
                                    const std::string& terminal_text);
  // --- promotions (Catalog.PriceBasket) ---
  // The question to ask for the basket as it is now; nullopt when its discounts are up to date or the
  // basket is not open for changes (IDLE, PAYING, RECEIPT).
  std::optional<PricingRequest> pricing_request() const;
  // The catalog's answer to `asked`: the discounts become the basket's (totals and VAT follow).
  // FAILED_PRECONDITION (nothing changes) when the basket changed since, or cannot change now.
  Result<Outcome> on_pricing(const PricingRequest& asked, const v1::PriceBasketResponse& answer);

  // --- stock (Catalog.RecordSale) ---
  // Sales journaled but not yet taken off the catalog's stock, oldest first (at most `limit`, 0 = all).
  Result<std::vector<StockRecord>> pending_stock(std::uint32_t limit) const;
  // The catalog answered for this sale (recorded, or refused for good): no longer pending.
  Status stock_recorded(std::uint32_t receipt_number);

  // --- weighed goods (Scale.WeighProduce) ---
  // The scale weighed the per-kg item the session waits for (Session.weighing): its line is added,
  // priced by weight. FAILED_PRECONDITION when the session no longer waits for that product.
  Result<Outcome> on_weighed(const std::string& gtin14, std::int64_t net_weight_mg);

  // Timers (the receipt timeout). FAILED_PRECONDITION when nothing is due.
  Result<Outcome> tick();

  // The last Vision scan handled, journaled with the line it added (so a restart neither loses nor
  // repeats a scan); record_vision_seq notes a scan that added nothing.
  std::uint64_t vision_seq() const;
  Status record_vision_seq(std::uint64_t seq);

  // After a restart in PAYING: the Pay to re-issue with the same idempotency key.
  std::optional<Effect> pending_payment() const;
  // What to tell a (re)connected scale: BeginSession for the open session, then ExpectItem for the
  // lines still waiting to be bagged.
  std::vector<Effect> pending_expectations() const;

  // --- sales journal ---
  Result<v1::Sale> get_sale(std::uint32_t receipt_number) const;
  Result<std::vector<v1::Sale>> list_sales(std::uint32_t after, std::uint32_t limit) const;
  JournalVerdict verify_journal() const;
  Result<std::vector<std::string>> events(std::uint64_t after_revision, std::uint32_t limit) const;

 private:
  LaneCore(std::unique_ptr<Journal> journal, Options options, const Clock& clock, AttendantDirectory* attendants);

  // Journals `next` (revision + 1, totals refreshed) and publishes it.
  Result<Outcome> commit(v1::Session next, LaneState lane, std::string event, std::vector<Effect> effects,
                         v1::Sale* sale = nullptr, const std::string& request_id = {});
  // What a scanned code changes: the session (opened when the lane is idle: a first scan, or a loyalty
  // card, starts the sale), the lane state with the scanner's sequence number, and the effects so far.
  struct ScanChange {
    v1::Session next;
    LaneState lane;
    std::vector<Effect> effects;
  };
  ScanChange scan_change(std::uint64_t scan_seq) const;
  Result<Outcome> add_item(const ScannedItem& item, const std::string& request_id, const std::string& cause);
  Result<Outcome> add_member(const std::string& code, std::uint64_t scan_seq, const std::string& request_id);
  // The attendant is called about a product the lane cannot sell (its deposit code is unknown).
  Result<Outcome> refuse_unknown_deposit(ScanChange change, const ScannedItem& item, const std::string& request_id,
                                         const std::string& cause);
  // Prices `item` as the next line of `next` (and its pant line after it) and queues its ExpectItem;
  // true when it must be bagged.
  Result<bool> add_line(v1::Session& next, const ScannedItem& item, std::vector<Effect>& effects) const;
  // The lines changed: counts the change, drops discounts that may no longer hold, asks for pricing.
  void basket_changed(v1::Session& s, bool removal, std::vector<Effect>& effects) const;
  Result<Outcome> complete_sale(const v1::PaymentResult& r);
  void refresh(v1::Session& s, const LaneState& lane) const;
  void leave_attendant(v1::Session& s) const;
  // A fresh session in SCANNING (new id from the lane's session counter in `lane`).
  v1::Session open_session(LaneState& lane) const;
  Status verify_attendant(const v1::ActRequest& r);
  Day today() const;

  mutable std::mutex mu_;
  std::unique_ptr<Journal> journal_;
  Options options_;
  const Clock& clock_;
  AttendantDirectory* attendants_;
  v1::Session session_;
  LaneState lane_;
  std::function<void(const v1::Session&)> observer_;
  std::function<void(const std::vector<Effect>&)> sink_;
};

// "SCANNING" etc. for messages.
std::string state_name(v1::SessionState s);

// What the shopper reads for a terminal prompt (UX.md glossary); free terminal text stays as it is.
std::string prompt_text_sv(v1::TerminalPrompt::Kind kind, const std::string& terminal_text);

}  // namespace kiosk::checkout
