/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies.
public enum QuotedPrintable {
    /// Encodes `text` as UTF-8 with CRLF line ends and soft breaks, lines at most 76 characters.
    /// Spaces and tabs before a line end are encoded, as are `=` and bytes outside printable ASCII.
    /// CR LF and a lone CR end a line as LF does; text that does not end with a line break ends
    /// with a soft break (as Perl's `encode_qp` writes it). Works on bytes: every message body
    /// goes through it.
    public static func encode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return "" }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4 + 2)
        var lineStart = 0
        var index = 0
        while index <= bytes.count {
            let atEnd = index == bytes.count
            guard atEnd || bytes[index] == 0x0A || bytes[index] == 0x0D else {
                index += 1
                continue
            }
            // After a final line break nothing is left to encode; a last line without one ends in
            // a soft break, so decoding adds no line break the text did not have.
            if atEnd && lineStart == bytes.count { break }
            encodeLine(bytes[lineStart..<index], into: &out)
            if atEnd { out.insert(0x3D, at: out.count - 2) }
            if !atEnd && bytes[index] == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
            index += 1
            lineStart = index
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One line without its end, then CR LF, with soft breaks before 76 characters.
    private static func encodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var length = 0
        for index in line.indices {
            let byte = line[index]
            let last = index == line.endIndex - 1
            let escaped = byte == 0x3D || byte < 0x20 && byte != 0x09 || byte > 0x7E || (last && (byte == 0x20 || byte == 0x09))
            let width = escaped ? 3 : 1
            if length + width > 75 {
                out.append(contentsOf: [0x3D, 0x0D, 0x0A])
                length = 0
            }
            if escaped {
                out.append(contentsOf: [0x3D, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            } else {
                out.append(byte)
            }
            length += width
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
