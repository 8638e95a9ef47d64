import QtQuick
import Kiosk 1.0

// Look up item (first cut): type the code under the barcode or a PLU on a keypad; checkout looks it up.
Item {
    id: root

    property string code

    onVisibleChanged: code = ""

    Rectangle {
        anchors.fill: parent
        color: "#B3101010"
        TapHandler {}
    }

    Rectangle {
        anchors.centerIn: parent
        width: keys.width + Theme.mm(20)
        height: panel.implicitHeight + Theme.mm(16)
        radius: Theme.mm(3)
        color: Theme.surface

        Column {
            id: panel
            anchors.centerIn: parent
            spacing: Theme.gap

            Text {
                text: qsTr("Sök vara – ange koden under streckkoden eller PLU")
                width: keys.width
                wrapMode: Text.WordWrap
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodyPx
                font.bold: true
            }
            Rectangle {
                width: keys.width
                height: Theme.mm(18)
                color: Theme.background
                border.color: Theme.border
                border.width: Math.max(1, Theme.mm(0.3))
                Text {
                    anchors.fill: parent
                    anchors.margins: Theme.mm(3)
                    verticalAlignment: Text.AlignVCenter
                    text: root.code
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.titlePx
                }
            }
            Grid {
                id: keys
                columns: 3
                spacing: Theme.gap
                Repeater {
                    model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
                    KioskButton {
                        required property string modelData
                        width: Theme.mm(24)
                        height: Theme.mm(20)
                        text: modelData
                        fill: modelData === "OK" ? Theme.primary : Theme.secondary
                        ink: modelData === "OK" ? Theme.onPrimary : Theme.onSecondary
                        enabled: modelData !== "OK" || root.code.length > 0
                        onClicked: {
                            if (modelData === "⌫") root.code = root.code.slice(0, -1)
                            else if (modelData === "OK") { Session.enterCode(root.code); root.visible = false }
                            else if (root.code.length < 14) root.code += modelData
                        }
                    }
                }
            }
            KioskButton {
                width: keys.width
                text: qsTr("Stäng")
                onClicked: root.visible = false
            }
        }
    }
}
