#pragma once
// nexo Sale-to-POI 3.0 messages, as C++ values, in the form the Adyen Terminal API JSON binding uses.
// Only the fields the kiosk reads or writes are modelled; the codec ignores the rest.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/money.h"

namespace kiosk::payment {

struct MessageHeader {
  std::string protocol_version = "3.0";
  std::string message_class;     // Service | Event | Device
  std::string message_category;  // Payment | TransactionStatus | Reversal | Abort | Event ...
  std::string message_type;      // Request | Response | Notification
  std::string service_id;        // ≤ 10 chars, unique per Sale request; echoed by the terminal
  std::string sale_id;
  std::string poi_id;
};

struct TransactionRef {
  std::string transaction_id;
  std::string timestamp;  // ISO 8601 UTC
};

// Identifies an earlier request (Abort, TransactionStatus).
struct MessageReference {
  std::string message_category;
  std::string service_id;
  std::string sale_id;
};

enum class NexoResult { kSuccess, kFailure, kPartial };

struct NexoResponse {
  NexoResult result = NexoResult::kFailure;
  std::string error_condition;      // nexo ErrorCondition: Refusal, Busy, NotFound, InProgress, ...
  std::string additional_response;  // URL-form-encoded, e.g. "message=...&refusalReason=..."
};

struct ReceiptLine {
  std::string key;  // Adyen receipt key (txdate, pan, approved, filler, ...)
  std::string name;
  std::string value;
};

struct Receipt {
  std::string document_qualifier;  // CashierReceipt | CustomerReceipt
  std::vector<ReceiptLine> lines;
};

// --- Sale → POI ---------------------------------------------------------------------------------

struct PaymentRequest {
  MessageHeader header;
  TransactionRef sale_transaction;
  std::string sale_to_acquirer_data;
  std::string currency;  // ISO 4217
  Ore requested_ore = 0;
  std::string payment_type = "Normal";      // PaymentData.PaymentType: Normal | Refund
  TransactionRef original_poi_transaction;  // Refund: the payment it refunds (OriginalPOITransaction)
};

struct TransactionStatusRequest {
  MessageHeader header;
  MessageReference reference;
  bool receipt_reprint = true;
};

struct ReversalRequest {
  MessageHeader header;
  TransactionRef original_poi_transaction;
  std::string reason = "MerchantCancel";
  TransactionRef sale_transaction;
};

struct AbortRequest {
  MessageHeader header;
  MessageReference reference;
  std::string reason = "MerchantAbort";
};

// Opens the session with the terminal (at start-up and after the terminal restarts).
struct LoginRequest {
  MessageHeader header;
  std::string date_time;  // ISO 8601
  std::string manufacturer_id;
  std::string application_name;
  std::string software_version;
  std::string certification_code;
  std::string terminal_environment = "Unattended";  // SaleTerminalData.TerminalEnvironment
  std::vector<std::string> sale_capabilities;       // CustomerDisplay, PrinterReceipt, ...
  std::string operator_language = "sv";
};

// Asks the terminal for its totals since the last reconciliation (the daily closing).
struct ReconciliationRequest {
  MessageHeader header;
  std::string reconciliation_type = "SaleReconciliation";  // | AcquirerReconciliation | PreviousReconciliation
  std::string poi_reconciliation_id;                       // PreviousReconciliation: which one
};

// The sale system's answers to the terminal's own Display and Print requests.
struct DisplayResponse {
  MessageHeader header;
  std::string device = "CustomerDisplay";
  std::string info_qualify = "Display";
  NexoResponse response;
};

struct PrintResponse {
  MessageHeader header;
  std::string document_qualifier;
  NexoResponse response;
};

using SaleRequest = std::variant<PaymentRequest, TransactionStatusRequest, ReversalRequest, AbortRequest, LoginRequest,
                                 ReconciliationRequest, DisplayResponse, PrintResponse>;

// --- POI → Sale ---------------------------------------------------------------------------------

struct PaymentResponse {
  MessageHeader header;
  NexoResponse response;
  TransactionRef poi_transaction;
  TransactionRef sale_transaction;
  std::optional<Ore> authorized_ore;  // PaymentResult.AmountsResp.AuthorizedAmount
  std::string currency;
  std::string masked_pan;  // as the terminal prints it; never a full card number
  std::string payment_brand;
  std::string approval_code;
  std::vector<Receipt> receipts;
};

struct TransactionStatusResponse {
  MessageHeader header;
  NexoResponse response;
  MessageReference reference;
  std::optional<MessageHeader> repeated_header;
  std::optional<PaymentResponse> repeated_payment;  // the original payment's response, when found
};

struct ReversalResponse {
  MessageHeader header;
  NexoResponse response;
  TransactionRef poi_transaction;
  std::vector<Receipt> receipts;
};

// An unsolicited or rejecting event from the terminal (e.g. EventToNotify Reject for a bad message).
struct EventNotification {
  MessageHeader header;
  std::string event_to_notify;
  std::string event_details;
  std::string timestamp;
};

struct LoginResponse {
  MessageHeader header;
  NexoResponse response;
  std::string poi_date_time;      // POISystemData.DateTime
  std::string poi_serial_number;  // POISystemData.POITerminalData.POISerialNumber
  std::string global_status;      // POISystemData.POIStatus.GlobalStatus: OK | Busy | Maintenance | Unreachable
};

// One line of the terminal's totals: count and amount of one transaction type per brand.
struct PaymentTotal {
  std::string card_brand;              // TransactionTotals.CardBrand (may be empty)
  std::string currency;                // TransactionTotals.PaymentCurrency
  std::string transaction_type;        // PaymentTotals.TransactionType: Debit | Credit | ReverseDebit | ...
  std::int64_t transaction_count = 0;  // PaymentTotals.TransactionCount
  Ore transaction_ore = 0;             // PaymentTotals.TransactionAmount
};

struct ReconciliationResponse {
  MessageHeader header;
  NexoResponse response;
  std::string reconciliation_type;
  std::string poi_reconciliation_id;
  std::vector<PaymentTotal> totals;
};

// What the terminal asks the sale system to show (Device: CashierDisplay | CustomerDisplay;
// InfoQualify: Display | Status | Error | Input ...) while it works: "Present card", "Enter PIN", ...
struct DisplayRequest {
  MessageHeader header;
  std::string device = "CustomerDisplay";
  std::string info_qualify = "Display";
  bool response_required = false;
  std::vector<std::string> lines;  // OutputContent.OutputText[].Text
};

// A document the terminal asks the sale system to print (e.g. a receipt on the kiosk printer).
struct PrintRequest {
  MessageHeader header;
  std::string document_qualifier;  // CashierReceipt | CustomerReceipt | Document ...
  std::string response_mode = "PrintEnd";
  std::vector<std::string> lines;
};

using TerminalMessage = std::variant<PaymentResponse, TransactionStatusResponse, ReversalResponse, EventNotification,
                                     LoginResponse, ReconciliationResponse, DisplayRequest, PrintRequest>;

}  // namespace kiosk::payment
