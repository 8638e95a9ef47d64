import QtQuick
import Kiosk 1.0

// The one instruction line with a pictogram: "Lägg varan i påsen" while checkout waits for the bagging
// area, otherwise the checkout's notice or the next step.
Rectangle {
    id: root

    property bool waitingForBagging: false
    property string notice

    radius: Theme.mm(2)
    color: waitingForBagging || notice !== "" ? Theme.attention : Theme.surface
    border.color: Theme.border
    border.width: Math.max(1, Theme.mm(0.3))

    // Pictogram: a shopping bag (body and handle).
    Item {
        id: bag
        anchors.left: parent.left
        anchors.leftMargin: Theme.mm(5)
        anchors.verticalCenter: parent.verticalCenter
        width: Theme.mm(12)
        height: Theme.mm(13)
        visible: root.waitingForBagging

        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            y: 0
            width: parent.width * 0.5
            height: parent.height * 0.5
            radius: width / 2
            color: "transparent"
            border.color: Theme.text
            border.width: Theme.mm(1)
        }
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: parent.height * 0.72
            radius: Theme.mm(1)
            color: Theme.text
        }
    }

    Text {
        anchors.left: root.waitingForBagging ? bag.right : parent.left
        anchors.leftMargin: Theme.mm(5)
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        text: root.waitingForBagging ? qsTr("Lägg varan i påsen")
                                     : (root.notice !== "" ? root.notice : qsTr("Skanna nästa vara"))
        color: Theme.text
        font.family: Theme.fontFamily
        font.pixelSize: root.waitingForBagging || root.notice !== "" ? Theme.titlePx : Theme.bodyPx
        font.bold: root.waitingForBagging || root.notice !== ""
        elide: Text.ElideRight
    }
}
