#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "payment/nexo_codec.h"

using namespace kiosk::payment;

namespace {

const std::filesystem::path kData = std::filesystem::path(KIOSK_TEST_DATA_DIR) / "nexo";

std::string read(const std::filesystem::path& rel) {
  std::ifstream in(kData / rel);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

PaymentResponse payment_response(const std::filesystem::path& rel) {
  auto msg = parse_terminal_message(read(rel));
  INFO(rel.string());
  REQUIRE(msg);
  REQUIRE(std::holds_alternative<PaymentResponse>(*msg));
  return std::get<PaymentResponse>(*msg);
}

}  // namespace

TEST_CASE("every captured response in tests/data/nexo parses", "[payment][nexo]") {
  int responses = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kData)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() != ".json" || name.find("Request") != std::string::npos) continue;
    if (name == "crypto_kat.json") continue;  // the encryption vector, not a message
    INFO(e.path().string());
    auto msg = parse_terminal_message(read(std::filesystem::relative(e.path(), kData)));
    CHECK(msg);
    ++responses;
  }
  CHECK(responses == 12);
}

TEST_CASE("every captured request parses on the terminal side", "[payment][nexo]") {
  int requests = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kData)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() != ".json" || name.find("Request.json") == std::string::npos) continue;
    INFO(e.path().string());
    auto req = parse_sale_request(read(std::filesystem::relative(e.path(), kData)));
    REQUIRE(req);
    if (auto* p = std::get_if<PaymentRequest>(&*req)) {
      // The file name's prefix is the amount's öre: 124_… asks for 1.24.
      if (std::isdigit(static_cast<unsigned char>(name[0]))) CHECK(p->requested_ore == std::stoi(name.substr(0, 3)));
      CHECK(p->currency == "EUR");
      CHECK(p->sale_transaction.transaction_id == "21f1268f-9126-4bce-b127-9c2d5ffa024e");
    }
    ++requests;
  }
  CHECK(requests == 10);
}

TEST_CASE("the approval capture maps to an approved payment", "[payment][nexo]") {
  auto p = payment_response("payment/paymentResponse.json");
  CHECK(p.response.result == NexoResult::kSuccess);
  CHECK(p.header.service_id == "1234567890AB");
  CHECK(p.header.sale_id == "SALE_ID_42");
  CHECK(p.header.poi_id == "V400m-123456789");
  CHECK(p.header.message_category == "Payment");
  CHECK(p.poi_transaction.transaction_id == "v4W5001707426906003.RM4ZVZ7LFTGLNK82");
  REQUIRE(p.authorized_ore);
  CHECK(*p.authorized_ore == 100);
  CHECK(p.currency == "EUR");
}

TEST_CASE("each refusal capture maps to its ErrorCondition and reason", "[payment][nexo]") {
  struct Case {
    const char* file;
    const char* condition;
    const char* reason;
  };
  const Case cases[] = {
      {"payment/124_paymentNotEnoughBalanceResponse.json", "Refusal", "Refusal: 210 Not enough balance"},
      {"payment/125_paymentCardBlockedResponse.json", "Refusal", "Refusal: 199 Card blocked"},
      {"payment/126_paymentCardExpiredResponse.json", "Refusal", "Refusal: 228 Card expired"},
      {"payment/127_paymentInvalidAmountResponse.json", "Refusal", "Refusal: 214 Declined online"},
      {"payment/128_paymentInvalidCardResponse.json", "InvalidCard", "InvalidCard: 214 Declined online"},
      {"payment/134_paymentWrongPinResponse.json", "WrongPIN", "WrongPIN: 129 Invalid online PIN"},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    auto p = payment_response(c.file);
    CHECK(p.response.result == NexoResult::kFailure);
    CHECK(p.response.error_condition == c.condition);
    CHECK(refusal_text(p.response) == c.reason);
    CHECK(p.masked_pan == "600007 **** 7003");
    CHECK(p.payment_brand == "maestro");
    CHECK_FALSE(p.authorized_ore);
  }
}

