/// WHMCS's `processUtf8Mb4` with `CutUtf8Mb4` on (a fresh install's setting): a few smileys
/// become text (😀😁 `:)`, 😃–😆 `:D`, 😉😊 `;)`, 😐 `:|`, 😒😞😟 `:(`, 😛 `:P`, 😢 `:'(`), then
/// every code point of U+1F300–1F64F, U+1F680–1F6FF and U+2600–27BF is removed. Applied to the
/// subject and message of OpenTicket and to the messages of AddTicketReply and AddTicketNote.
enum WHMCSEmoji {
    static func cut(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x1F600, 0x1F601: result.append(contentsOf: ":)".unicodeScalars)
            case 0x1F603...0x1F606: result.append(contentsOf: ":D".unicodeScalars)
            case 0x1F609, 0x1F60A: result.append(contentsOf: ";)".unicodeScalars)
            case 0x1F610: result.append(contentsOf: ":|".unicodeScalars)
            case 0x1F612, 0x1F61E, 0x1F61F: result.append(contentsOf: ":(".unicodeScalars)
            case 0x1F61B: result.append(contentsOf: ":P".unicodeScalars)
            case 0x1F622: result.append(contentsOf: ":'(".unicodeScalars)
            case 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x2600...0x27BF: continue
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
