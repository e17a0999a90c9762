/// A document's bytes in UTF-8 for `SafeXMLParser`, which reads UTF-8 only. Old clients write
/// ISO-8859-1 or windows-1252 and say so in the HTTP charset or the XML declaration; PHP's and
/// Perl's parsers honour that. Such a document (in an encoding `TextEncoding` knows) is converted
/// and its declaration made to say UTF-8; anything else is returned unchanged.
public enum XMLEncoding {
    /// `charset` is the HTTP `Content-Type`'s, which wins over the declaration.
    public static func utf8Document(_ bytes: [UInt8], charset: String? = nil) -> [UInt8] {
        let declared = declaration(bytes)
        let encoding = charset.flatMap { isUTF8($0) ? nil : $0 } ?? declared?.encoding
        guard let encoding, !isUTF8(encoding) else { return bytes }
        let start = declared.map { $0.end + 1 } ?? 0
        guard let text = TextEncoding.decode(Array(bytes[start...]), charset: encoding) else { return bytes }
        return Array((declared == nil ? "" : #"<?xml version="1.0" encoding="UTF-8"?>"#).utf8) + Array(text.utf8)
    }

    /// The XML declaration's encoding and where the declaration ends.
    static func declaration(_ bytes: [UInt8]) -> (encoding: String?, end: Int)? {
        guard bytes.starts(with: Array("<?xml".utf8)), let end = bytes.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let text = String(decoding: bytes[...end], as: UTF8.self)
        return (text.firstMatch(of: #/encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/#).map { String($0.1) }, end)
    }

    static func isUTF8(_ charset: String) -> Bool {
        ["utf-8", "utf8", "us-ascii", "ascii"].contains(charset.lowercased())
    }
}