TEST_CASE("busy and aborted and reversal and status and event captures parse", "[payment][nexo]") {
  auto busy = payment_response("paymentBusy/paymentBusyResponse.json");
  CHECK(busy.response.error_condition == "Busy");

  auto aborted = payment_response("abortPayment/abortPaymentResponse.json");
  CHECK(aborted.response.error_condition == "Aborted");
  CHECK(refusal_text(aborted.response).starts_with("Aborted"));

  auto rev = parse_terminal_message(read("reversal/reversalResponse.json"));
  REQUIRE(rev);
  auto& r = std::get<ReversalResponse>(*rev);
  CHECK(r.response.result == NexoResult::kSuccess);
  CHECK(r.header.message_category == "Reversal");
  REQUIRE(r.receipts.size() == 2);
  CHECK(r.receipts[1].document_qualifier == "CustomerReceipt");
  CHECK_THAT(cardholder_receipt_text(r.receipts), Catch::Contains("CARDHOLDER COPY"));
  CHECK_THAT(cardholder_receipt_text(r.receipts), Catch::Contains("*VOID REQUESTED*"));

  auto ts = parse_terminal_message(read("paymentTransactionStatus/paymentTransactionStatusResponse.json"));
  REQUIRE(ts);
  auto& t = std::get<TransactionStatusResponse>(*ts);
  CHECK(t.response.result == NexoResult::kSuccess);
  CHECK(t.reference.service_id == "1234567890AB");
  CHECK(t.reference.message_category == "Payment");
  REQUIRE(t.repeated_payment);
  CHECK(t.repeated_payment->response.result == NexoResult::kSuccess);
  CHECK(*t.repeated_payment->authorized_ore == 1099);
  CHECK(t.repeated_payment->masked_pan == "12345 * 6789");
  CHECK(t.repeated_payment->payment_brand == "mc");
  CHECK(t.repeated_payment->approval_code == "1234");
  CHECK_THAT(cardholder_receipt_text(t.repeated_payment->receipts), Catch::Contains("Payment method  mc"));

  auto ev = parse_terminal_message(read("notification/invalidJsonObjectNotificationResponse.json"));
  REQUIRE(ev);
  auto& e = std::get<EventNotification>(*ev);
  CHECK(e.event_to_notify == "Reject");
  CHECK(e.event_details == "message=Input is not a JSONObject");
}

TEST_CASE("PaymentRequest encodes the amount as an exact JSON number and round-trips", "[payment][nexo]") {
  PaymentRequest req;
  req.header = {"3.0", "Service", "Payment", "Request", "42", "kiosk-01", "V400m-324688179"};
  req.sale_transaction = {"kiosk-01-42", "2026-11-27T10:00:00.000Z"};
  req.currency = "SEK";
  req.requested_ore = 1124;
  const std::string text = encode(req);
  CHECK_THAT(text, Catch::Contains("\"RequestedAmount\":11.24"));
  CHECK_THAT(text, Catch::Contains("\"MessageCategory\":\"Payment\""));
  auto back = parse_sale_request(text);
  REQUIRE(back);
  auto& p = std::get<PaymentRequest>(*back);
  CHECK(p.requested_ore == 1124);
  CHECK(p.header.service_id == "42");
  CHECK(p.header.poi_id == "V400m-324688179");
  CHECK(p.sale_transaction.transaction_id == "kiosk-01-42");
  CHECK(p.currency == "SEK");

  req.requested_ore = 5;
  CHECK_THAT(encode(req), Catch::Contains("\"RequestedAmount\":0.05"));
}

