#include "basket_model.h"

#include <QStringList>

#include "money_text.h"

namespace kiosk::ui {

BasketModel::BasketModel(QObject* parent) : QAbstractListModel(parent) {}

int BasketModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(lines_.size());
}

QString BasketModel::nameOf(const kiosk::v1::BasketLine& line) const {
  if (language_ == QLatin1String("en") && !line.name_en().empty()) return QString::fromStdString(line.name_en());
  return QString::fromStdString(line.name_sv());
}

QString BasketModel::quantityText(const kiosk::v1::BasketLine& line) {
  if (line.unit() == kiosk::v1::SALE_UNIT_PER_KG) return weightText(line.quantity());
  return tr("%1 st").arg(line.quantity());
}

QString BasketModel::unitPriceText(const kiosk::v1::BasketLine& line) {
  if (line.unit() == kiosk::v1::SALE_UNIT_PER_KG) return pricePerKgText(line.unit_price_ore());
  return moneyText(line.unit_price_ore());
}

QVariant BasketModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() < 0 || index.row() >= rowCount()) return {};
  const auto& line = lines_[static_cast<size_t>(index.row())];
  switch (role) {
    case LineNoRole:
      return static_cast<int>(line.line_no());
    case Qt::DisplayRole:
    case NameRole:
      return nameOf(line);
    case QuantityTextRole:
      return quantityText(line);
    case UnitPriceTextRole:
      return unitPriceText(line);
    case LineTotalTextRole:
      return moneyText(line.line_total_ore());
    case BaggedRole:
      return line.bagged();
    case VoidedRole:
      return line.voided();
    case AgeLimitRole:
      return static_cast<int>(line.age_limit());
    case DepositRole:
      return line.deposit_for() != 0;
    case DiscountTextRole: {
      QStringList parts;
      for (const auto& d : discounts_) {
        if (d.line_no() == line.line_no()) {
          parts << QStringLiteral("%1 −%2").arg(QString::fromStdString(d.text()), moneyText(d.discount_ore()));
        }
      }
      return parts.join(QStringLiteral(" · "));
    }
    default:
      return {};
  }
}

QHash<int, QByteArray> BasketModel::roleNames() const {
  return {{LineNoRole, "lineNo"},
          {NameRole, "name"},
          {QuantityTextRole, "quantityText"},
          {UnitPriceTextRole, "unitPriceText"},
          {LineTotalTextRole, "lineTotalText"},
          {BaggedRole, "bagged"},
          {VoidedRole, "voided"},
          {AgeLimitRole, "ageLimit"},
          {DiscountTextRole, "discountText"},
          {DepositRole, "deposit"}};
}

void BasketModel::setDiscounts(const google::protobuf::RepeatedPtrField<kiosk::v1::PromotionDiscount>& discounts) {
  discounts_.assign(discounts.begin(), discounts.end());
}

void BasketModel::setLines(const google::protobuf::RepeatedPtrField<kiosk::v1::BasketLine>& lines) {
  const size_t oldSize = lines_.size();
  // The old rows are a prefix of the new ones (the usual case: a scan appended a line)?
  bool prefix = static_cast<size_t>(lines.size()) >= oldSize;
  for (size_t i = 0; prefix && i < oldSize; ++i) prefix = lines_[i].line_no() == lines[static_cast<int>(i)].line_no();
  if (!prefix) {
    beginResetModel();
    lines_.assign(lines.begin(), lines.end());
    endResetModel();
    emit countChanged();
    return;
  }
  for (size_t i = 0; i < oldSize; ++i) lines_[i] = lines[static_cast<int>(i)];
  if (oldSize > 0) emit dataChanged(index(0), index(static_cast<int>(oldSize) - 1));
  if (static_cast<size_t>(lines.size()) > oldSize) {
    beginInsertRows({}, static_cast<int>(oldSize), lines.size() - 1);
    lines_.insert(lines_.end(), lines.begin() + static_cast<int>(oldSize), lines.end());
    endInsertRows();
    emit countChanged();
  }
}

void BasketModel::setLanguage(const QString& language) {
  if (language_ == language) return;
  language_ = language;
  if (!lines_.empty()) emit dataChanged(index(0), index(rowCount() - 1), {NameRole, QuantityTextRole});
}

}  // namespace kiosk::ui
