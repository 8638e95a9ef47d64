import QtQuick
import Kiosk 1.0

// A touch target: at least Theme.touchMin (20 mm) on each side, text in the theme font, taps only.
Rectangle {
    id: root

    property string text
    property color fill: Theme.secondary
    property color ink: Theme.onSecondary
    property int pixelSize: Theme.bodyPx

    signal clicked()

    implicitWidth: Math.max(Theme.touchMin, label.implicitWidth + Theme.mm(10))
    implicitHeight: Theme.touchMin
    radius: Theme.mm(2)
    color: !enabled ? "#D6D4CE" : (tap.pressed ? Qt.darker(fill, 1.2) : fill)
    border.color: Theme.border
    border.width: Math.max(1, Theme.mm(0.4))
    Accessible.role: Accessible.Button
    Accessible.name: text

    Text {
        id: label
        anchors.centerIn: parent
        width: parent.width - Theme.mm(4)
        text: root.text
        color: root.enabled ? root.ink : Theme.textMuted
        font.family: Theme.fontFamily
        font.pixelSize: root.pixelSize
        font.bold: true
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }

    TapHandler {
        id: tap
        enabled: root.enabled
        onTapped: root.clicked()
    }
}
