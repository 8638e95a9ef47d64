#include <rocksdb/db.h>

#include "checkout/journal.h"
#include "lane_fixture.h"

using namespace kiosk;
using namespace kiosk::checkout;
using namespace kiosk::checkout::test;

namespace {
void sell(Lane& lane, const ScannedItem& it) {
  if (lane.state() == v1::SESSION_STATE_IDLE) REQUIRE(lane.start());
  lane.scan_and_bag(it);
  REQUIRE(lane.pay());
  REQUIRE(lane.payment(v1::PAYMENT_OUTCOME_APPROVED));
  auto finish = lane.intent();
  finish.mutable_finish_receipt();
  REQUIRE(lane.core->act(finish));
}
// The lane's journal opened directly, as someone tampering with the disk would.
std::unique_ptr<rocksdb::DB> open_journal_db(Lane& lane) {
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::Options(), (lane.tmp.path() / "checkout").string(), &raw).ok());
  return std::unique_ptr<rocksdb::DB>(raw);
}
}  // namespace

TEST_CASE("receipt numbers are consecutive across reopening the journal", "[journal]") {
  Lane lane;
  sell(lane, milk());
  sell(lane, card());
  lane.reopen();
  sell(lane, milk());
  auto sales = lane.core->list_sales(0, 0);
  REQUIRE(sales);
  REQUIRE(sales->size() == 3);
  for (std::uint32_t i = 0; i < 3; ++i) CHECK((*sales)[i].receipt_number() == i + 1);
  CHECK((*sales)[1].prev_hash() == (*sales)[0].hash());
  CHECK((*sales)[2].prev_hash() == (*sales)[1].hash());
  CHECK(lane.core->list_sales(1, 1)->at(0).receipt_number() == 2);
  const auto v = lane.core->verify_journal();
  CHECK(v.ok);
  CHECK(v.sales_checked == 3);
  CHECK(v.first_problem.empty());
  CHECK(lane.core->get_sale(4).error().code == ErrorCode::kNotFound);
}

TEST_CASE("a session resumes after a crash payment key and all", "[journal]") {
  Lane lane;
  REQUIRE(lane.start());
  lane.scan_and_bag(milk());
  REQUIRE(lane.core->on_scan(beer()));  // waiting for bagging
  const v1::Session before = lane.core->session();
  lane.reopen();
  CHECK(lane.core->session().SerializeAsString() == before.SerializeAsString());
  // The scale is told the session again (idempotent), then the one item still to be bagged.
  const auto resend = lane.core->pending_expectations();
  REQUIRE(resend.size() == 2);
  CHECK(resend[0].kind == Effect::Kind::kScaleBeginSession);
  CHECK(resend[0].session_id == before.session_id());
  CHECK(resend[1].kind == Effect::Kind::kScaleExpectItem);
  CHECK(resend[1].expectation_id == before.session_id() + "/2");

  REQUIRE(lane.verdict(2, v1::BaggingVerdict::KIND_ACCEPTED));
  auto approve = lane.attendant();
  approve.mutable_approve_age();
  REQUIRE(lane.core->act(approve));  // the age approval survives too
  REQUIRE(lane.pay());
  const std::string key = lane.core->session().payment().idempotency_key();
  lane.reopen();
  CHECK(lane.state() == v1::SESSION_STATE_PAYING);
  CHECK(lane.core->session().pending_age_checks() == 0);
  auto pending = lane.core->pending_payment();
  REQUIRE(pending);
  CHECK(pending->idempotency_key == key);
  CHECK(pending->amount_ore == 1590 + 2495);
  auto approved = lane.payment(v1::PAYMENT_OUTCOME_APPROVED);
  REQUIRE(approved);
  CHECK(approved->session.receipt_number() == 1);
  CHECK(approved->session.revision() > before.revision());
}

TEST_CASE("verification finds a tampered sale record", "[journal]") {
  Lane lane;
  sell(lane, milk());
  sell(lane, card());
  sell(lane, milk());
  lane.core.reset();
  {
    auto db = open_journal_db(lane);
    std::string v;
    REQUIRE(db->Get(rocksdb::ReadOptions(), "sale/0000000002", &v).ok());
    v1::Sale sale;
    REQUIRE(sale.ParseFromString(v));
    sale.mutable_totals()->set_total_ore(1);  // a smaller total, hash left as it was
    REQUIRE(db->Put(rocksdb::WriteOptions(), "sale/0000000002", sale.SerializeAsString()).ok());
  }
  lane.reopen();
  const auto v = lane.core->verify_journal();
  CHECK_FALSE(v.ok);
  CHECK(v.sales_checked == 1);
  CHECK_THAT(v.first_problem, Catch::Contains("receipt 2"));
}

TEST_CASE("verification finds a removed sale", "[journal]") {
  Lane lane;
  sell(lane, milk());
  sell(lane, card());
  sell(lane, milk());
  lane.core.reset();
  {
    auto db = open_journal_db(lane);
    REQUIRE(db->Delete(rocksdb::WriteOptions(), "sale/0000000002").ok());
  }
  lane.reopen();
  const auto v = lane.core->verify_journal();
  CHECK_FALSE(v.ok);
  CHECK_THAT(v.first_problem, Catch::Contains("receipt 3"));
}
