extension StringProtocol {
    /// The pieces between ASCII separator bytes, as Perl, PHP and Python split a query string or
    /// a path: on the UTF-8 bytes (code points), not on Swift's `Character`s. A separator followed
    /// by a combining mark (`&\u{301}`) is one `Character` and would not split a `String`; the
    /// real products split there. Byte comparisons also skip grapheme breaking, which showed in
    /// the profile of every REST request.
    public func pieces(
        separatedBy isSeparator: (UInt8) -> Bool, maxSplits: Int = .max, omittingEmpty: Bool = true
    ) -> [Substring] {
        Substring(self).utf8.split(maxSplits: maxSplits, omittingEmptySubsequences: omittingEmpty, whereSeparator: isSeparator)
            .map { Substring($0) }
    }

    /// `pieces(separatedBy:)` at one ASCII byte.
    public func pieces(separatedBy separator: UInt8, maxSplits: Int = .max, omittingEmpty: Bool = true) -> [Substring] {
        pieces(separatedBy: { $0 == separator }, maxSplits: maxSplits, omittingEmpty: omittingEmpty)
    }
}
