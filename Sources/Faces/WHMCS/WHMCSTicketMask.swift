import DeskCore

/// WHMCS's public ticket numbers (`tid`, from the `TicketMask` setting) and client access codes
/// (`c`). Numbers are random; the core keeps the first candidate no other ticket has.
enum WHMCSTicketMask {
    static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let lower = Array("abcdefghijklmnopqrstuvwxyz")
    static let digits = Array("0123456789")
    static let alphanumerics = digits + lower + upper

    /// `%A` A–Z, `%a` a–z, `%n` a digit, `%y` `%m` `%d` the date, `%i` the ticket id (filled in by the core); other
    /// characters stay; an unknown `%x` gives nothing; an empty mask is the default.
    static func number(mask: String, at seconds: Int64) -> String {
        let mask = mask.isEmpty ? WHMCSDirectory.defaultMask : mask
        let date = CivilDate(unixSeconds: seconds)
        var out = ""
        var characters = mask.makeIterator()
        while let character = characters.next() {
            guard character == "%" else {
                out.append(character)
                continue
            }
            switch characters.next() {
            case "A": out.append(upper.randomElement()!)
            case "a": out.append(lower.randomElement()!)
            case "n": out.append(digits.randomElement()!)
            case "y": out += String(date.year)
            case "m": out += date.month < 10 ? "0\(date.month)" : String(date.month)
            case "d": out += date.day < 10 ? "0\(date.day)" : String(date.day)
            case "i": out += FaceKeyChoice.idPlaceholder
            default: break
            }
        }
        return out
    }

    /// Candidates for a new ticket (WHMCS tries up to 100 rounds of 5).
    static func candidates(mask: String, at seconds: Int64, count: Int = 50) -> [String] {
        var seen: Set<String> = []
        return (0..<count).map { _ in number(mask: mask, at: seconds) }.filter { seen.insert($0).inserted }
    }

    /// Eight characters from 0-9, a-z and A-Z.
    static func accessCode() -> String {
        String((0..<8).map { _ in alphanumerics.randomElement()! })
    }

    /// Whether a mask is usable: `tid` holds 128 characters, and `%i` may expand to ten digits.
    static func isValid(_ mask: String) -> Bool {
        var length = 0
        var characters = mask.makeIterator()
        while let character = characters.next() {
            guard character == "%" else {
                length += 1
                continue
            }
            switch characters.next() {
            case "A", "a", "n": length += 1
            case "y": length += 4
            case "m", "d": length += 2
            case "i": length += 10
            default: break
            }
        }
        return length <= 128
    }
}
