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

    /// Charsets SwiftDesk can store and render (it keeps text as UTF-8 internally, the charset is
    /// a label), by the names and aliases Perl's Encode resolves (`UTF8`, as PyOTRS sends it;
    /// Znuny's `ValidateCharset` accepts what `Encode::resolve_alias` knows).
    public static let knownCharsets: Set<String> = {
        var names: Set<String> = [
            "utf-8", "utf8", "utf-8-strict", "us-ascii", "ascii", "iso-646-us", "latin1", "latin2", "latin3", "latin4",
            "latin5", "latin6", "latin7", "latin8", "latin9", "latin10", "utf-16", "utf-16le", "utf-16be", "utf-32",
            "utf-32le", "utf-32be", "ucs-2", "ucs-2be", "ucs-2le", "koi8-r", "koi8-u", "koi8-f", "shift_jis", "shiftjis",
            "sjis", "euc-jp", "iso-2022-jp", "iso-2022-jp-1", "euc-kr", "iso-2022-kr", "ksc5601", "gb2312", "euc-cn",
            "gbk", "cp936", "hz", "big5", "big5-eten", "big5-hkscs", "cp950", "cp949", "cp932", "macroman", "viscii",
        ]
        for part in 1...16 where part != 12 { names.insert("iso-8859-\(part)") }
        for page in 1250...1258 { names.formUnion(["windows-\(page)", "cp\(page)"]) }
        for page in [437, 737, 775, 850, 852, 855, 857, 858, 860, 861, 862, 863, 864, 865, 866, 869, 874] { names.insert("cp\(page)") }
        return names
    }()

    public static func isCharset(_ text: String) -> Bool { knownCharsets.contains(text.lowercased()) }
}
