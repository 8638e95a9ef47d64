#include "payment/nexo_codec.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "payment/nexo_amount.h"

namespace kiosk::payment {
namespace {

using nlohmann::json;

// --- amounts are written as JSON numbers without passing through a double ----------------------
// The tree holds a marker string; after dump() the quoted marker is replaced by the decimal digits.
constexpr std::string_view kAmountMarker =
    "\x01"
    "amount:";
constexpr std::string_view kAmountMarkerDumped = "\"\\u0001amount:";

json amount_marker(Ore ore) {
  return std::string(kAmountMarker) + ore_to_decimal(ore);
}

std::string dump(const json& j) {
  std::string s = j.dump();
  for (std::size_t pos = s.find(kAmountMarkerDumped); pos != std::string::npos;
       pos = s.find(kAmountMarkerDumped, pos)) {
    const std::size_t start = pos + kAmountMarkerDumped.size();
    const std::size_t end = s.find('"', start);
    const std::string digits = s.substr(start, end - start);
    s.replace(pos, end + 1 - pos, digits);
    pos += digits.size();
  }
  return s;
}

// --- tolerant field access: captures carry flags both as "true" and true --------------------------
const json* at(const json& j, std::initializer_list<std::string_view> path) {
  const json* cur = &j;
  for (auto key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string str(const json& j, std::initializer_list<std::string_view> path) {
  const json* v = at(j, path);
  if (!v || v->is_null()) return {};
  if (v->is_string()) return v->get<std::string>();
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  return v->dump();
}

json header_json(const MessageHeader& h) {
  return json{{"ProtocolVersion", h.protocol_version},
              {"MessageClass", h.message_class},
              {"MessageCategory", h.message_category},
              {"MessageType", h.message_type},
              {"ServiceID", h.service_id},
              {"SaleID", h.sale_id},
              {"POIID", h.poi_id}};
}

Result<MessageHeader> parse_header(const json& root, std::string_view where) {
  const json* h = at(root, {"MessageHeader"});
  if (!h || !h->is_object()) return invalid_argument(fmt::format("{}.MessageHeader: missing", where));
  MessageHeader m;
  m.protocol_version = str(*h, {"ProtocolVersion"});
  m.message_class = str(*h, {"MessageClass"});
  m.message_category = str(*h, {"MessageCategory"});
  m.message_type = str(*h, {"MessageType"});
  m.service_id = str(*h, {"ServiceID"});
  m.sale_id = str(*h, {"SaleID"});
  m.poi_id = str(*h, {"POIID"});
  if (m.message_category.empty())
    return invalid_argument(fmt::format("{}.MessageHeader.MessageCategory: missing", where));
  return m;
}

json txref_json(const TransactionRef& t) {
  return json{{"TransactionID", t.transaction_id}, {"TimeStamp", t.timestamp}};
}
TransactionRef parse_txref(const json& j, std::initializer_list<std::string_view> path) {
  const json* t = at(j, path);
  if (!t) return {};
  return {str(*t, {"TransactionID"}), str(*t, {"TimeStamp"})};
}

json reference_json(const MessageReference& r) {
  return json{{"MessageCategory", r.message_category}, {"ServiceID", r.service_id}, {"SaleID", r.sale_id}};
}
MessageReference parse_reference(const json& j) {
  const json* r = at(j, {"MessageReference"});
  if (!r) return {};
  return {str(*r, {"MessageCategory"}), str(*r, {"ServiceID"}), str(*r, {"SaleID"})};
}

json response_json(const NexoResponse& r) {
  json j{{"Result", std::string(to_string(r.result))}};
  if (!r.error_condition.empty()) j["ErrorCondition"] = r.error_condition;
  if (!r.additional_response.empty()) j["AdditionalResponse"] = r.additional_response;
  return j;
}

Result<NexoResponse> parse_response(const json& body, std::string_view where) {
  const json* r = at(body, {"Response"});
  if (!r || !r->is_object()) return invalid_argument(fmt::format("{}.Response: missing", where));
  NexoResponse out;
  const std::string result = str(*r, {"Result"});
  if (result == "Success")
    out.result = NexoResult::kSuccess;
  else if (result == "Failure")
    out.result = NexoResult::kFailure;
  else if (result == "Partial")
    out.result = NexoResult::kPartial;
  else
    return invalid_argument(fmt::format("{}.Response.Result: '{}' is not Success, Failure or Partial", where, result));
  out.error_condition = str(*r, {"ErrorCondition"});
  out.additional_response = str(*r, {"AdditionalResponse"});
  return out;
}

json receipts_json(const std::vector<Receipt>& receipts) {
  json arr = json::array();
  for (const auto& r : receipts) {
    json lines = json::array();
    for (const auto& l : r.lines) {
      std::string text;
      if (!l.name.empty()) text += "name=" + url_encode(l.name) + "&";
      if (!l.value.empty()) text += "value=" + url_encode(l.value) + "&";
      text += "key=" + url_encode(l.key);
      lines.push_back(json{{"Text", text}, {"EndOfLineFlag", true}});
    }
    arr.push_back(json{{"DocumentQualifier", r.document_qualifier},
                       {"OutputContent", json{{"OutputFormat", "Text"}, {"OutputText", lines}}}});
  }
  return arr;
}

std::vector<Receipt> parse_receipts(const json& body) {
  std::vector<Receipt> out;
  const json* arr = at(body, {"PaymentReceipt"});
  if (!arr || !arr->is_array()) return out;
  for (const auto& r : *arr) {
    Receipt rec;
    rec.document_qualifier = str(r, {"DocumentQualifier"});
    if (const json* lines = at(r, {"OutputContent", "OutputText"}); lines && lines->is_array()) {
      for (const auto& l : *lines) {
        auto form = parse_form(str(l, {"Text"}));
        rec.lines.push_back({form["key"], form["name"], form["value"]});
      }
    }
    out.push_back(std::move(rec));
  }
  return out;
}

Result<PaymentResponse> parse_payment_response(const json& body, const MessageHeader& header, std::string_view where) {
  PaymentResponse m;
  m.header = header;
  auto resp = parse_response(body, where);
  if (!resp) return resp.error();
  m.response = *resp;
  m.poi_transaction = parse_txref(body, {"POIData", "POITransactionID"});
  m.sale_transaction = parse_txref(body, {"SaleData", "SaleTransactionID"});
  if (const json* amt = at(body, {"PaymentResult", "AmountsResp", "AuthorizedAmount"})) {
    auto ore = json_amount_to_ore(*amt);
    if (!ore)
      return invalid_argument(fmt::format("{}.PaymentResult.AmountsResp.AuthorizedAmount: {}", where, ore.message()));
    m.authorized_ore = *ore;
  }
  m.currency = str(body, {"PaymentResult", "AmountsResp", "Currency"});
  m.masked_pan = str(body, {"PaymentResult", "PaymentInstrumentData", "CardData", "MaskedPan"});
  m.payment_brand = str(body, {"PaymentResult", "PaymentInstrumentData", "CardData", "PaymentBrand"});
  m.approval_code = str(body, {"PaymentResult", "PaymentAcquirerData", "ApprovalCode"});
  m.receipts = parse_receipts(body);
  return m;
}

json payment_response_body(const PaymentResponse& m) {
  json body{{"POIData", json{{"POITransactionID", txref_json(m.poi_transaction)}}},
            {"SaleData", json{{"SaleTransactionID", txref_json(m.sale_transaction)}}},
            {"Response", response_json(m.response)},
            {"PaymentReceipt", receipts_json(m.receipts)}};
  json result{{"PaymentInstrumentData", json{{"PaymentInstrumentType", "Card"}}}};
  if (!m.masked_pan.empty() || !m.payment_brand.empty())
    result["PaymentInstrumentData"]["CardData"] = json{{"MaskedPan", m.masked_pan}, {"PaymentBrand", m.payment_brand}};
  result["PaymentAcquirerData"] = json{{"AcquirerPOIID", m.header.poi_id}};
  if (!m.approval_code.empty()) result["PaymentAcquirerData"]["ApprovalCode"] = m.approval_code;
  if (m.authorized_ore)
    result["AmountsResp"] = json{{"AuthorizedAmount", amount_marker(*m.authorized_ore)}, {"Currency", m.currency}};
  body["PaymentResult"] = result;
  return body;
}

Result<json> parse_json(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return invalid_argument("message is not valid JSON");
  if (!j.is_object()) return invalid_argument("message is not a JSON object");
  return j;
}

json output_text_json(const std::vector<std::string>& lines) {
  json arr = json::array();
  for (const auto& l : lines) arr.push_back(json{{"Text", l}, {"EndOfLineFlag", true}});
  return json{{"OutputFormat", "Text"}, {"OutputText", arr}};
}

std::vector<std::string> parse_output_text(const json& content) {
  std::vector<std::string> out;
  if (const json* lines = at(content, {"OutputText"}); lines && lines->is_array())
    for (const auto& l : *lines) out.push_back(str(l, {"Text"}));
  return out;
}

Result<TerminalMessage> parse_poi_request(const json& req, const MessageHeader& header) {
  if (const json* ev = at(req, {"EventNotification"}))
    return TerminalMessage{EventNotification{header, str(*ev, {"EventToNotify"}),
                                             url_decode(str(*ev, {"EventDetails"})), str(*ev, {"TimeStamp"})}};
  if (const json* d = at(req, {"DisplayRequest"})) {
    const json* outputs = at(*d, {"DisplayOutput"});
    if (!outputs || !outputs->is_array() || outputs->empty())
      return invalid_argument("SaleToPOIRequest.DisplayRequest.DisplayOutput: missing or empty");
    DisplayRequest m;
    m.header = header;
    const json& o = outputs->front();  // the kiosk has one display: the first output is the one shown
    m.device = str(o, {"Device"});
    m.info_qualify = str(o, {"InfoQualify"});
    m.response_required = str(o, {"ResponseRequiredFlag"}) == "true";
    if (const json* c = at(o, {"OutputContent"})) m.lines = parse_output_text(*c);
    return TerminalMessage{std::move(m)};
  }
  if (const json* p = at(req, {"PrintRequest"})) {
    const json* out = at(*p, {"PrintOutput"});
    if (!out || !out->is_object()) return invalid_argument("SaleToPOIRequest.PrintRequest.PrintOutput: missing");
    PrintRequest m;
    m.header = header;
    m.document_qualifier = str(*out, {"DocumentQualifier"});
    m.response_mode = str(*out, {"ResponseMode"});
    if (const json* c = at(*out, {"OutputContent"})) m.lines = parse_output_text(*c);
    return TerminalMessage{std::move(m)};
  }
  return invalid_argument(
      "SaleToPOIRequest from the terminal holds no EventNotification, DisplayRequest or PrintRequest");
}

Result<PaymentTotal> parse_total(const json& tt, const json& pt, std::string_view where) {
  PaymentTotal t;
  t.card_brand = str(tt, {"CardBrand"});
  t.currency = str(tt, {"PaymentCurrency"});
  t.transaction_type = str(pt, {"TransactionType"});
  const json* count = at(pt, {"TransactionCount"});
  if (!count || !count->is_number_integer())
    return invalid_argument(fmt::format("{}.PaymentTotals.TransactionCount: missing or not an integer", where));
  t.transaction_count = count->get<std::int64_t>();
  const json* amount = at(pt, {"TransactionAmount"});
  if (!amount) return invalid_argument(fmt::format("{}.PaymentTotals.TransactionAmount: missing", where));
  auto ore = json_amount_to_ore(*amount);
  if (!ore) return invalid_argument(fmt::format("{}.PaymentTotals.TransactionAmount: {}", where, ore.message()));
  t.transaction_ore = *ore;
  return t;
}

}  // namespace

std::string_view to_string(NexoResult r) {
  switch (r) {
    case NexoResult::kSuccess:
      return "Success";
    case NexoResult::kFailure:
      return "Failure";
    case NexoResult::kPartial:
      return "Partial";
  }
  return "Failure";
}

// --- Sale side ---------------------------------------------------------------------------------

std::string encode(const PaymentRequest& m) {
  json sale_data{{"SaleTransactionID", txref_json(m.sale_transaction)}};
  if (!m.sale_to_acquirer_data.empty()) sale_data["SaleToAcquirerData"] = m.sale_to_acquirer_data;
  json body{
      {"SaleData", sale_data},
      {"PaymentTransaction",
       json{{"AmountsReq", json{{"Currency", m.currency}, {"RequestedAmount", amount_marker(m.requested_ore)}}}}}};
  if (!m.original_poi_transaction.transaction_id.empty())
    body["PaymentTransaction"]["OriginalPOITransaction"] =
        json{{"POITransactionID", txref_json(m.original_poi_transaction)}};
  if (!m.payment_type.empty() && m.payment_type != "Normal")
    body["PaymentData"] = json{{"PaymentType", m.payment_type}};
  return dump(json{{"SaleToPOIRequest", json{{"MessageHeader", header_json(m.header)}, {"PaymentRequest", body}}}});
}

std::string encode(const TransactionStatusRequest& m) {
  json body{{"ReceiptReprintFlag", m.receipt_reprint},
            {"DocumentQualifier", json::array({"CashierReceipt", "CustomerReceipt"})},
            {"MessageReference", reference_json(m.reference)}};
  return dump(
      json{{"SaleToPOIRequest", json{{"MessageHeader", header_json(m.header)}, {"TransactionStatusRequest", body}}}});
}

std::string encode(const ReversalRequest& m) {
  json body{{"ReversalReason", m.reason},
            {"OriginalPOITransaction", json{{"POITransactionID", txref_json(m.original_poi_transaction)}}},
            {"SaleData", json{{"SaleTransactionID", txref_json(m.sale_transaction)}}}};
  return dump(json{{"SaleToPOIRequest", json{{"MessageHeader", header_json(m.header)}, {"ReversalRequest", body}}}});
}

std::string encode(const AbortRequest& m) {
  json body{{"MessageReference", reference_json(m.reference)}, {"AbortReason", m.reason}};
  return dump(json{{"SaleToPOIRequest", json{{"MessageHeader", header_json(m.header)}, {"AbortRequest", body}}}});
}

Result<TerminalMessage> parse_terminal_message(std::string_view json_text) {
  auto parsed = parse_json(json_text);
  if (!parsed) return parsed.error();
  const json& j = *parsed;
  // Events arrive wrapped as a SaleToPOIRequest (the terminal is the requester there).
  if (const json* req = at(j, {"SaleToPOIRequest"})) {
    auto header = parse_header(*req, "SaleToPOIRequest");
    if (!header) return header.error();
    return parse_poi_request(*req, *header);
  }
  const json* root = at(j, {"SaleToPOIResponse"});
  if (!root || !root->is_object())
    return invalid_argument("message has neither SaleToPOIResponse nor SaleToPOIRequest");
  auto header = parse_header(*root, "SaleToPOIResponse");
  if (!header) return header.error();
  if (const json* body = at(*root, {"PaymentResponse"})) {
    auto p = parse_payment_response(*body, *header, "SaleToPOIResponse.PaymentResponse");
    if (!p) return p.error();
    return TerminalMessage{std::move(*p)};
  }
  if (const json* body = at(*root, {"TransactionStatusResponse"})) {
    constexpr std::string_view where = "SaleToPOIResponse.TransactionStatusResponse";
    TransactionStatusResponse m;
    m.header = *header;
    auto resp = parse_response(*body, where);
    if (!resp) return resp.error();
    m.response = *resp;
    m.reference = parse_reference(*body);
    if (const json* rep = at(*body, {"RepeatedMessageResponse"})) {
      auto rh = parse_header(*rep, fmt::format("{}.RepeatedMessageResponse", where));
      if (!rh) return rh.error();
      m.repeated_header = *rh;
      if (const json* pr = at(*rep, {"RepeatedResponseMessageBody", "PaymentResponse"})) {
        auto p = parse_payment_response(
            *pr, *rh, fmt::format("{}.RepeatedMessageResponse.RepeatedResponseMessageBody.PaymentResponse", where));
        if (!p) return p.error();
        m.repeated_payment = std::move(*p);
      }
    }
    return TerminalMessage{std::move(m)};
  }
  if (const json* body = at(*root, {"ReversalResponse"})) {
    ReversalResponse m;
    m.header = *header;
    auto resp = parse_response(*body, "SaleToPOIResponse.ReversalResponse");
    if (!resp) return resp.error();
    m.response = *resp;
    m.poi_transaction = parse_txref(*body, {"POIData", "POITransactionID"});
    m.receipts = parse_receipts(*body);
    return TerminalMessage{std::move(m)};
  }
  if (const json* body = at(*root, {"LoginResponse"})) {
    LoginResponse m;
    m.header = *header;
    auto resp = parse_response(*body, "SaleToPOIResponse.LoginResponse");
    if (!resp) return resp.error();
    m.response = *resp;
    m.poi_date_time = str(*body, {"POISystemData", "DateTime"});
    m.poi_serial_number = str(*body, {"POISystemData", "POITerminalData", "POISerialNumber"});
    m.global_status = str(*body, {"POISystemData", "POIStatus", "GlobalStatus"});
    return TerminalMessage{std::move(m)};
  }
  if (const json* body = at(*root, {"ReconciliationResponse"})) {
    constexpr std::string_view where = "SaleToPOIResponse.ReconciliationResponse";
    ReconciliationResponse m;
    m.header = *header;
    auto resp = parse_response(*body, where);
    if (!resp) return resp.error();
    m.response = *resp;
    m.reconciliation_type = str(*body, {"ReconciliationType"});
    m.poi_reconciliation_id = str(*body, {"POIReconciliationID"});
    if (const json* totals = at(*body, {"TransactionTotals"}); totals && totals->is_array()) {
      for (std::size_t i = 0; i < totals->size(); ++i) {
        const json& tt = (*totals)[i];
        const json* pts = at(tt, {"PaymentTotals"});
        if (!pts || !pts->is_array()) continue;
        for (const auto& pt : *pts) {
          auto t = parse_total(tt, pt, fmt::format("{}.TransactionTotals[{}]", where, i));
          if (!t) return t.error();
          m.totals.push_back(std::move(*t));
        }
      }
    }
    return TerminalMessage{std::move(m)};
  }
  return invalid_argument(fmt::format(
      "SaleToPOIResponse of category '{}' holds no Payment, TransactionStatus, Reversal, Login or Reconciliation "
      "response",
      header->message_category));
}

// --- POI side ----------------------------------------------------------------------------------

Result<SaleRequest> parse_sale_request(std::string_view json_text) {
  auto parsed = parse_json(json_text);
  if (!parsed) return parsed.error();
  // The sale system's answers to the terminal's Display and Print requests.
  if (const json* resp_root = at(*parsed, {"SaleToPOIResponse"})) {
    auto header = parse_header(*resp_root, "SaleToPOIResponse");
    if (!header) return header.error();
    if (const json* b = at(*resp_root, {"DisplayResponse"})) {
      const json* results = at(*b, {"OutputResult"});
      if (!results || !results->is_array() || results->empty())
        return invalid_argument("SaleToPOIResponse.DisplayResponse.OutputResult: missing or empty");
      DisplayResponse m;
      m.header = *header;
      m.device = str(results->front(), {"Device"});
      m.info_qualify = str(results->front(), {"InfoQualify"});
      auto r = parse_response(results->front(), "SaleToPOIResponse.DisplayResponse.OutputResult[0]");
      if (!r) return r.error();
      m.response = *r;
      return SaleRequest{std::move(m)};
    }
    if (const json* b = at(*resp_root, {"PrintResponse"})) {
      PrintResponse m;
      m.header = *header;
      m.document_qualifier = str(*b, {"DocumentQualifier"});
      auto r = parse_response(*b, "SaleToPOIResponse.PrintResponse");
      if (!r) return r.error();
      m.response = *r;
      return SaleRequest{std::move(m)};
    }
    return invalid_argument("SaleToPOIResponse from the sale system holds no DisplayResponse or PrintResponse");
  }
  const json* root = at(*parsed, {"SaleToPOIRequest"});
  if (!root || !root->is_object()) return invalid_argument("message has no SaleToPOIRequest");
  auto header = parse_header(*root, "SaleToPOIRequest");
  if (!header) return header.error();
  if (const json* b = at(*root, {"PaymentRequest"})) {
    PaymentRequest m;
    m.header = *header;
    m.sale_transaction = parse_txref(*b, {"SaleData", "SaleTransactionID"});
    m.sale_to_acquirer_data = str(*b, {"SaleData", "SaleToAcquirerData"});
    m.payment_type = str(*b, {"PaymentData", "PaymentType"});
    if (m.payment_type.empty()) m.payment_type = "Normal";
    m.original_poi_transaction = parse_txref(*b, {"PaymentTransaction", "OriginalPOITransaction", "POITransactionID"});
    const json* amounts = at(*b, {"PaymentTransaction", "AmountsReq"});
    if (!amounts) return invalid_argument("SaleToPOIRequest.PaymentRequest.PaymentTransaction.AmountsReq: missing");
    m.currency = str(*amounts, {"Currency"});
    const json* req = at(*amounts, {"RequestedAmount"});
    if (!req)
      return invalid_argument("SaleToPOIRequest.PaymentRequest.PaymentTransaction.AmountsReq.RequestedAmount: missing");
    auto ore = json_amount_to_ore(*req);
    if (!ore)
      return invalid_argument(fmt::format("SaleToPOIRequest.PaymentRequest...RequestedAmount: {}", ore.message()));
    m.requested_ore = *ore;
    return SaleRequest{std::move(m)};
  }
  if (const json* b = at(*root, {"TransactionStatusRequest"})) {
    TransactionStatusRequest m;
    m.header = *header;
    m.reference = parse_reference(*b);
    m.receipt_reprint = str(*b, {"ReceiptReprintFlag"}) == "true";
    return SaleRequest{std::move(m)};
  }
  if (const json* b = at(*root, {"ReversalRequest"})) {
    ReversalRequest m;
    m.header = *header;
    m.reason = str(*b, {"ReversalReason"});
    m.original_poi_transaction = parse_txref(*b, {"OriginalPOITransaction", "POITransactionID"});
    m.sale_transaction = parse_txref(*b, {"SaleData", "SaleTransactionID"});
    return SaleRequest{std::move(m)};
  }
  if (const json* b = at(*root, {"AbortRequest"})) {
    AbortRequest m;
    m.header = *header;
    m.reference = parse_reference(*b);
    m.reason = str(*b, {"AbortReason"});
    return SaleRequest{std::move(m)};
  }
  if (const json* b = at(*root, {"LoginRequest"})) {
    LoginRequest m;
    m.header = *header;
    m.date_time = str(*b, {"DateTime"});
    m.manufacturer_id = str(*b, {"SaleSoftware", "ManufacturerID"});
    m.application_name = str(*b, {"SaleSoftware", "ApplicationName"});
    m.software_version = str(*b, {"SaleSoftware", "SoftwareVersion"});
    m.certification_code = str(*b, {"SaleSoftware", "CertificationCode"});
    m.terminal_environment = str(*b, {"SaleTerminalData", "TerminalEnvironment"});
    if (const json* caps = at(*b, {"SaleTerminalData", "SaleCapabilities"}); caps && caps->is_array())
      for (const auto& c : *caps)
        if (c.is_string()) m.sale_capabilities.push_back(c.get<std::string>());
    m.operator_language = str(*b, {"OperatorLanguage"});
    return SaleRequest{std::move(m)};
  }
  if (const json* b = at(*root, {"ReconciliationRequest"})) {
    ReconciliationRequest m;
    m.header = *header;
    m.reconciliation_type = str(*b, {"ReconciliationType"});
    m.poi_reconciliation_id = str(*b, {"POIReconciliationID"});
    if (m.reconciliation_type.empty())
      return invalid_argument("SaleToPOIRequest.ReconciliationRequest.ReconciliationType: missing");
    return SaleRequest{std::move(m)};
  }
  return invalid_argument(
      fmt::format("SaleToPOIRequest of category '{}' is not a Payment, TransactionStatus, Reversal, Abort, Login or "
                  "Reconciliation request",
                  header->message_category));
}

std::string encode(const PaymentResponse& m) {
  return dump(json{{"SaleToPOIResponse",
                    json{{"MessageHeader", header_json(m.header)}, {"PaymentResponse", payment_response_body(m)}}}});
}

std::string encode(const TransactionStatusResponse& m) {
  json body{{"Response", response_json(m.response)}, {"MessageReference", reference_json(m.reference)}};
  if (m.repeated_payment) {
    body["RepeatedMessageResponse"] =
        json{{"MessageHeader", header_json(m.repeated_header ? *m.repeated_header : m.repeated_payment->header)},
             {"RepeatedResponseMessageBody", json{{"PaymentResponse", payment_response_body(*m.repeated_payment)}}}};
  }
  return dump(
      json{{"SaleToPOIResponse", json{{"MessageHeader", header_json(m.header)}, {"TransactionStatusResponse", body}}}});
}

std::string encode(const ReversalResponse& m) {
  json body{{"Response", response_json(m.response)},
            {"POIData", json{{"POITransactionID", txref_json(m.poi_transaction)}}},
            {"PaymentReceipt", receipts_json(m.receipts)}};
  return dump(json{{"SaleToPOIResponse", json{{"MessageHeader", header_json(m.header)}, {"ReversalResponse", body}}}});
}

std::string encode(const EventNotification& m) {
  json body{{"EventToNotify", m.event_to_notify}, {"EventDetails", m.event_details}, {"TimeStamp", m.timestamp}};
  return dump(json{{"SaleToPOIRequest", json{{"MessageHeader", header_json(m.header)}, {"EventNotification", body}}}});
}

std::string encode(const LoginRequest& m) {
  json body{{"DateTime", m.date_time},
            {"SaleSoftware", json{{"ManufacturerID", m.manufacturer_id},
                                  {"ApplicationName", m.application_name},
                                  {"SoftwareVersion", m.software_version},
                                  {"CertificationCode", m.certification_code}}},
            {"SaleTerminalData",
             json{{"TerminalEnvironment", m.terminal_environment}, {"SaleCapabilities", m.sale_capabilities}}},
            {"OperatorLanguage", m.operator_language}};
  return dump(json{{"SaleToPOIRequest", json{{"MessageHeader", header_json(m.header)}, {"LoginRequest", body}}}});
}

std::string encode(const ReconciliationRequest& m) {
  json body{{"ReconciliationType", m.reconciliation_type}};
  if (!m.poi_reconciliation_id.empty()) body["POIReconciliationID"] = m.poi_reconciliation_id;
  return dump(
      json{{"SaleToPOIRequest", json{{"MessageHeader", header_json(m.header)}, {"ReconciliationRequest", body}}}});
}

std::string encode(const DisplayResponse& m) {
  json result{{"Device", m.device}, {"InfoQualify", m.info_qualify}, {"Response", response_json(m.response)}};
  json body{{"OutputResult", json::array({result})}};
  return dump(json{{"SaleToPOIResponse", json{{"MessageHeader", header_json(m.header)}, {"DisplayResponse", body}}}});
}

std::string encode(const PrintResponse& m) {
  json body{{"DocumentQualifier", m.document_qualifier}, {"Response", response_json(m.response)}};
  return dump(json{{"SaleToPOIResponse", json{{"MessageHeader", header_json(m.header)}, {"PrintResponse", body}}}});
}

std::string encode(const LoginResponse& m) {
  json body{{"Response", response_json(m.response)},
            {"POISystemData", json{{"DateTime", m.poi_date_time},
                                   {"POITerminalData", json{{"POISerialNumber", m.poi_serial_number}}},
                                   {"POIStatus", json{{"GlobalStatus", m.global_status}}}}}};
  return dump(json{{"SaleToPOIResponse", json{{"MessageHeader", header_json(m.header)}, {"LoginResponse", body}}}});
}

std::string encode(const ReconciliationResponse& m) {
  // One TransactionTotals entry per (brand, currency), each with its PaymentTotals lines.
  json totals = json::array();
  for (const auto& t : m.totals) {
    json* group = nullptr;
    for (auto& g : totals)
      if (g["CardBrand"] == t.card_brand && g["PaymentCurrency"] == t.currency) group = &g;
    if (!group) {
      totals.push_back(json{{"PaymentInstrumentType", "Card"},
                            {"CardBrand", t.card_brand},
                            {"PaymentCurrency", t.currency},
                            {"PaymentTotals", json::array()}});
      group = &totals.back();
    }
    (*group)["PaymentTotals"].push_back(json{{"TransactionType", t.transaction_type},
                                             {"TransactionCount", t.transaction_count},
                                             {"TransactionAmount", amount_marker(t.transaction_ore)}});
  }
  json body{{"Response", response_json(m.response)},
            {"ReconciliationType", m.reconciliation_type},
            {"TransactionTotals", totals}};
  if (!m.poi_reconciliation_id.empty()) body["POIReconciliationID"] = m.poi_reconciliation_id;
  return dump(
      json{{"SaleToPOIResponse", json{{"MessageHeader", header_json(m.header)}, {"ReconciliationResponse", body}}}});
}

std::string encode(const DisplayRequest& m) {
  json output{{"Device", m.device},
              {"InfoQualify", m.info_qualify},
              {"ResponseRequiredFlag", m.response_required},
              {"OutputContent", output_text_json(m.lines)}};
  return dump(json{{"SaleToPOIRequest", json{{"MessageHeader", header_json(m.header)},
                                             {"DisplayRequest", json{{"DisplayOutput", json::array({output})}}}}}});
}

std::string encode(const PrintRequest& m) {
  json output{{"DocumentQualifier", m.document_qualifier},
              {"ResponseMode", m.response_mode},
              {"OutputContent", output_text_json(m.lines)}};
  return dump(json{{"SaleToPOIRequest",
                    json{{"MessageHeader", header_json(m.header)}, {"PrintRequest", json{{"PrintOutput", output}}}}}});
}

// --- text helpers ------------------------------------------------------------------------------

std::string url_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string url_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
        c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02x}", c);
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view s) {
  std::map<std::string, std::string> out;
  while (!s.empty()) {
    const std::size_t amp = s.find('&');
    const std::string_view part = s.substr(0, amp);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos)
      out[url_decode(part)] = "";
    else
      out[url_decode(part.substr(0, eq))] = url_decode(part.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    s.remove_prefix(amp + 1);
  }
  return out;
}

std::string refusal_text(const NexoResponse& r) {
  auto form = parse_form(r.additional_response);
  std::string why = form.count("refusalReason") ? form["refusalReason"] : form.count("message") ? form["message"] : "";
  if (r.error_condition.empty()) return why;
  if (why.empty()) return r.error_condition;
  return r.error_condition + ": " + why;
}

std::string receipt_text(const Receipt& r) {
  std::string out;
  for (const auto& l : r.lines) {
    if (!l.name.empty() && !l.value.empty())
      out += l.name + "  " + l.value;
    else
      out += l.name;
    out += '\n';
  }
  return out;
}

std::string cardholder_receipt_text(const std::vector<Receipt>& receipts) {
  for (const auto& r : receipts)
    if (r.document_qualifier == "CustomerReceipt") return receipt_text(r);
  return receipts.empty() ? std::string() : receipt_text(receipts.front());
}

}  // namespace kiosk::payment
