/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies.
public enum QuotedPrintable {
    /// Encodes `text` as UTF-8 with CRLF line ends and soft breaks, lines at most 76 characters.
    /// Spaces and tabs before a line end are encoded, as are `=` and bytes outside printable ASCII.
    public static func encode(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out = ""
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let token: String
                if byte == 0x3D || byte < 0x20 && byte != 0x09 || byte > 0x7E || (last && (byte == 0x20 || byte == 0x09)) {
                    token = "=" + hex(byte)
                } else {
                    token = String(UnicodeScalar(byte))
                }
                if current.count + token.count > 75 {
                    out += current + "=\r\n"
                    current = ""
                }
                current += token
            }
            out += current + "\r\n"
        }
        return out
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