TEST_CASE("responses round-trip through the codec", "[payment][nexo]") {
  PaymentResponse resp;
  resp.header = {"3.0", "Service", "Payment", "Response", "7", "kiosk-01", "POI-1"};
  resp.response = {NexoResult::kSuccess, "", "message=APPROVED"};
  resp.poi_transaction = {"SIM1.7", "2026-11-27T10:00:00.000Z"};
  resp.sale_transaction = {"kiosk-01-7", "2026-11-27T10:00:00.000Z"};
  resp.authorized_ore = 100000;
  resp.currency = "SEK";
  resp.masked_pan = "541333******9999";
  resp.payment_brand = "mc";
  resp.approval_code = "123456";
  resp.receipts = {
      {"CustomerReceipt", {{"pan", "Card", "****9999"}, {"filler", "", ""}, {"approved", "APPROVED", ""}}}};
  const std::string text = encode(resp);
  CHECK_THAT(text, Catch::Contains("\"AuthorizedAmount\":1000.00"));
  auto back = parse_terminal_message(text);
  REQUIRE(back);
  auto& p = std::get<PaymentResponse>(*back);
  CHECK(*p.authorized_ore == 100000);
  CHECK(p.masked_pan == "541333******9999");
  CHECK(p.approval_code == "123456");
  CHECK(cardholder_receipt_text(p.receipts) == "Card  ****9999\n\nAPPROVED\n");

  TransactionStatusResponse ts;
  ts.header = {"3.0", "Service", "TransactionStatus", "Response", "8", "kiosk-01", "POI-1"};
  ts.response = {NexoResult::kSuccess, "", ""};
  ts.reference = {"Payment", "7", "kiosk-01"};
  ts.repeated_header = resp.header;
  ts.repeated_payment = resp;
  auto tsb = parse_terminal_message(encode(ts));
  REQUIRE(tsb);
  auto& t = std::get<TransactionStatusResponse>(*tsb);
  CHECK(t.reference.service_id == "7");
  REQUIRE(t.repeated_payment);
  CHECK(t.repeated_payment->poi_transaction.transaction_id == "SIM1.7");

  TransactionStatusRequest tsr;
  tsr.header = {"3.0", "Service", "TransactionStatus", "Request", "9", "kiosk-01", "POI-1"};
  tsr.reference = {"Payment", "7", "kiosk-01"};
  auto tsrb = parse_sale_request(encode(tsr));
  REQUIRE(tsrb);
  CHECK(std::get<TransactionStatusRequest>(*tsrb).reference.service_id == "7");

  AbortRequest ab;
  ab.header = {"3.0", "Service", "Abort", "Request", "10", "kiosk-01", "POI-1"};
  ab.reference = {"Payment", "7", "kiosk-01"};
  auto abb = parse_sale_request(encode(ab));
  REQUIRE(abb);
  CHECK(std::get<AbortRequest>(*abb).reason == "MerchantAbort");

  ReversalRequest rv;
  rv.header = {"3.0", "Service", "Reversal", "Request", "11", "kiosk-01", "POI-1"};
  rv.original_poi_transaction = {"SIM1.7", "2026-11-27T10:00:00.000Z"};
  auto rvb = parse_sale_request(encode(rv));
  REQUIRE(rvb);
  CHECK(std::get<ReversalRequest>(*rvb).original_poi_transaction.transaction_id == "SIM1.7");
}

TEST_CASE("malformed terminal answers are errors that say where", "[payment][nexo]") {
  auto not_json = parse_terminal_message("{not json");
  REQUIRE_FALSE(not_json);
  CHECK_THAT(not_json.message(), Catch::Contains("not valid JSON"));
  auto no_result = parse_terminal_message(
      R"({"SaleToPOIResponse":{"MessageHeader":{"MessageCategory":"Payment"},"PaymentResponse":{"Response":{"Result":"Maybe"}}}})");
  REQUIRE_FALSE(no_result);
  CHECK_THAT(no_result.message(), Catch::Contains("SaleToPOIResponse.PaymentResponse.Response.Result"));
  auto bad_amount = parse_terminal_message(
      R"({"SaleToPOIResponse":{"MessageHeader":{"MessageCategory":"Payment"},"PaymentResponse":{"Response":{"Result":"Success"},"PaymentResult":{"AmountsResp":{"AuthorizedAmount":1.001}}}}})");
  REQUIRE_FALSE(bad_amount);
  CHECK_THAT(bad_amount.message(), Catch::Contains("AuthorizedAmount"));
  CHECK_FALSE(parse_terminal_message(R"({"SaleToPOIResponse":{"PaymentResponse":{}}})"));
}
