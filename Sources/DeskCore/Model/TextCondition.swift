/// A search expression over one text column of tickets (Znuny's `QueryCondition`): patterns
/// combined with AND, OR and NOT, compared without regard to case.
public indirect enum TextCondition: Sendable, Hashable {
    /// `%` matches any run of characters; a pattern without `%` compares equal. `_` and `\` are
    /// plain characters.
    case matches(String)
    case not(TextCondition)
    case all([TextCondition])
    case any([TextCondition])
    /// Matches no ticket (an expression the caller's product cannot read).
    case never
}

/// A `TextCondition` on one of the ticket's text columns.
public struct TextFilter: Sendable, Hashable {
    public enum Column: Sendable, Hashable {
        case title, ticketNumber, customerID, customerUserLogin
    }

    public var column: Column
    public var condition: TextCondition

    public init(_ column: Column, _ condition: TextCondition) {
        self.column = column
        self.condition = condition
    }
}
