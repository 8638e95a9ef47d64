import QtQuick
import Kiosk 1.0

// Shown until the checkout answers (start-up, restart): calm, no blame, no "error".
Rectangle {
    color: Theme.background

    Column {
        anchors.centerIn: parent
        spacing: Theme.gap

        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Kassan startar")
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.hugePx
            font.bold: true
        }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Vänta ett ögonblick")
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.titlePx
        }
    }
}
