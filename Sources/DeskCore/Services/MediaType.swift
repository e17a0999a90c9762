/// Content-type rules shared by the core and the faces that check them in their own words.
public enum MediaType {
    /// `text/html` of `text/html; charset=utf-8`, lower-cased.
    public static func mimeType(ofContentType contentType: String) -> String {
        String(contentType.split(separator: ";", maxSplits: 1).first ?? "").trimmingSpaces.lowercased()
    }

    /// The value of a parameter (`charset`) of a content type, unquoted.
    public static func parameter(_ name: String, of contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingSpaces.lowercased() == name {
                return pair[1].trimmingSpaces.replacingQuotes()
            }
        }
        return nil
    }

    /// `word/word` with the characters RFC 2045 allows in tokens.
    public static func isMimeType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let token: (Substring) -> Bool = { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$&^_.+-".contains($0)) }
        }
        return parts.count == 2 && token(parts[0]) && token(parts[1])
    }

    /// Charsets SwiftDesk can store and render (it keeps text as UTF-8 internally), with the
    /// aliases Perl's Encode accepts (`UTF8`, as PyOTRS sends it).
    public static let knownCharsets: Set<String> = [
        "utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "iso-8859-15", "latin1", "windows-1252",
        "cp1252", "utf-16", "iso-8859-2", "windows-1250", "koi8-r", "shift_jis", "euc-jp", "gb2312", "big5",
    ]

    public static func isCharset(_ text: String) -> Bool { knownCharsets.contains(text.lowercased()) }
}
