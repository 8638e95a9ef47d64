#include <catch2/catch.hpp>

#include <QSignalSpy>

#include "kiosk/basket_model.h"
#include "qt_test_support.h"

using kiosk::ui::BasketModel;
using kiosk::ui::test::loadSession;

namespace {
QVariant roleAt(const BasketModel& m, int row, BasketModel::Role role) {
  return m.data(m.index(row), role);
}
}  // namespace

TEST_CASE("basket model shows each line's name, quantity and prices", "[kiosk][basket]") {
  kiosk::ui::test::app();
  BasketModel model;
  const auto session = loadSession("scanning_two_lines.txtpb");
  model.setLines(session.lines());

  REQUIRE(model.rowCount() == 2);
  CHECK(roleAt(model, 0, BasketModel::LineNoRole).toInt() == 1);
  CHECK(roleAt(model, 0, BasketModel::NameRole).toString() == "Mellanmjölk 1,5 % 1 l");
  CHECK(roleAt(model, 0, BasketModel::QuantityTextRole).toString() == "2 st");
  CHECK(roleAt(model, 0, BasketModel::UnitPriceTextRole).toString() == "16,90 kr");
  CHECK(roleAt(model, 0, BasketModel::LineTotalTextRole).toString() == "33,80 kr");
  CHECK(roleAt(model, 0, BasketModel::BaggedRole).toBool());
  CHECK_FALSE(roleAt(model, 0, BasketModel::VoidedRole).toBool());
  CHECK(roleAt(model, 1, BasketModel::QuantityTextRole).toString() == "0,482 kg");
  CHECK(roleAt(model, 1, BasketModel::UnitPriceTextRole).toString() == "29,90 kr/kg");
  CHECK(roleAt(model, 1, BasketModel::LineTotalTextRole).toString() == "14,42 kr");

  const auto roles = model.roleNames();
  for (const char* name :
       {"lineNo", "name", "quantityText", "unitPriceText", "lineTotalText", "bagged", "voided", "ageLimit"})
    CHECK(roles.values().contains(QByteArray(name)));
}

TEST_CASE("basket model names follow the language, falling back to Swedish", "[kiosk][basket]") {
  kiosk::ui::test::app();
  BasketModel model;
  auto session = loadSession("scanning_two_lines.txtpb");
  session.mutable_lines(1)->clear_name_en();
  model.setLines(session.lines());
  QSignalSpy changed(&model, &BasketModel::dataChanged);
  model.setLanguage("en");
  CHECK(changed.count() == 1);
  CHECK(roleAt(model, 0, BasketModel::NameRole).toString() == "Semi-skimmed milk 1.5% 1 l");
  CHECK(roleAt(model, 1, BasketModel::NameRole).toString() == "Bananer");
}

TEST_CASE("a scan appends a row instead of resetting the list, a new basket resets it", "[kiosk][basket]") {
  kiosk::ui::test::app();
  BasketModel model;
  auto session = loadSession("scanning_two_lines.txtpb");
  auto first = session;
  first.mutable_lines()->RemoveLast();
  model.setLines(first.lines());

  QSignalSpy inserted(&model, &BasketModel::rowsInserted);
  QSignalSpy reset(&model, &BasketModel::modelReset);
  model.setLines(session.lines());
  CHECK(inserted.count() == 1);
  CHECK(reset.count() == 0);
  CHECK(model.rowCount() == 2);

  session.mutable_lines(0)->set_voided(true);  // a void changes data only
  model.setLines(session.lines());
  CHECK(reset.count() == 0);
  CHECK(roleAt(model, 0, BasketModel::VoidedRole).toBool());

  model.setLines({});  // next shopper
  CHECK(reset.count() == 1);
  CHECK(model.rowCount() == 0);
}

TEST_CASE("basket model marks pant lines and names them Pant", "[kiosk][basket][deposit]") {
  kiosk::ui::test::app();
  BasketModel model;
  const auto session = loadSession("scanning_pant_member.txtpb");
  model.setLines(session.lines());
  REQUIRE(model.rowCount() == 4);
  CHECK_FALSE(roleAt(model, 0, BasketModel::DepositRole).toBool());
  CHECK(roleAt(model, 1, BasketModel::DepositRole).toBool());
  CHECK(roleAt(model, 1, BasketModel::NameRole).toString() == "Pant");
  CHECK(roleAt(model, 1, BasketModel::LineTotalTextRole).toString() == "2,00 kr");
  CHECK(roleAt(model, 3, BasketModel::LineTotalTextRole).toString() == "1,00 kr");
  CHECK(model.roleNames().values().contains(QByteArray("deposit")));
}
