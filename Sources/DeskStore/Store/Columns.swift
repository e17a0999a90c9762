import DeskCore
import SQLKit
import SQLiteNIO

/// Typed reads of a row's columns for the rows read most (tickets, articles, attachments,
/// customer users, face attributes, external ids). An SQLite row
/// hands over the value it holds; a value of another type, and every PostgreSQL row, goes
/// through `SQLRow.decode` as elsewhere. (`decode` is generic over `Decodable` and reaches the
/// value through dynamic casts: 7 % of a TicketGet with many articles.) Reading the columns in
/// the order the query lists them finds each without hashing its name.
struct Columns {
    let row: any SQLRow
    private let sqlite: SQLiteResultRow?
    /// Where the next column is expected in an SQLite row.
    private var next = 0

    init(_ row: any SQLRow) {
        self.row = row
        sqlite = (row as? SQLiteDirectRow)?.row
    }

    private mutating func sqliteValue(_ name: String) -> SQLiteData? {
        sqlite?.value(name, next: &next)
    }

    mutating func int(_ name: String) throws -> Int {
        if case .integer(let number)? = sqliteValue(name) { return number }
        return try row.decode(column: name, as: Int.self)
    }

    mutating func int64(_ name: String) throws -> Int64 {
        if case .integer(let number)? = sqliteValue(name) { return Int64(number) }
        return try row.decode(column: name, as: Int64.self)
    }

    mutating func string(_ name: String) throws -> String {
        if case .text(let text)? = sqliteValue(name) { return text }
        return try row.decode(column: name, as: String.self)
    }

    /// `valid_id`: an id that names no validity reads as invalid.
    mutating func validity() throws -> Validity {
        Validity(rawValue: try int("valid_id")) ?? .invalid
    }

    mutating func optionalInt(_ name: String) throws -> Int? {
        switch sqliteValue(name) {
        case .integer(let number)?: number
        case .null?: nil
        default: try row.decode(column: name, as: Int?.self)
        }
    }

    mutating func optionalString(_ name: String) throws -> String? {
        switch sqliteValue(name) {
        case .text(let text)?: text
        case .null?: nil
        default: try row.decode(column: name, as: String?.self)
        }
    }
}
