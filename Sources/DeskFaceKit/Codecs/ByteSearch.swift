extension StringProtocol {
    /// The first range where `needle`'s UTF-8 bytes occur in these bytes, or nil (an empty
    /// needle is found at the start). A byte search: the standard library's `contains(_:)` and
    /// `firstRange(of:)` for strings and Foundation's `range(of:)` run a generic searcher over
    /// `Character`s, which showed in the profile of every REST request. For an ASCII needle the
    /// answer is the same; a needle that starts or ends in the middle of a `Character` (a letter
    /// before a combining mark) is found here, as Perl, PHP and Python find it.
    ///
    /// With `ignoringASCIICase`, ASCII letters match either case; other bytes match exactly.
    public func byteRange(of needle: some StringProtocol, ignoringASCIICase: Bool = false) -> Range<String.Index>? {
        let bytes = Substring(self).utf8
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return bytes.startIndex..<bytes.startIndex }
        let same: (UInt8, UInt8) -> Bool = ignoringASCIICase ? { Self.asciiLower($0) == Self.asciiLower($1) } : { $0 == $1 }
        var start = bytes.startIndex
        while let found = bytes[start...].firstIndex(where: { same($0, first) }) {
            var position = bytes.index(after: found)
            var matched = 1
            while matched < pattern.count, position != bytes.endIndex, same(bytes[position], pattern[matched]) {
                bytes.formIndex(after: &position)
                matched += 1
            }
            if matched == pattern.count { return found..<position }
            if position == bytes.endIndex { return nil }
            start = bytes.index(after: found)
        }
        return nil
    }

    /// Whether `needle`'s UTF-8 bytes occur in these bytes (`byteRange(of:)`).
    public func containsBytes(_ needle: some StringProtocol, ignoringASCIICase: Bool = false) -> Bool {
        byteRange(of: needle, ignoringASCIICase: ignoringASCIICase) != nil
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
