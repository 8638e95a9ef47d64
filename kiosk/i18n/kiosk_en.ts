<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="sv">
<context>
    <name>AttendantOverlay</name>
    <message>
        <location filename="../qml/AttendantOverlay.qml" line="43"/>
        <source>Vänta, personal kommer</source>
        <translation>Please wait, staff are coming</translation>
    </message>
    <message>
        <location filename="../qml/AttendantOverlay.qml" line="86"/>
        <source>Ta bort varan istället</source>
        <translation>Remove the item instead</translation>
    </message>
</context>
<context>
    <name>AttendantPanel</name>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="15"/>
        <source>Ej ansluten</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="15"/>
        <source>Ledig</source>
        <translation>Idle</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="15"/>
        <source>Skannar</source>
        <translation>Scanning</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="16"/>
        <source>Väntar på påsen</source>
        <translation>Waiting for the bag</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="16"/>
        <source>Behöver personal</source>
        <translation>Needs staff</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="17"/>
        <source>Betalar</source>
        <translation>Paying</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="17"/>
        <source>Kvitto</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="17"/>
        <source>Klar</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="40"/>
        <source>Kassa %1 · %2</source>
        <translation>Lane %1 · %2</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="49"/>
        <source>%1 varor · %2</source>
        <translation>%1 items · %2</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="113"/>
        <source>PIN: %1</source>
        <translation>PIN: %1</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="138"/>
        <source>Godkänn vikten</source>
        <translation>Accept weight</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="139"/>
        <source>Varan borttagen</source>
        <translation>Item removed</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="140"/>
        <source>Åsidosätt</source>
        <translation>Override</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="141"/>
        <source>Godkänn ålder</source>
        <translation>Approve age</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="142"/>
        <source>Makulera rad %1</source>
        <translation>Void line %1</translation>
    </message>
    <message>
        <location filename="../qml/AttendantPanel.qml" line="143"/>
        <source>Avbryt köpet</source>
        <translation>Cancel sale</translation>
    </message>
</context>
<context>
    <name>BaggingPrompt</name>
    <message>
        <location filename="../qml/BaggingPrompt.qml" line="51"/>
        <source>Lägg varan i påsen</source>
        <translation>Put the item in the bag</translation>
    </message>
    <message>
        <location filename="../qml/BaggingPrompt.qml" line="52"/>
        <source>Skanna nästa vara</source>
        <translation>Scan your next item</translation>
    </message>
</context>
<context>
    <name>Disconnected</name>
    <message>
        <location filename="../qml/Disconnected.qml" line="14"/>
        <source>Kassan startar</source>
        <translation>The checkout is starting</translation>
    </message>
    <message>
        <location filename="../qml/Disconnected.qml" line="22"/>
        <source>Vänta ett ögonblick</source>
        <translation>Please wait a moment</translation>
    </message>
</context>
<context>
    <name>LookupPanel</name>
    <message>
        <location filename="../qml/LookupPanel.qml" line="31"/>
        <source>Sök vara – ange koden under streckkoden eller PLU</source>
        <translation>Look up item – enter the number under the barcode or the PLU</translation>
    </message>
    <message>
        <location filename="../qml/LookupPanel.qml" line="79"/>
        <source>Stäng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Main.qml" line="11"/>
        <source>Kassa %1 – personal</source>
        <translation>Lane %1 – staff</translation>
    </message>
    <message>
        <location filename="../qml/Main.qml" line="11"/>
        <source>Självscanning</source>
        <translation>Self-checkout</translation>
    </message>
