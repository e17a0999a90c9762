import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// SQLKit's view of a leased `SQLiteHandle`: statements run at once on the calling thread (see
/// `SQLiteHandle` for why), so the store's SQL stays the same on both databases.
struct SQLiteDirectDatabase: SQLDatabase {
    let handle: SQLiteHandle
    let logger: Logger

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// Inserts `rows` into `table` (see `SQLDatabase.insertMany`).
    func insertMany(_ table: String, _ columns: [String], _ values: [SQLiteData]) throws {
        try handle.insert(into: table, columns: columns, values: values)
    }

    private func run(_ query: any SQLExpression, _ onRow: @Sendable (any SQLRow) -> Void) throws {
        let (sql, binds) = (query as? InsertRows)?.sqliteText ?? serialize(query)
        logger.debug("Executing query", metadata: ["sql": .string(sql), "binds": .array(binds.map { .string("\($0)") })])
        try handle.execute(sql, binds: try binds.map(SQLiteBind.value)) { onRow(SQLiteDirectRow(row: $0)) }
    }
}

/// Converts SQLKit's bind values to SQLite values: the types the store binds directly
/// (`CommonBind`, and `Data`), anything else through SQLiteKit's encoder.
enum SQLiteBind {
    static func value(_ bind: any Encodable & Sendable) throws -> SQLiteData {
        switch CommonBind(bind) {
        case .int(let value): .integer(value)
        case .text(let value): .text(value)
        case .int64(let value): .integer(Int(value))
        case .double(let value): .float(value)
        case .bool(let value): .integer(value ? 1 : 0)
        case .null: .null
        case nil:
            switch bind {
            case let value as Data: .blob(ByteBuffer(bytes: value))
            case let value as any OptionalBind: value.isNone ? .null : try SQLiteDataEncoder().encode(bind)
            default: try SQLiteDataEncoder().encode(bind)
            }
        }
    }
}

/// An `SQLRow` over a copied result row. The store's column types decode without `Codable`'s
/// machinery; anything else goes through SQLiteKit's decoder.
struct SQLiteDirectRow: SQLRow {
    let row: SQLiteResultRow

    var allColumns: [String] { row.columns.names }

    func contains(column: String) -> Bool {
        row.columns.index[column] != nil
    }

    func decodeNil(column: String) throws -> Bool {
        guard let value = row.value(column) else { return true }
        if case .null = value { return true }
        return false
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let value = row.value(column) else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(stringValue: column), .init(codingPath: [], debugDescription: "No column '\(column)' in the result"))
        }
        if let direct = Self.direct(value, as: type) { return direct }
        return try SQLiteDataDecoder().decode(D.self, from: value)
    }

    private static func direct<D>(_ value: SQLiteData, as type: D.Type) -> D? {
        switch (value, type) {
        case (.integer(let number), is Int.Type), (.integer(let number), is Int?.Type): number as? D
        case (.integer(let number), is Int64.Type), (.integer(let number), is Int64?.Type): Int64(number) as? D
        case (.text(let text), is String.Type), (.text(let text), is String?.Type): text as? D
        case (.null, is Int?.Type): Int?.none as? D
        case (.null, is Int64?.Type): Int64?.none as? D
        case (.null, is String?.Type): String?.none as? D
        case (.float(let number), is Double.Type): number as? D
        case (.integer(let number), is Double.Type): Double(number) as? D
        default: nil
        }
    }
}

private struct SQLiteColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
