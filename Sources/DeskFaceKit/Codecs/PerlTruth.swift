/// Perl's truth of a parameter, as Znuny's operations and OTRS's rpc.pl test them
/// (`if ( !$Param{Data}->{TicketID} )`): the empty string and "0" are false.
public enum PerlTruth {
    /// `text` when Perl takes it as true, else nil.
    public static func value(_ text: String?) -> String? {
        guard let text, !text.isEmpty, text != "0" else { return nil }
        return text
    }
}