</context>
<context>
    <name>Paying</name>
    <message>
        <location filename="../qml/Paying.qml" line="21"/>
        <source>Att betala</source>
        <translation>To pay</translation>
    </message>
    <message>
        <location filename="../qml/Paying.qml" line="36"/>
        <source>Följ instruktionerna på kortterminalen</source>
        <translation>Follow the instructions on the card terminal</translation>
    </message>
    <message>
        <location filename="../qml/Paying.qml" line="55"/>
        <source>Blippa eller sätt i kortet</source>
        <translation>Tap or insert your card</translation>
    </message>
    <message>
        <location filename="../qml/Paying.qml" line="74"/>
        <source>Betalningen är inte klar</source>
        <translation>Payment not finished</translation>
    </message>
    <message>
        <location filename="../qml/Paying.qml" line="82"/>
        <source>Inget har dragits från kortet</source>
        <translation>Nothing was charged to the card</translation>
    </message>
    <message>
        <location filename="../qml/Paying.qml" line="113"/>
        <source>Tillbaka till varorna</source>
        <translation>Back to the items</translation>
    </message>
    <message>
        <location filename="../qml/Paying.qml" line="113"/>
        <source>Avbryt betalningen</source>
        <translation>Cancel payment</translation>
    </message>
    <message>
        <location filename="../qml/Paying.qml" line="119"/>
        <source>Hjälp</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../qml/Paying.qml" line="128"/>
        <source>Försök igen</source>
        <translation>Try again</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <location filename="../qml/Receipt.qml" line="14"/>
        <source>Betalningen är godkänd</source>
        <translation>Payment approved</translation>
    </message>
    <message>
        <location filename="../qml/Receipt.qml" line="22"/>
        <source>Vill du ha kvitto?</source>
        <translation>Would you like a receipt?</translation>
    </message>
    <message>
        <location filename="../qml/Receipt.qml" line="35"/>
        <source>Skriv ut</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../qml/Receipt.qml" line="43"/>
        <source>Digitalt kvitto</source>
        <translation>Digital receipt</translation>
    </message>
    <message>
        <location filename="../qml/Receipt.qml" line="51"/>
        <source>Nej tack</source>
        <translation>No thanks</translation>
    </message>
    <message>
        <location filename="../qml/Receipt.qml" line="57"/>
        <source>Kvitto nr %1 · %2</source>
        <translation>Receipt no. %1 · %2</translation>
    </message>
</context>
<context>
    <name>Scanning</name>
    <message>
        <location filename="../qml/Scanning.qml" line="38"/>
        <source>Skanna din första vara</source>
        <translation>Scan your first item</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="160"/>
        <source>Borttagen</source>
        <translation>Removed</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="173"/>
        <source>Ta bort</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="184"/>
        <source>Inga varor än</source>
        <translation>No items yet</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="210"/>
        <source>Kassa %1</source>
        <translation>Lane %1</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="222"/>
        <source>Åldersgräns – personal godkänner före betalning</source>
        <translation>Age limit – staff approve before payment</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="236"/>
        <source>Att betala</source>
        <translation>To pay</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="253"/>
        <source>1 vara</source>
        <translation>1 item</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="253"/>
        <source>%1 varor</source>
        <translation>%1 items</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="259"/>
        <source>varav moms %1</source>
        <translation>incl. VAT %1</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="279"/>
        <source>Tryck på Ta bort vid varan</source>
        <translation>Tap Remove next to the item</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="299"/>
        <source>Sök vara</source>
        <translation>Look up item</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="305"/>
        <source>Klar</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="305"/>
        <source>Ta bort vara</source>
        <translation>Remove item</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="312"/>
        <source>Hjälp</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../qml/Scanning.qml" line="324"/>
        <source>Betala</source>
        <translation>Pay</translation>
    </message>
    <message>
        <source>Skanna ditt kundkort</source>
        <translation>Scan your loyalty card</translation>
    </message>
</context>
<context>
    <name>ThankYou</name>
    <message>
        <location filename="../qml/ThankYou.qml" line="13"/>
        <source>Tack!</source>
        <translation>Thanks!</translation>
    </message>
    <message>
        <location filename="../qml/ThankYou.qml" line="21"/>
        <source>Glöm inte dina varor</source>
        <translation>Don&apos;t forget your shopping</translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <location filename="../qml/Welcome.qml" line="18"/>
        <source>Välkommen!</source>
        <translation>Welcome!</translation>
    </message>
    <message>
        <location filename="../qml/Welcome.qml" line="26"/>
        <source>Skanna din första vara</source>
        <translation>Scan your first item</translation>
    </message>
    <message>
        <location filename="../qml/Welcome.qml" line="88"/>
        <source>Normal text</source>
        <translation>Normal text</translation>
    </message>
    <message>
        <location filename="../qml/Welcome.qml" line="88"/>
        <source>Större text</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <location filename="../qml/Welcome.qml" line="100"/>
        <source>Hjälp</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>Skanna ditt kundkort</source>
        <translation>Scan your loyalty card</translation>
    </message>
