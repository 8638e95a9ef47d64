import QtQuick
import Kiosk 1.0

// Screens switch by binding to Session.state; the checkout decides the state, QML only shows it.
Window {
    id: window

    property bool attendantMode: false

    visible: true
    title: attendantMode ? qsTr("Kassa %1 – personal").arg(Session.lane) : qsTr("Självscanning")
    color: Theme.background

    Item {
        id: shopper
        anchors.fill: parent
        visible: !window.attendantMode

        Disconnected {
            anchors.fill: parent
            visible: Session.state === Session.Disconnected
        }
        Welcome {
            anchors.fill: parent
            visible: Session.state === Session.Idle
        }
        Scanning {
            anchors.fill: parent
            visible: Session.state === Session.Scanning || Session.state === Session.WaitingForBagging
                     || Session.state === Session.NeedsAttendant
        }
        Paying {
            anchors.fill: parent
            visible: Session.state === Session.Paying
        }
        Receipt {
            anchors.fill: parent
            visible: Session.state === Session.Receipt
        }
        ThankYou {
            anchors.fill: parent
            visible: Session.state === Session.ThankYou
        }
        AttendantOverlay {
            anchors.fill: parent
            visible: Session.state === Session.NeedsAttendant
        }
    }

    AttendantPanel {
        anchors.fill: parent
        visible: window.attendantMode
    }
}
