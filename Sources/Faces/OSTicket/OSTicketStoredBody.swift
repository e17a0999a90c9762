import DeskFaceKit
import Foundation

/// A thread entry's body as osTicket stores it (`ThreadEntry::create`, `TextThreadEntryBody::getClean`),
/// applied when SwiftDesk shows an article: a text body is trimmed, runs of three or more line
/// breaks become two, and `&`, `<`, `>` and `"` are escaped (entities already written stay, as
/// `htmlspecialchars` with `double_encode` off leaves them); a body that comes out empty is `-`.
/// Line breaks come out as LF: `Format::html_balance` parses the body with libxml, which reads
/// CR LF and a lone CR as LF (after the empty lines were counted, so CR LF runs stay as many).
enum OSTicketStoredBody {
    static func text(_ body: String) -> String {
        let trimmed = phpTrim(body)
        var collapsed = String.UnicodeScalarView()
        var breaks = 0
        for scalar in trimmed.unicodeScalars {
            if scalar == "\n" {
                breaks += 1
                if breaks <= 2 { collapsed.append(scalar) }
            } else {
                breaks = 0
                collapsed.append(scalar)
            }
        }
        let escaped = escape(lineFeeds(String(collapsed)))
        return escaped.isEmpty ? "-" : escaped
    }

    static func html(_ body: String) -> String {
        phpTrim(body).isEmpty ? "-" : lineFeeds(body)
    }

    /// CR LF and a lone CR as LF, as libxml reads them.
    static func lineFeeds(_ text: String) -> String {
        guard text.unicodeScalars.contains("\r") else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// A thread entry's title (`Format::sanitize($title, true)`, htmLawed) of a subject stored
    /// without tags and entities: runs of white space made one space, `&`, `<` and `>` escaped
    /// (quotes stay).
    static func title(_ subject: String) -> String {
        let collapsed = collapsingWhitespace(subject)
        return collapsed.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Runs of white space made one space, as htmLawed leaves text (`Format::sanitize`); a
    /// no-break space counts as white space unless `keepingNoBreakSpace`.
    static func collapsingWhitespace(_ text: String, keepingNoBreakSpace: Bool = false) -> String {
        var collapsed = ""
        var inSpace = false
        for character in text {
            if character.isWhitespace && !(keepingNoBreakSpace && character == "\u{A0}") {
                if !inSpace { collapsed.append(" ") }
                inSpace = true
            } else {
                collapsed.append(character)
                inSpace = false
            }
        }
        return collapsed
    }

    /// PHP's `trim`: spaces, tabs, line breaks, NUL and vertical tabs at both ends.
    static func phpTrim(_ text: String) -> String {
        let blanks: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "\0", "\u{0B}"]
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !blanks.contains($0) }),
            let last = scalars.lastIndex(where: { !blanks.contains($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// `htmlspecialchars($text, ENT_COMPAT | ENT_HTML401, 'UTF-8', false)`.
    static func escape(_ text: String) -> String { HTMLEntities.specialChars(text, quotes: false, doubleEncode: false) }
}
