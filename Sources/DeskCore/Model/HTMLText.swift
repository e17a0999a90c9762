/// Plain text turned into HTML as Znuny's `Kernel::System::HTMLUtils` does it for signatures:
/// `ToHTML` (escaping, line breaks) and `LinkQuote` (web addresses made links).
public enum HTMLText {
    /// `&`, `<`, `>` and `"` escaped, as `ToHTML` escapes them.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `ToHTML`: escaped, each line break (CR LF, LF CR, CR, LF) a `<br />` and a line break.
    public static func fromPlain(_ text: String) -> String {
        let lines = text.replacing("\r\n", with: "\n").replacing("\n\r", with: "\n").replacing("\r", with: "\n")
        return escaped(lines).replacing("\n", with: "<br />\n")
    }

    /// `LinkQuote`: `http://`, `https://` and `ftp://` addresses and `www.`/`ftp.` host names
    /// that start after white space, a tag or an entity become `<a href="…" title="…">…</a>`
    /// (a bare `www.` gets `http://`, a bare `ftp.` gets `ftp://`). Text inside tags is left alone.
    public static func linkQuoted(_ html: String) -> String {
        let scalars = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        var inTag = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<" { inTag = true }
            if inTag {
                if scalar == ">" { inTag = false }
                out.append(scalar)
                index += 1
                continue
            }
            let before: Unicode.Scalar? = index > 0 ? scalars[index - 1] : nil
            let startsHere = before == nil || before!.properties.isWhitespace || before == ">" || before == ";"
            if startsHere, let (end, href) = link(in: scalars, at: index) {
                let text = String(String.UnicodeScalarView(scalars[index..<end]))
                out.append(contentsOf: "<a href=\"\(href)\" title=\"\(href)\">\(text)</a>".unicodeScalars)
                index = end
                continue
            }
            out.append(scalar)
            index += 1
        }
        return String(out)
    }

    /// The end of a link starting at `start` and the address it points to, nil when none starts there.
    private static func link(in scalars: [Unicode.Scalar], at start: Int) -> (Int, String)? {
        func hasPrefix(_ prefix: String) -> Bool {
            let wanted = Array(prefix.unicodeScalars)
            guard start + wanted.count <= scalars.count else { return false }
            return zip(scalars[start..<start + wanted.count], wanted).allSatisfy { String($0).lowercased() == String($1) }
        }
        let protocols = ["http://", "https://", "ftp://", "www.", "ftp."]
        guard let scheme = protocols.first(where: hasPrefix) else { return nil }
        var end = start + scheme.unicodeScalars.count
        let hostStart = end
        while end < scalars.count, isPathCharacter(scalars[end]) { end += 1 }
        for (mark, allowed) in [("?", isQueryCharacter), ("#", isQueryCharacter)] as [(Unicode.Scalar, (Unicode.Scalar) -> Bool)] {
            if end < scalars.count, scalars[end] == mark {
                end += 1
                while end < scalars.count, allowed(scalars[end]) { end += 1 }
            }
        }
        // Trailing punctuation before white space or the end belongs to the sentence.
        while end > hostStart, ",;!.)?".unicodeScalars.contains(scalars[end - 1]),
            end == scalars.count || scalars[end].properties.isWhitespace
        {
            end -= 1
        }
        guard end > hostStart, scalars[hostStart].properties.isAlphabetic || ("0"..."9").contains(scalars[hostStart]) else { return nil }
        let text = String(String.UnicodeScalarView(scalars[start..<end]))
        let lowered = scheme.lowercased()
        let href = lowered == "www." ? "http://" + text : lowered == "ftp." ? "ftp://" + text : text
        return (end, href)
    }

    private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "/.-_=%:".unicodeScalars.contains(scalar))
    }

    private static func isQueryCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "&;=%-_:./".unicodeScalars.contains(scalar))
    }
}
