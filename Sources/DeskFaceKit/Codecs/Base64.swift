import Foundation

/// Base64 as the dialects use it: decoding ignores line breaks and stray characters (as Perl's
/// `decode_base64` does); encoding writes one line without breaks.
public enum Base64 {
    public static func decode(_ text: String) -> [UInt8] {
        var cleaned = text.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }
        // A last character alone carries no whole byte: Perl and PHP leave it out.
        if cleaned.count % 4 == 1 { cleaned.removeLast() }
        let padded = cleaned + String(repeating: "=", count: (4 - cleaned.count % 4) % 4)
        return Data(base64Encoded: padded).map { [UInt8]($0) } ?? []
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}

extension Base64 {
    /// RFC 4648 base64 where only whitespace may appear between the characters; nil for anything
    /// else (stray characters, wrong padding), as `data:` URLs and strict APIs require.
    public static func decodeStrict(_ text: String) -> [UInt8]? {
        let cleaned = text.filter { !($0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t") }
        guard cleaned.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" || $0 == "=") }) else { return nil }
        let padded = cleaned.count % 4 == 0 ? cleaned : cleaned + String(repeating: "=", count: (4 - cleaned.count % 4) % 4)
        return Data(base64Encoded: padded).map { [UInt8]($0) }
    }
}
