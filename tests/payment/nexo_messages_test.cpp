// The rest of the message model both ways: refund payments, Login, Reconciliation, the terminal's
// Display and Print requests and the sale system's answers to them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "payment/nexo_codec.h"

using namespace kiosk::payment;
using nlohmann::json;

namespace {

MessageHeader hdr(std::string cls, std::string category, std::string type, std::string sid = "42") {
  return {"3.0", std::move(cls), std::move(category), std::move(type), std::move(sid), "kiosk-01", "V400m-324688179"};
}

template <typename T>
T as(const kiosk::Result<TerminalMessage>& m) {
  REQUIRE(m);
  REQUIRE(std::holds_alternative<T>(*m));
  return std::get<T>(*m);
}

template <typename T>
T as(const kiosk::Result<SaleRequest>& m) {
  REQUIRE(m);
  REQUIRE(std::holds_alternative<T>(*m));
  return std::get<T>(*m);
}

}  // namespace

TEST_CASE("a refund is a PaymentRequest of type Refund that names the original sale", "[payment][nexo]") {
  PaymentRequest r;
  r.header = hdr("Service", "Payment", "Request");
  r.sale_transaction = {"kiosk-01-42", "2026-11-27T12:00:00.000Z"};
  r.currency = "SEK";
  r.requested_ore = 4990;
  r.payment_type = "Refund";
  r.original_poi_transaction = {"SIM0000000007.17", "2026-11-27T11:00:00.000Z"};
  const std::string text = encode(r);
  const json j = json::parse(text).at("SaleToPOIRequest").at("PaymentRequest");
  CHECK(j.at("PaymentData").at("PaymentType") == "Refund");
  CHECK(j.at("PaymentTransaction").at("OriginalPOITransaction").at("POITransactionID").at("TransactionID") ==
        "SIM0000000007.17");
  CHECK(text.find("\"RequestedAmount\":49.90") != std::string::npos);
  auto back = as<PaymentRequest>(parse_sale_request(text));
  CHECK(back.payment_type == "Refund");
  CHECK(back.original_poi_transaction.transaction_id == "SIM0000000007.17");
  CHECK(back.requested_ore == 4990);
  // A normal payment carries no PaymentData at all.
  r.payment_type = "Normal";
  r.original_poi_transaction = {};
  CHECK_FALSE(json::parse(encode(r)).at("SaleToPOIRequest").at("PaymentRequest").contains("PaymentData"));
}

TEST_CASE("Login request and response round-trip", "[payment][nexo]") {
  LoginRequest l;
  l.header = hdr("Service", "Login", "Request");
  l.date_time = "2026-11-27T12:00:00.000Z";
  l.manufacturer_id = "kiosk";
  l.application_name = "paymentd";
  l.software_version = "1.0";
  l.certification_code = "none";
  l.sale_capabilities = {"CustomerDisplay", "PrinterReceipt"};
  const std::string text = encode(l);
  const json j = json::parse(text).at("SaleToPOIRequest").at("LoginRequest");
  CHECK(j.at("SaleTerminalData").at("TerminalEnvironment") == "Unattended");
  CHECK(j.at("SaleSoftware").at("ApplicationName") == "paymentd");
  auto back = as<LoginRequest>(parse_sale_request(text));
  CHECK(back.sale_capabilities == l.sale_capabilities);
  CHECK(back.operator_language == "sv");
  CHECK(back.date_time == l.date_time);

  LoginResponse resp;
  resp.header = hdr("Service", "Login", "Response");
  resp.response = {NexoResult::kSuccess, "", ""};
  resp.poi_date_time = "2026-11-27T12:00:01.000Z";
  resp.poi_serial_number = "324688179";
  resp.global_status = "OK";
  auto r = as<LoginResponse>(parse_terminal_message(encode(resp)));
  CHECK(r.response.result == NexoResult::kSuccess);
  CHECK(r.poi_serial_number == "324688179");
  CHECK(r.global_status == "OK");
}

