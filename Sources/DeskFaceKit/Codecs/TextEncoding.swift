import Foundation

/// Text in the charsets e-mail and form clients send, decoded to Swift strings.
public enum TextEncoding {
    /// `bytes` read as `charset` (case-insensitive, with the common aliases); nil when the charset
    /// is unknown or the bytes are not valid in it.
    public static func decode(_ bytes: [UInt8], charset: String) -> String? {
        guard let encoding = encoding(named: charset) else { return nil }
        if encoding == .utf8 {
            return String(validating: bytes, as: UTF8.self)
        }
        return String(data: Data(bytes), encoding: encoding)
    }

    /// Like `decode`, but never fails: unknown charsets are read as UTF-8 and invalid bytes replaced.
    public static func decodeLeniently(_ bytes: [UInt8], charset: String?) -> String {
        if let charset, let text = decode(bytes, charset: charset) { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func encoding(named name: String) -> String.Encoding? {
        // Python's spellings too (`latin_1`, `utf_8`).
        switch name.lowercased().trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": .utf8
        case "us-ascii", "ascii": .ascii
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1": .isoLatin1
        case "iso-8859-2", "latin2": .isoLatin2
        case "windows-1252", "cp1252": .windowsCP1252
        case "windows-1250", "cp1250": .windowsCP1250
        case "windows-1251", "cp1251": .windowsCP1251
        case "utf-16": .utf16
        case "utf-16le": .utf16LittleEndian
        case "utf-16be": .utf16BigEndian
        case "shift-jis", "sjis": .shiftJIS
        case "euc-jp": .japaneseEUC
        case "iso-2022-jp": .iso2022JP
        default: nil
        }
    }
}
