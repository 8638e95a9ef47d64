import QtQuick
import Kiosk 1.0

// Paid: a receipt must be offered (Swedish law). Print / Digital / No thanks.
Rectangle {
    color: Theme.background

    Column {
        anchors.centerIn: parent
        spacing: Theme.mm(10)

        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: "✓ " + qsTr("Betalningen är godkänd")
            color: Theme.primary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.titlePx
            font.bold: true
        }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Vill du ha kvitto?")
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.hugePx
            font.bold: true
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.mm(8)

            KioskButton {
                width: Theme.mm(70)
                height: Theme.mm(30)
                text: qsTr("Skriv ut")
                fill: Theme.primary
                ink: Theme.onPrimary
                onClicked: Session.finishReceipt("print")
            }
            KioskButton {
                width: Theme.mm(70)
                height: Theme.mm(30)
                text: qsTr("Digitalt kvitto")
                fill: Theme.primary
                ink: Theme.onPrimary
                onClicked: Session.finishReceipt("digital")
            }
            KioskButton {
                width: Theme.mm(70)
                height: Theme.mm(30)
                text: qsTr("Nej tack")
                onClicked: Session.finishReceipt("none")
            }
        }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Kvitto nr %1 · %2").arg(Session.receiptNumber).arg(Session.totalText)
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bodyPx
        }
    }
}
