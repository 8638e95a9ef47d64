import QtQuick
import Kiosk 1.0

// Landscape: last item card and the basket list on the left, the running total on the right, the
// instruction line above a fixed row of buttons, Pay the largest at the bottom right.
Rectangle {
    id: root

    property bool removeMode: false

    color: Theme.background
    onVisibleChanged: if (!visible) { removeMode = false; lookup.visible = false }

    // ---- the last item ----
    Rectangle {
        id: lastItem
        objectName: "lastItemCard"
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: Theme.margin
        width: parent.width * 0.62
        height: Theme.mm(42)
        radius: Theme.mm(2)
        color: Theme.surface
        border.color: Theme.border
        border.width: Math.max(1, Theme.mm(0.3))

        Column {
            anchors.left: parent.left
            anchors.right: lastPrice.left
            anchors.verticalCenter: parent.verticalCenter
            anchors.leftMargin: Theme.mm(6)
            anchors.rightMargin: Theme.mm(4)
            spacing: Theme.mm(2)

            Text {
                width: parent.width
                text: Session.hasLastItem ? Session.lastItemName : qsTr("Skanna din första vara")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.hugePx
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                width: parent.width
                visible: Session.hasLastItem
                text: Session.lastItemQuantityText + "  ×  " + Session.lastItemUnitPriceText
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodyPx
                elide: Text.ElideRight
            }
        }
        Text {
            id: lastPrice
            anchors.right: parent.right
            anchors.rightMargin: Theme.mm(6)
            anchors.verticalCenter: parent.verticalCenter
            visible: Session.hasLastItem
            text: Session.lastItemPriceText
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.hugePx
            font.bold: true
        }
    }

    // ---- the basket ----
    Rectangle {
        id: basketFrame
        anchors.left: lastItem.left
        anchors.right: lastItem.right
        anchors.top: lastItem.bottom
        anchors.topMargin: Theme.gap
        anchors.bottom: instruction.top
        anchors.bottomMargin: Theme.gap
        radius: Theme.mm(2)
        color: Theme.surface
        border.color: Theme.border
        border.width: Math.max(1, Theme.mm(0.3))
        clip: true

        ListView {
            id: basketList
            objectName: "basketList"
            anchors.fill: parent
            anchors.margins: Theme.mm(1)
            model: Session.basket
            boundsBehavior: Flickable.StopAtBounds
            onCountChanged: positionViewAtEnd()
            Component.onCompleted: positionViewAtEnd()

            delegate: Rectangle {
                id: line
                required property int index
                required property int lineNo
                required property string name
                required property string quantityText
                required property string unitPriceText
                required property string lineTotalText
                required property bool voided
                required property int ageLimit
                required property string discountText
                required property bool deposit  // a pant line: under its item, indented, smaller

                objectName: "basketLine_" + lineNo
                width: ListView.view.width
                // A line with promotions is taller: their text goes under the amount, inside the row.
                readonly property bool hasDiscount: !line.voided && line.discountText !== ""
                height: line.deposit ? Theme.mm(10)
                                     : Math.max(line.hasDiscount ? Theme.mm(21) : Theme.mm(15),
                                                root.removeMode ? Theme.touchMin + Theme.mm(3) : 0)
                color: lineNo === Session.lastItemLineNo ? "#E6EFE9" : (index % 2 ? "#F7F6F2" : Theme.surface)

                Text {
                    id: lineName
                    anchors.left: parent.left
                    anchors.leftMargin: line.deposit ? Theme.mm(12) : Theme.mm(5)
                    anchors.right: ageBadge.visible ? ageBadge.left : lineQty.left
                    anchors.rightMargin: Theme.mm(3)
                    anchors.verticalCenter: parent.verticalCenter
                    anchors.verticalCenterOffset: line.hasDiscount ? -Theme.mm(3) : 0
                    text: line.name
                    color: line.voided ? Theme.textMuted : Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: line.deposit ? Theme.smallPx : Theme.bodyPx
                    font.strikeout: line.voided
                    elide: Text.ElideRight
                }
                Rectangle {
                    id: ageBadge
                    anchors.right: lineQty.left
                    anchors.rightMargin: Theme.mm(3)
                    anchors.verticalCenter: parent.verticalCenter
                    visible: line.ageLimit > 0
                    width: ageText.implicitWidth + Theme.mm(3)
                    height: ageText.implicitHeight + Theme.mm(1)
                    radius: Theme.mm(1)
                    color: Theme.attention
                    border.color: Theme.border
                    Text {
                        id: ageText
                        anchors.centerIn: parent
                        text: line.ageLimit + "+"
                        color: Theme.onAttention
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.smallPx
                        font.bold: true
                    }
                }
                Text {
                    id: lineQty
                    anchors.right: lineTotal.left
                    anchors.rightMargin: Theme.mm(6)
                    anchors.verticalCenter: parent.verticalCenter
                    anchors.verticalCenterOffset: line.hasDiscount ? -Theme.mm(3) : 0
                    text: line.quantityText + " × " + line.unitPriceText
                    color: Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.smallPx
                }
                Text {
                    id: lineTotal
                    anchors.right: removeButton.visible ? removeButton.left : parent.right
                    anchors.rightMargin: Theme.mm(5)
                    anchors.verticalCenter: parent.verticalCenter
                    anchors.verticalCenterOffset: line.hasDiscount ? -Theme.mm(3) : 0
                    text: line.voided ? qsTr("Borttagen") : line.lineTotalText
                    color: line.voided ? Theme.textMuted : Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: line.deposit ? Theme.smallPx : Theme.bodyPx
                    font.bold: !line.voided && !line.deposit
                }
                Text {
                    // The line's promotions (their own line on the receipt), under its amount.
                    objectName: "discountText_" + line.lineNo
                    anchors.right: lineTotal.right
                    anchors.top: lineTotal.bottom
                    visible: line.hasDiscount
                    text: line.discountText
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.smallPx
                    font.bold: true
                }
                KioskButton {
                    id: removeButton
                    anchors.right: parent.right
                    anchors.rightMargin: Theme.mm(3)
                    anchors.verticalCenter: parent.verticalCenter
                    visible: root.removeMode && !line.voided && !line.deposit  // pant goes with its item
                    width: Theme.mm(40)
                    text: qsTr("Ta bort")
                    fill: Theme.alert
                    ink: Theme.onAlert
                    onClicked: { Session.removeLine(line.lineNo); root.removeMode = false }
                }
            }
        }

        Text {
            anchors.centerIn: parent
            visible: basketList.count === 0
            text: qsTr("Inga varor än")
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bodyPx
        }
    }

    // ---- the total ----
    Rectangle {
        id: totalPanel
        objectName: "totalPanel"
        anchors.left: lastItem.right
        anchors.leftMargin: Theme.gap
        anchors.right: parent.right
        anchors.rightMargin: Theme.margin
        anchors.top: lastItem.top
        anchors.bottom: basketFrame.bottom
        radius: Theme.mm(2)
        color: Theme.surface
        border.color: Theme.border
        border.width: Math.max(1, Theme.mm(0.3))

        Text {
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.margins: Theme.mm(6)
            text: qsTr("Kassa %1").arg(Session.lane)
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.smallPx
        }
        Column {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: Theme.mm(6)
            anchors.topMargin: Theme.mm(16)
            spacing: Theme.mm(4)

            // The loyalty member ("Medlem" + the card's last digits), or the hint to scan the card.
            Rectangle {
                objectName: "memberBadge"
                visible: Session.member
                width: memberLabel.implicitWidth + Theme.mm(6)
                height: memberLabel.implicitHeight + Theme.mm(3)
                radius: Theme.mm(1.5)
                color: Theme.primary
                Text {
                    id: memberLabel
                    anchors.centerIn: parent
                    text: Session.memberText
                    color: Theme.onPrimary
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.bodyPx
                    font.bold: true
                }
            }
            Row {
                width: parent.width
                visible: !Session.member
                spacing: Theme.mm(3)

                Rectangle {  // pictogram: a loyalty card with its barcode stripe
                    width: Theme.mm(12)
                    height: Theme.mm(8)
                    anchors.verticalCenter: parent.verticalCenter
                    radius: Theme.mm(1)
                    color: Theme.surface
                    border.color: Theme.textMuted
                    border.width: Math.max(1, Theme.mm(0.4))
                    Rectangle {
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.bottom: parent.bottom
                        anchors.margins: Theme.mm(1.5)
                        height: Theme.mm(2)
                        color: Theme.textMuted
                    }
                }
                Text {
                    objectName: "memberHint"
                    width: parent.width - Theme.mm(15)
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Skanna ditt kundkort")
                    color: Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.bodyPx
                    wrapMode: Text.WordWrap
                }
            }
            Text {
                width: parent.width
                visible: Session.pendingAgeChecks > 0
                text: qsTr("Åldersgräns – personal godkänner före betalning")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodyPx
                wrapMode: Text.WordWrap
            }
        }
        Column {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            anchors.margins: Theme.mm(6)
            spacing: Theme.mm(3)

            Text {
                text: qsTr("Att betala")
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodyPx
            }
            Text {
                objectName: "totalText"
                width: parent.width
                text: Session.totalText
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.hugePx * 1.3
                font.bold: true
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: Theme.titlePx
            }
            Text {
                text: Session.itemCount === 1 ? qsTr("1 vara") : qsTr("%1 varor").arg(Session.itemCount)
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodyPx
            }
            Text {
                objectName: "savingsText"
                visible: Session.savingsText !== ""
                text: Session.savingsText
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodyPx
                font.bold: true
            }
            Text {
                objectName: "depositText"
                visible: Session.depositText !== ""
                text: Session.depositText
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.smallPx
            }
            Text {
                text: qsTr("varav moms %1").arg(Session.vatText)
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.smallPx
            }
        }
    }

    // ---- instruction line ----
    BaggingPrompt {
        id: instruction
        objectName: "instructionLine"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: buttons.top
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        anchors.bottomMargin: Theme.gap
        height: Theme.mm(20)
        waitingForBagging: Session.state === Session.WaitingForBagging
        notice: root.removeMode ? qsTr("Tryck på Ta bort vid varan") : Session.noticeText
    }

    // ---- fixed buttons ----
    Item {
        id: buttons
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.margin
        height: Theme.mm(30)

        Row {
            anchors.left: parent.left
            anchors.bottom: parent.bottom
            spacing: Theme.gap

            KioskButton {
                width: Theme.mm(60)
                height: Theme.mm(25)
                text: qsTr("Sök vara")
                onClicked: lookup.visible = true
            }
            KioskButton {
                width: Theme.mm(60)
                height: Theme.mm(25)
                text: root.removeMode ? qsTr("Klar") : qsTr("Ta bort vara")
                enabled: basketList.count > 0
                onClicked: root.removeMode = !root.removeMode
            }
            KioskButton {
                width: Theme.mm(45)
                height: Theme.mm(25)
                text: qsTr("Hjälp")
                fill: Theme.help
                ink: Theme.onHelp
                onClicked: Session.requestHelp()
            }
        }
        KioskButton {
            objectName: "payButton"
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            width: Theme.mm(85)
            height: Theme.mm(30)
            text: qsTr("Betala")
            pixelSize: Theme.titlePx
            fill: Theme.primary
            ink: Theme.onPrimary
            enabled: Session.state === Session.Scanning && Session.itemCount > 0
            onClicked: Session.pay()
        }
    }

    LookupPanel {
        id: lookup
        anchors.fill: parent
        visible: false
    }
}
