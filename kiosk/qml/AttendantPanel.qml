import QtQuick
import Kiosk 1.0

// Attendant view of this lane (first cut): state as colour + word, the reason and the basket, a PIN pad,
// and the journaled actions. Every action sends the PIN typed for it; checkout verifies it.
Rectangle {
    id: root

    property string pin
    property int selectedLine: 0
    readonly property bool blocked: Session.state === Session.NeedsAttendant
    readonly property bool scaleAlert: Session.attendantReason >= 1 && Session.attendantReason <= 3

    readonly property var stateWords: ({
        "disconnected": qsTr("Ej ansluten"), "idle": qsTr("Ledig"), "scanning": qsTr("Skannar"),
        "waiting_for_bagging": qsTr("Väntar på påsen"), "needs_attendant": qsTr("Behöver personal"),
        "paying": qsTr("Betalar"), "receipt": qsTr("Kvitto"), "thank_you": qsTr("Klar")
    })

    function act(f) { f(root.pin); root.pin = "" }

    color: Theme.background

    Rectangle {
        id: tile
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: Theme.margin
        width: parent.width * 0.55
        height: Theme.mm(40)
        radius: Theme.mm(2)
        color: root.blocked ? Theme.alert : (Session.pendingAgeChecks > 0 ? Theme.attention : Theme.surface)
        border.color: Theme.border

        Column {
            anchors.fill: parent
            anchors.margins: Theme.mm(5)
            spacing: Theme.mm(2)
            Text {
                text: qsTr("Kassa %1 · %2").arg(Session.lane).arg(root.stateWords[Session.stateName] || Session.stateName)
                color: root.blocked ? Theme.onAlert : Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.titlePx
                font.bold: true
            }
            Text {
                width: parent.width
                text: root.blocked ? Session.attendantReasonText + (Session.attendantDetail !== "" ? " – " + Session.attendantDetail : "")
                                   : qsTr("%1 varor · %2").arg(Session.itemCount).arg(Session.totalText)
                color: root.blocked ? Theme.onAlert : Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodyPx
                wrapMode: Text.WordWrap
            }
        }
    }

    Rectangle {
        anchors.left: tile.left
        anchors.right: tile.right
        anchors.top: tile.bottom
        anchors.topMargin: Theme.gap
        anchors.bottom: parent.bottom
        anchors.bottomMargin: Theme.margin
        color: Theme.surface
        border.color: Theme.border
        clip: true

        ListView {
            anchors.fill: parent
            model: Session.basket
            delegate: Rectangle {
                required property int lineNo
                required property string name
                required property string lineTotalText
                required property bool voided
                required property bool deposit  // pant: goes with its item, not voided on its own
                width: ListView.view.width
                height: deposit ? Theme.mm(10) : Theme.touchMin
                color: root.selectedLine === lineNo ? Theme.attention : Theme.surface
                Text {
                    anchors.left: parent.left
                    anchors.leftMargin: deposit ? Theme.mm(12) : Theme.mm(4)
                    anchors.verticalCenter: parent.verticalCenter
                    text: deposit ? name : lineNo + ". " + name
                    font.strikeout: voided
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.bodyPx
                }
                Text {
                    anchors.right: parent.right
                    anchors.rightMargin: Theme.mm(4)
                    anchors.verticalCenter: parent.verticalCenter
                    text: lineTotalText
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.bodyPx
                }
                TapHandler { enabled: !deposit; onTapped: root.selectedLine = lineNo }
            }
        }
    }

    Column {
        anchors.left: tile.right
        anchors.leftMargin: Theme.gap
        anchors.right: parent.right
        anchors.rightMargin: Theme.margin
        anchors.top: tile.top
        spacing: Theme.gap

        Text {
            text: qsTr("PIN: %1").arg("•".repeat(root.pin.length))
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.titlePx
        }
        Grid {
            columns: 3
            spacing: Theme.gap
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "C"]
                KioskButton {
                    required property string modelData
                    width: Theme.mm(22)
                    text: modelData
                    onClicked: {
                        if (modelData === "⌫") root.pin = root.pin.slice(0, -1)
                        else if (modelData === "C") root.pin = ""
                        else if (root.pin.length < 12) root.pin += modelData
                    }
                }
            }
        }
        Flow {
            width: parent.width
            spacing: Theme.gap
            KioskButton { text: qsTr("Godkänn vikten"); visible: root.scaleAlert; onClicked: root.act(p => Session.resolve("accept_weight", p)) }
            KioskButton { text: qsTr("Varan borttagen"); visible: root.scaleAlert; onClicked: root.act(p => Session.resolve("item_removed", p)) }
            KioskButton { text: qsTr("Åsidosätt"); visible: root.scaleAlert; onClicked: root.act(p => Session.resolve("override", p)) }
            KioskButton { text: qsTr("Godkänn ålder"); visible: Session.pendingAgeChecks > 0; onClicked: root.act(p => Session.approveAge(p)) }
            KioskButton { text: qsTr("Makulera rad %1").arg(root.selectedLine); visible: root.selectedLine > 0; onClicked: root.act(p => Session.voidLine(root.selectedLine, p)) }
            KioskButton { text: qsTr("Avbryt köpet"); fill: Theme.alert; ink: Theme.onAlert; onClicked: root.act(p => Session.cancelSale(p)) }
        }
        Text {
            width: parent.width
            text: Session.lastError
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.smallPx
            wrapMode: Text.WordWrap
        }
    }
}
