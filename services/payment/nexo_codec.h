#pragma once
// The nexo codec: C++ message values ⇄ Adyen Terminal API JSON text. Used by the payment service
// (encode requests, parse responses) and by terminal-sim (parse requests, encode responses), so
// the simulator and the service speak exactly the same wire format.
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "payment/nexo_messages.h"

namespace kiosk::payment {

// Sale side.
std::string encode(const PaymentRequest& m);
std::string encode(const TransactionStatusRequest& m);
std::string encode(const ReversalRequest& m);
std::string encode(const AbortRequest& m);
std::string encode(const LoginRequest& m);
std::string encode(const ReconciliationRequest& m);
std::string encode(const DisplayResponse& m);  // the HTTP answer to a terminal's DisplayRequest
std::string encode(const PrintResponse& m);
// Any terminal message: a SaleToPOIResponse (Payment, TransactionStatus, Reversal, Login,
// Reconciliation) or a SaleToPOIRequest the terminal starts (EventNotification, Display, Print). Errors name the JSON
// path that is missing or wrong.
Result<TerminalMessage> parse_terminal_message(std::string_view json_text);

// POI side (terminal-sim).
Result<SaleRequest> parse_sale_request(std::string_view json_text);
std::string encode(const PaymentResponse& m);
std::string encode(const TransactionStatusResponse& m);
std::string encode(const ReversalResponse& m);
std::string encode(const EventNotification& m);
std::string encode(const LoginResponse& m);
std::string encode(const ReconciliationResponse& m);
std::string encode(const DisplayRequest& m);  // sent by the terminal to the sale system
std::string encode(const PrintRequest& m);

// Text helpers for AdditionalResponse and receipt lines (application/x-www-form-urlencoded).
std::string url_decode(std::string_view s);
std::string url_encode(std::string_view s);
std::map<std::string, std::string> parse_form(std::string_view s);

// "Refusal: 210 Not enough balance": ErrorCondition plus the decoded refusalReason or message.
std::string refusal_text(const NexoResponse& r);

// Printable lines of one receipt: "name  value", a bare name, or an empty line for fillers.
std::string receipt_text(const Receipt& r);
// The cardholder's copy when present, else the first receipt; empty when there is none.
std::string cardholder_receipt_text(const std::vector<Receipt>& receipts);

std::string_view to_string(NexoResult r);

}  // namespace kiosk::payment
