import SQLKit

/// Typed reads of a row's columns for the rows read most (tickets, articles). An SQLite row
/// hands over the value it holds; a value of another type, and every PostgreSQL row, goes
/// through `SQLRow.decode` as elsewhere. (`decode` is generic over `Decodable` and reaches the
/// value through dynamic casts: 7 % of a TicketGet with many articles.)
struct Columns {
    let row: any SQLRow
    private let sqlite: SQLiteResultRow?

    init(_ row: any SQLRow) {
        self.row = row
        sqlite = (row as? SQLiteDirectRow)?.row
    }

    func int(_ name: String) throws -> Int {
        if case .integer(let number)? = sqlite?.value(name) { return number }
        return try row.decode(column: name, as: Int.self)
    }

    func int64(_ name: String) throws -> Int64 {
        if case .integer(let number)? = sqlite?.value(name) { return Int64(number) }
        return try row.decode(column: name, as: Int64.self)
    }

    func string(_ name: String) throws -> String {
        if case .text(let text)? = sqlite?.value(name) { return text }
        return try row.decode(column: name, as: String.self)
    }

    func optionalInt(_ name: String) throws -> Int? {
        switch sqlite?.value(name) {
        case .integer(let number)?: number
        case .null?: nil
        default: try row.decode(column: name, as: Int?.self)
        }
    }

    func optionalString(_ name: String) throws -> String? {
        switch sqlite?.value(name) {
        case .text(let text)?: text
        case .null?: nil
        default: try row.decode(column: name, as: String?.self)
        }
    }
}
