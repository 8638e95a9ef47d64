#pragma once
// The basket lines of the session as a list model for QML. Rows follow the snapshot's lines in order
// (line numbers are stable for a session, so a growing basket appends rows and keeps the view's place).
#include <QAbstractListModel>
#include <QString>
#include <vector>

#include "kiosk/v1/checkout.pb.h"

namespace kiosk::ui {

class BasketModel final : public QAbstractListModel {
  Q_OBJECT
  Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

 public:
  enum Role {
    LineNoRole = Qt::UserRole + 1,
    NameRole,           // in the shown language, falling back to Swedish
    QuantityTextRole,   // "2 st" or "0,482 kg"
    UnitPriceTextRole,  // "12,90 kr" or "29,90 kr/kg"
    LineTotalTextRole,  // "25,80 kr"
    BaggedRole,
    VoidedRole,
    AgeLimitRole,      // 0 for none
    DiscountTextRole,  // the line's promotions and what they take off ("3 för 40 kr −2,57 kr"), "" for none
    DepositRole,       // a pant line, shown under its item (indented, not removable on its own)
  };
  Q_ENUM(Role)

  explicit BasketModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  void setLines(const google::protobuf::RepeatedPtrField<kiosk::v1::BasketLine>& lines);
  // The session's promotion discounts (call before setLines, which announces the changed rows).
  void setDiscounts(const google::protobuf::RepeatedPtrField<kiosk::v1::PromotionDiscount>& discounts);
  void setLanguage(const QString& language);  // "sv" or "en"

  // Same texts the delegates show, for C++ users (controller, screenshot JSON).
  QString nameOf(const kiosk::v1::BasketLine& line) const;
  static QString quantityText(const kiosk::v1::BasketLine& line);
  static QString unitPriceText(const kiosk::v1::BasketLine& line);
  const std::vector<kiosk::v1::BasketLine>& lines() const { return lines_; }

 signals:
  void countChanged();

 private:
  std::vector<kiosk::v1::BasketLine> lines_;
  std::vector<kiosk::v1::PromotionDiscount> discounts_;
  QString language_ = QStringLiteral("sv");
};

}  // namespace kiosk::ui
