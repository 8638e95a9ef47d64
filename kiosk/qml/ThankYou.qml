import QtQuick
import Kiosk 1.0

Rectangle {
    color: Theme.background

    Column {
        anchors.centerIn: parent
        spacing: Theme.mm(8)

        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Tack!")
            color: Theme.primary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.hugePx * 1.5
            font.bold: true
        }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Glöm inte dina varor")
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.hugePx
            font.bold: true
        }
    }
}