</context>
<context>
    <name>kiosk::ui::BasketModel</name>
    <message>
        <location filename="../basket_model.cpp" line="20"/>
        <source>%1 st</source>
        <translation>%1 pcs</translation>
    </message>
</context>
<context>
    <name>kiosk::ui::SessionController</name>
    <message>
        <location filename="../session_controller.cpp" line="133"/>
        <source>Vikten stämmer inte – kontrollera påsen</source>
        <translation>Weight doesn&apos;t match – please check the bag</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="134"/>
        <source>Vågen känner av en vara som inte är skannad</source>
        <translation>The scale senses an item that isn&apos;t scanned</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="135"/>
        <source>En vara har lyfts ur påsen</source>
        <translation>An item was lifted out of the bag</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="140"/>
        <source>Åldersgräns %1 år – personal godkänner före betalning</source>
        <translation>Age limit %1 – staff approve before payment</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="142"/>
        <source>Du har bett om hjälp</source>
        <translation>You asked for help</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="143"/>
        <source>Kortterminalen svarar inte just nu</source>
        <translation>The card terminal is not answering right now</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="144"/>
        <location filename="../session_controller.cpp" line="170"/>
        <source>Varan finns inte i kassan</source>
        <translation>The item isn&apos;t in the checkout&apos;s catalogue</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="145"/>
        <source>Vågen behöver ses över</source>
        <translation>The scale needs looking at</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="146"/>
        <source>Personal behöver titta på köpet</source>
        <translation>Staff need to look at the purchase</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="153"/>
        <source>Lägg bara den skannade varan i påsen. Personal kommer och hjälper dig.</source>
        <translation>Put only the scanned item in the bag. Staff are coming to help you.</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="155"/>
        <source>Skanna varan eller ta upp den ur påsen. Personal kommer och hjälper dig.</source>
        <translation>Scan the item or take it out of the bag. Staff are coming to help you.</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="156"/>
        <source>Lägg tillbaka varan i påsen.</source>
        <translation>Please put the item back in the bag.</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="157"/>
        <source>Du kan fortsätta skanna medan du väntar.</source>
        <translation>You can keep scanning while you wait.</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="158"/>
        <source>Personal kommer och hjälper dig.</source>
        <translation>Staff are coming to help you.</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="167"/>
        <source>Betalningen är inte klar</source>
        <translation>Payment not finished</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="168"/>
        <source>Lägg varan i påsen</source>
        <translation>Put the item in the bag</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="197"/>
        <source>Lägg varan på vågen</source>
        <translation>Place it on the scale</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="124"/>
        <source>Du sparar %1</source>
        <translation>You save %1</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="169"/>
        <source>Streckkoden gick inte att läsa</source>
        <translation>Couldn&apos;t read the barcode</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="171"/>
        <source>Åldersgräns – personal godkänner före betalning</source>
        <translation>Age limit – staff approve before payment</translation>
    </message>
    <message>
        <location filename="../session_controller.cpp" line="172"/>
        <source>Varan är borttagen</source>
        <translation>The item is removed</translation>
    </message>
    <message>
        <source>Medlem %1</source>
        <translation>Member %1</translation>
    </message>
    <message>
        <source>varav pant %1</source>
        <translation>incl. deposit %1</translation>
    </message>
    <message>
        <source>Kundkortet är registrerat – medlemspriser gäller</source>
        <translation>Loyalty card registered – member prices apply</translation>
    </message>
</context>
</TS>
