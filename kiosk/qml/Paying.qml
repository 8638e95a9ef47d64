import QtQuick
import Kiosk 1.0

// Payment: the amount and an arrow to the terminal, the terminal's prompt mirrored. Nothing here looks
// like success: approval shows only on the receipt screen, after the terminal approved.
Rectangle {
    id: root

    color: Theme.background

    Column {
        anchors.left: parent.left
        anchors.right: arrow.left
        anchors.verticalCenter: parent.verticalCenter
        anchors.verticalCenterOffset: -Theme.mm(15)
        anchors.leftMargin: Theme.mm(30)
        anchors.rightMargin: Theme.mm(10)
        spacing: Theme.mm(8)

        Text {
            text: qsTr("Att betala")
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.titlePx
        }
        Text {
            objectName: "payingAmount"
            text: Session.totalText
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.hugePx * 1.4
            font.bold: true
        }
        Text {
            width: parent.width
            text: qsTr("Följ instruktionerna på kortterminalen")
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.titlePx
            font.bold: true
            wrapMode: Text.WordWrap
        }
        Rectangle {  // the terminal's own words, mirrored
            width: parent.width * 0.8
            height: Theme.mm(22)
            radius: Theme.mm(2)
            visible: !Session.paymentDeclined
            color: Theme.surface
            border.color: Theme.border
            border.width: Math.max(1, Theme.mm(0.3))
            Text {
                anchors.fill: parent
                anchors.margins: Theme.mm(5)
                verticalAlignment: Text.AlignVCenter
                text: Session.paymentPrompt !== "" ? Session.paymentPrompt : qsTr("Blippa eller sätt i kortet")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.titlePx
                elide: Text.ElideRight
            }
        }
        Rectangle {  // declined: loud, with the way on
            objectName: "paymentDeclined"
            width: parent.width * 0.8
            height: Theme.mm(30)
            radius: Theme.mm(2)
            visible: Session.paymentDeclined
            color: Theme.alert
            Column {
                anchors.fill: parent
                anchors.margins: Theme.mm(5)
                spacing: Theme.mm(2)
                Text {
                    text: qsTr("Betalningen är inte klar")
                    color: Theme.onAlert
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.titlePx
                    font.bold: true
                }
                Text {
                    width: parent.width
                    text: Session.paymentPrompt !== "" ? Session.paymentPrompt : qsTr("Inget har dragits från kortet")
                    color: Theme.onAlert
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.bodyPx
                    elide: Text.ElideRight
                }
            }
        }
    }

    // Arrow towards the card terminal (right of the screen on the reference stand).
    Text {
        id: arrow
        anchors.right: parent.right
        anchors.rightMargin: Theme.mm(20)
        anchors.verticalCenter: parent.verticalCenter
        text: "➜"
        color: Theme.primary
        font.family: Theme.fontFamily
        font.pixelSize: Theme.hugePx * 3
    }

    Row {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.margin
        spacing: Theme.gap

        KioskButton {
            width: Theme.mm(80)
            height: Theme.mm(25)
            text: Session.paymentDeclined ? qsTr("Tillbaka till varorna") : qsTr("Avbryt betalningen")
            onClicked: Session.cancelPayment()
        }
        KioskButton {
            width: Theme.mm(45)
            height: Theme.mm(25)
            text: qsTr("Hjälp")
            fill: Theme.help
            ink: Theme.onHelp
            onClicked: Session.requestHelp()
        }
        KioskButton {
            width: Theme.mm(70)
            height: Theme.mm(25)
            visible: Session.paymentDeclined
            text: qsTr("Försök igen")
            fill: Theme.primary
            ink: Theme.onPrimary
            onClicked: Session.pay()
        }
    }
}
