import QtQuick
import Kiosk 1.0

// Needs attendant: what the sensor saw and the next step, never blaming; one action (remove the item
// instead) plus the reassurance that staff are coming. No time-out while the shopper waits.
Item {
    id: root

    readonly property bool canRemoveInstead: Session.attendantLineNo > 0 && Session.attendantReason !== 4

    Rectangle {  // scrim over the basket
        anchors.fill: parent
        color: "#B3101010"
        TapHandler {}  // swallow taps meant for the screen below
    }

    Rectangle {
        id: card
        objectName: "attendantCard"
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, Theme.mm(260))
        height: band.height + content.implicitHeight + Theme.mm(16)
        radius: Theme.mm(3)
        color: Theme.surface

        Rectangle {
            id: band
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            height: Theme.mm(26)
            radius: Theme.mm(3)
            color: Theme.help
            Rectangle {  // square off the band's lower corners
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                height: parent.radius
                color: parent.color
            }
            Text {
                anchors.centerIn: parent
                text: qsTr("Vänta, personal kommer")
                color: Theme.onHelp
                font.family: Theme.fontFamily
                font.pixelSize: Theme.titlePx
                font.bold: true
            }
        }

        Column {
            id: content
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: band.bottom
            anchors.margins: Theme.mm(8)
            spacing: Theme.mm(5)

            Text {
                objectName: "attendantReason"
                width: parent.width
                text: Session.attendantReasonText
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.titlePx
                font.bold: true
                wrapMode: Text.WordWrap
            }
            Text {
                width: parent.width
                text: Session.attendantNextStepText
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodyPx
                wrapMode: Text.WordWrap
            }
            Item {
                width: parent.width
                height: Theme.mm(25)
                visible: root.canRemoveInstead

                KioskButton {
                    anchors.right: parent.right
                    width: Theme.mm(80)
                    height: Theme.mm(25)
                    text: qsTr("Ta bort varan istället")
                    onClicked: Session.removeLine(Session.attendantLineNo)
                }
            }
        }
    }
}