TEST_CASE("Reconciliation totals round-trip exactly, grouped per brand and currency", "[payment][nexo]") {
  ReconciliationRequest q;
  q.header = hdr("Service", "Reconciliation", "Request");
  auto qb = as<ReconciliationRequest>(parse_sale_request(encode(q)));
  CHECK(qb.reconciliation_type == "SaleReconciliation");

  ReconciliationResponse r;
  r.header = hdr("Service", "Reconciliation", "Response");
  r.response = {NexoResult::kSuccess, "", ""};
  r.reconciliation_type = "SaleReconciliation";
  r.poi_reconciliation_id = "7";
  r.totals = {
      {"mc", "SEK", "Debit", 3, 1'234'567'890'123}, {"mc", "SEK", "Credit", 1, 4990}, {"visa", "SEK", "Debit", 1, 5}};
  const std::string text = encode(r);
  const json j = json::parse(text).at("SaleToPOIResponse").at("ReconciliationResponse");
  REQUIRE(j.at("TransactionTotals").size() == 2);  // mc/SEK and visa/SEK
  CHECK(j.at("TransactionTotals")[0].at("PaymentTotals").size() == 2);
  CHECK(text.find("12345678901.23") != std::string::npos);  // exact, never through a double on the way out
  auto back = as<ReconciliationResponse>(parse_terminal_message(text));
  CHECK(back.poi_reconciliation_id == "7");
  REQUIRE(back.totals.size() == 3);
  CHECK(back.totals[0].transaction_ore == 1'234'567'890'123);
  CHECK(back.totals[0].transaction_count == 3);
  CHECK(back.totals[1].transaction_type == "Credit");
  CHECK(back.totals[2].card_brand == "visa");
  CHECK(back.totals[2].transaction_ore == 5);

  auto bad = parse_terminal_message(
      R"({"SaleToPOIResponse":{"MessageHeader":{"MessageCategory":"Reconciliation"},"ReconciliationResponse":)"
      R"({"Response":{"Result":"Success"},"TransactionTotals":[{"PaymentTotals":[{"TransactionType":"Debit",)"
      R"("TransactionCount":"x","TransactionAmount":1}]}]}}})");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.message(), Catch::Contains("TransactionTotals[0].PaymentTotals.TransactionCount"));
  CHECK_FALSE(parse_sale_request(
      R"({"SaleToPOIRequest":{"MessageHeader":{"MessageCategory":"Reconciliation"},"ReconciliationRequest":{}}})"));
}

TEST_CASE("the terminal's Display and Print requests and their answers round-trip", "[payment][nexo]") {
  DisplayRequest d;
  d.header = hdr("Device", "Display", "Request", "D1");
  d.info_qualify = "Status";
  d.lines = {"Present card", "SEK 123.50"};
  const std::string text = encode(d);
  const json j = json::parse(text).at("SaleToPOIRequest").at("DisplayRequest").at("DisplayOutput")[0];
  CHECK(j.at("Device") == "CustomerDisplay");
  CHECK(j.at("OutputContent").at("OutputText")[1].at("Text") == "SEK 123.50");
  auto back = as<DisplayRequest>(parse_terminal_message(text));
  CHECK(back.lines == d.lines);
  CHECK(back.info_qualify == "Status");
  CHECK(back.header.message_class == "Device");

  DisplayResponse dr;
  dr.header = hdr("Device", "Display", "Response", "D1");
  dr.response = {NexoResult::kSuccess, "", ""};
  auto drb = as<DisplayResponse>(parse_sale_request(encode(dr)));
  CHECK(drb.response.result == NexoResult::kSuccess);
  CHECK(drb.device == "CustomerDisplay");

  PrintRequest p;
  p.header = hdr("Device", "Print", "Request", "P1");
  p.document_qualifier = "CustomerReceipt";
  p.lines = {"Kiosk", "TOTAL SEK 10.00"};
  auto pb = as<PrintRequest>(parse_terminal_message(encode(p)));
  CHECK(pb.document_qualifier == "CustomerReceipt");
  CHECK(pb.lines == p.lines);
  CHECK(pb.response_mode == "PrintEnd");

  PrintResponse pr;
  pr.header = hdr("Device", "Print", "Response", "P1");
  pr.document_qualifier = "CustomerReceipt";
  pr.response = {NexoResult::kSuccess, "", ""};
  CHECK(as<PrintResponse>(parse_sale_request(encode(pr))).document_qualifier == "CustomerReceipt");

  auto empty = parse_terminal_message(
      R"({"SaleToPOIRequest":{"MessageHeader":{"MessageCategory":"Display"},"DisplayRequest":{"DisplayOutput":[]}}})");
  REQUIRE_FALSE(empty);
  CHECK_THAT(empty.message(), Catch::Contains("DisplayOutput"));
  auto unknown = parse_terminal_message(R"({"SaleToPOIRequest":{"MessageHeader":{"MessageCategory":"Input"}}})");
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.message(), Catch::Contains("Display"));
}
