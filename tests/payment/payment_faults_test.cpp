// The fault-injection run in the test suite: paymentd and terminal-sim as real processes, killed -9
// and cut off at seeded random points while a driver pays as the checkout does: the 1,000 sales
// (about a minute on two cores); bench_payment runs the same and prints the counts.
// KIOSK_PAYMENT_FAULT_SALES overrides the number of sales (e.g. fewer while working on the driver).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>

#include "payment_fault_driver.h"
#include "temp_dir.h"

TEST_CASE("payments survive kill -9 and dropped answers: no double charge and no lost approval", "[payment][faults]") {
  kiosk::test::TempDir dir{"payment-faults"};
  kiosk::test::FaultRunOptions o;
  o.payments = 1000;
  if (const char* n = std::getenv("KIOSK_PAYMENT_FAULT_SALES")) o.payments = std::atoi(n);
  o.seed = 20261127;
  o.dir = dir.path();
  o.bin_dir = KIOSK_BIN_DIR;
  o.log = [](const std::string& line) { std::cout << line << std::endl; };
  auto r = kiosk::test::run_payment_faults(o);
  REQUIRE(r);
  std::cout << kiosk::test::format_report(*r);
  for (const auto& p : r->problems) UNSCOPED_INFO(p);
  CHECK(r->payments == o.payments);
  CHECK(r->double_charges == 0);
  CHECK(r->lost_approvals == 0);
  CHECK(r->unreconciled == 0);
  CHECK(r->problems.empty());
  // The faults really happened, and every approval ended in a completed sale or a reversal.
  CHECK(r->paymentd_kills > 0);
  CHECK(r->terminal_kills + r->crashes > 0);
  CHECK(r->drops > 0);
  CHECK(r->approved == r->completed_sales + r->reversed);
  CHECK(r->terminal_charges == r->completed_sales);
}
