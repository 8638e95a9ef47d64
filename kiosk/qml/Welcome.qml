import QtQuick
import Kiosk 1.0

// Welcome: scanning the first item starts the sale. Language names in their own language, no flags;
// Larger text and Help always visible.
Rectangle {
    id: root

    color: Theme.background

    Column {
        anchors.centerIn: parent
        anchors.verticalCenterOffset: -Theme.mm(15)
        spacing: Theme.mm(10)

        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Välkommen!")
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.hugePx * 1.3
            font.bold: true
        }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Skanna din första vara")
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.titlePx
        }

        // Pictogram: a barcode under the scanner window.
        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: Theme.mm(70)
            height: Theme.mm(40)
            radius: Theme.mm(3)
            color: Theme.surface
            border.color: Theme.border
            border.width: Math.max(1, Theme.mm(0.5))

            Row {
                anchors.centerIn: parent
                height: parent.height * 0.6
                spacing: Theme.mm(1)

                Repeater {
                    model: [2, 1, 1, 3, 1, 2, 1, 1, 3, 2, 1, 1, 2, 1, 3, 1, 1, 2]
                    Rectangle {
                        required property int modelData
                        width: Theme.mm(0.8) * modelData
                        height: parent.height
                        color: Theme.text
                    }
                }
            }
            Rectangle {  // the scan line
                anchors.verticalCenter: parent.verticalCenter
                x: Theme.mm(4)
                width: parent.width - Theme.mm(8)
                height: Theme.mm(1.2)
                color: Theme.alert
            }
        }
        Text {
            // A loyalty card may come first: it starts the sale as a member's.
            objectName: "welcomeMemberHint"
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Skanna ditt kundkort")
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bodyPx
        }
    }

    Row {
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: Theme.margin
        spacing: Theme.gap

        KioskButton {
            text: "Svenska"
            width: Theme.mm(45)
            fill: Session.language === "sv" ? Theme.help : Theme.secondary
            ink: Session.language === "sv" ? Theme.onHelp : Theme.onSecondary
            onClicked: Session.language = "sv"
        }
        KioskButton {
            text: "English"
            width: Theme.mm(45)
            fill: Session.language === "en" ? Theme.help : Theme.secondary
            ink: Session.language === "en" ? Theme.onHelp : Theme.onSecondary
            onClicked: Session.language = "en"
        }
        KioskButton {
            text: Theme.largeText ? qsTr("Normal text") : qsTr("Större text")
            width: Theme.mm(55)
            onClicked: Theme.largeText = !Theme.largeText
        }
    }

    KioskButton {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.margin
        width: Theme.mm(45)
        height: Theme.mm(25)
        text: qsTr("Hjälp")
        fill: Theme.help
        ink: Theme.onHelp
        onClicked: Session.requestHelp()
    }
}
