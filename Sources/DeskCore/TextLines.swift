extension StringProtocol {
    /// The lines of a text file, whatever ends them: LF, CR LF or CR. Splitting at "\n" keeps a
    /// file saved with CR LF in one piece, since Swift counts "\r\n" as one `Character`. A final
    /// line end leaves an empty last line.
    public var fileLines: [SubSequence] { split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) }
}
