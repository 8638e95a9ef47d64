#pragma once
// nexo Sale-to-POI 3.0 messages, as C++ values, in the form the Adyen Terminal API JSON binding uses.
// Only the fields the kiosk reads or writes are modelled; the codec ignores the rest.
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

using SaleRequest = std::variant<PaymentRequest, TransactionStatusRequest, ReversalRequest, AbortRequest>;

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

using TerminalMessage = std::variant<PaymentResponse, TransactionStatusResponse, ReversalResponse, EventNotification>;

}  // namespace kiosk::payment
