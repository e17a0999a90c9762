import Foundation

/// Base64 as the dialects use it: decoding ignores line breaks and stray characters (as Perl's
/// `decode_base64` does); encoding writes one line without breaks.
public enum Base64 {
    public static func decode(_ text: String) -> [UInt8] {
        let cleaned = text.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }
        let padded = cleaned + String(repeating: "=", count: (4 - cleaned.count % 4) % 4)
        return Data(base64Encoded: padded).map { [UInt8]($0) } ?? []
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
