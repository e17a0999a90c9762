import NIOCore
import PostgresKit
import SQLKit
import Synchronization

/// A PostgreSQL connection whose statements are prepared once and executed by name afterwards
/// (the writer's and the readers').
///
/// Writes run one after another on the writer connection (`GroupCommit`), so their rate is the
/// speed of that chain of statements; parsing, analysing and planning each statement again took
/// about a third of the server's time in it. postgres-kit sends every statement unnamed;
/// PostgresNIO's public named statements (`PreparedQuery`) let the server infer the parameter
/// types, which may differ from the types the values are sent in (an `Int` is sent as `int8`,
/// the server infers `smallint` for a `smallint` column and refuses the value). So each
/// placeholder gets a cast to the type its value is sent in — the types an unnamed statement
/// declares anyway — and the statement text with its casts names the prepared statement.
///
/// A NULL has no type: its placeholder keeps no cast, so the server infers the type as it does
/// for an unnamed statement (one prepared statement per pattern of NULLs). A statement is sent
/// unnamed, as before, when it is a search (`PlannedForItsValues`), when it is not a query or
/// data change (`isPlanned`), when it is long (multi-row inserts of varying length would only
/// fill the cache), or when a value is not of one of the plain types of `castName`.
final class PreparingPostgresDatabase: SQLDatabaseWrapper, CopyingDatabase, @unchecked Sendable {
    private let connection: PostgresConnection
    let base: any SQLDatabase
    private let statements: PreparedStatements

    init(connection: PostgresConnection, statements: PreparedStatements) {
        self.connection = connection
        self.base = connection.sql()
        self.statements = statements
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await send(sql: query, onRow).get()
    }

    /// Sends `query` and returns as soon as it is on its way, with its answer to come: the
    /// connection runs its statements in the order they were sent, so the caller may send the
    /// next one before this one is answered (`HoldingDatabase`). A long query or data change
    /// (a multi-row insert) or a search goes unnamed, also unanswered; the other statements that
    /// are not prepared are sent as before and answered before this returns.
    ///
    /// Rows of statements sent here are read as `PreparedRow`s: postgres-kit's rows build a
    /// dictionary of the columns for every row and a coding path for every value, ~7 µs a row,
    /// which was most of a search probe's time (2,001 ids: 15 ms against 3 ms in the server).
    func send(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws -> EventLoopFuture<Void> {
        let (sql, binds) = base.serialize(query)
        guard Self.isPlanned(sql), let values = Self.values(binds) else { return try await answered(query, onRow) }
        guard !(query is PlannedForItsValues), sql.utf8.count <= PreparedStatements.maxLength,
            let named = Self.withCasts(sql, values: values)
        else {
            return connection.query(sql, values, onRow: { onRow(PreparedRow($0)) })
        }
        let prepared = try await statements.statement(named, on: connection)
        let statements = self.statements
        let connection = self.connection
        return prepared.execute(values) { onRow(PreparedRow($0)) }.flatMapError { error in
            // "cached plan must not change result type": a schema change altered the statement's
            // result. It fails this once and is prepared again next time.
            guard let failure = error as? PostgresError, failure.code == .featureNotSupported else {
                return connection.eventLoop.makeFailedFuture(error)
            }
            return connection.eventLoop.makeFutureWithTask {
                await statements.forget(named, on: connection)
                throw error
            }
        }
    }

    /// Runs `query` unnamed through postgres-kit, waiting for its answer.
    private func answered(_ query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws -> EventLoopFuture<
        Void
    > {
        try await base.execute(sql: query, onRow)
        return connection.eventLoop.makeSucceededVoidFuture()
    }

    /// A bulk insert without a statement to parse and plan.
    func copy(into table: String, columns: [String], rows: ByteBuffer) async throws {
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            try await writer.write(rows)
        }
    }

    /// Whether `sql` is a query or a data change, the statements PostgreSQL plans (not `BEGIN`,
    /// `COMMIT` or DDL, which gain nothing from being prepared).
    static func isPlanned(_ sql: String) -> Bool {
        ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(sql.prefix { $0.isLetter }.uppercased())
    }

    /// The values as PostgresNIO sends them for an unnamed statement; nil when one of them is
    /// not of a type `castName` knows.
    static func values(_ binds: [any Encodable & Sendable]) -> [PostgresData]? {
        var values: [PostgresData] = []
        values.reserveCapacity(binds.count)
        for bind in binds {
            let value: any PostgresThrowingDynamicTypeEncodable
            // The common types by their type first (`CommonBind`): a cast to a protocol looks the
            // conformance up, which showed in the writer's profile.
            switch CommonBind(bind) {
            case .int(let int): value = int
            case .text(let text): value = text
            case .int64(let int): value = int
            case .double(let double): value = double
            case .bool(let bool): value = bool
            case .null:
                values.append(.null)
                continue
            case nil:
                if let optional = bind as? any OptionalBind, optional.isNone {
                    values.append(.null)
                    continue
                }
                guard let encodable = bind as? any PostgresThrowingDynamicTypeEncodable else { return nil }
                value = encodable
            }
            guard castName(value.psqlType) != nil else { return nil }
            var buffer = ByteBuffer()
            do { try value.encode(into: &buffer, context: .default) } catch { return nil }
            values.append(PostgresData(type: value.psqlType, typeModifier: nil, formatCode: value.psqlFormat, value: buffer))
        }
        return values
    }

    /// Names for casts of the types plain Swift values are sent in.
    static func castName(_ type: PostgresDataType) -> String? {
        switch type {
        case .int2: "int2"
        case .int4: "int4"
        case .int8: "int8"
        case .text: "text"
        case .varchar: "varchar"
        case .bool: "bool"
        case .float4: "float4"
        case .float8: "float8"
        case .bytea: "bytea"
        default: nil
        }
    }

    /// `sql` with `$n` followed by `::type` for each value with a type. Placeholders inside
    /// quotes are left alone; nil when a placeholder names no value.
    static func withCasts(_ sql: String, values: [PostgresData]) -> String? {
        let bytes = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + values.count * 6)
        var index = 0
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            out.append(byte)
            index += 1
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
                continue
            }
            guard byte == UInt8(ascii: "$"), index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
                continue
            }
            var number = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                number = number * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                out.append(bytes[index])
                index += 1
            }
            guard (1...values.count).contains(number) else { return nil }
            if let name = castName(values[number - 1].type) { out += Array("::\(name)".utf8) }
        }
        return quote == nil ? String(decoding: out, as: UTF8.self) : nil
    }
}

/// The statements prepared on each connection, by their text (with casts), least recently
/// used first out. Each connection
/// is used by one task at a time (a pool's lease), so a statement is prepared once per
/// connection; a connection that closed leaves the cache when the next new one arrives.
final class PreparedStatements: Sendable {
    /// Longer statements are sent unnamed.
    static let maxLength = 8_192
    /// Statements kept per connection; beyond this the least recently used one is deallocated.
    static let limit = 64

    private struct Statement: Sendable {
        let query: PreparedQuery
        var lastUse: Int
    }

    private struct Cached: Sendable {
        let connection: PostgresConnection
        var statements: [String: Statement] = [:]
        var uses = 0
    }

    private let cache = Mutex<[ObjectIdentifier: Cached]>([:])

    func statement(_ sql: String, on connection: PostgresConnection) async throws -> PreparedQuery {
        let id = ObjectIdentifier(connection)
        let found = cache.withLock { cache -> PreparedQuery? in
            guard let statement = cache[id]?.statements[sql] else { return nil }
            cache[id]!.uses += 1
            cache[id]!.statements[sql]!.lastUse = cache[id]!.uses
            return statement.query
        }
        if let found { return found }
        let prepared = try await connection.prepare(query: sql).get()
        let evicted = cache.withLock { cache -> PreparedQuery? in
            if cache[id] == nil {
                cache = cache.filter { !$0.value.connection.isClosed }
                cache[id] = Cached(connection: connection)
            }
            var evicted: PreparedQuery?
            if cache[id]!.statements.count >= Self.limit,
                let oldest = cache[id]!.statements.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                evicted = cache[id]!.statements.removeValue(forKey: oldest.key)?.query
            }
            cache[id]!.uses += 1
            cache[id]!.statements[sql] = Statement(query: prepared, lastUse: cache[id]!.uses)
            return evicted
        }
        _ = try? await evicted?.deallocate().get()
        return prepared
    }

    func forget(_ sql: String, on connection: PostgresConnection) async {
        let dropped = cache.withLock { $0[ObjectIdentifier(connection)]?.statements.removeValue(forKey: sql) }
        _ = try? await dropped?.query.deallocate().get()
    }
}

/// A row of a statement run by name. PostgresNIO asks for every result column in binary but
/// describes the columns of a statement prepared through its public API as text; the cells are
/// read as what they are. Values decode through `PostgresDecodable` (every type the store reads).
struct PreparedRow: SQLRow {
    private let cells: [PostgresCell]

    init(_ row: PostgresRow) {
        cells = row.map { cell in
            var cell = cell
            cell.format = .binary
            return cell
        }
    }

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool {
        cells.contains { $0.columnName == column }
    }

    func decodeNil(column: String) throws -> Bool {
        cells.first { $0.columnName == column }?.bytes == nil
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let cell = cells.first(where: { $0.columnName == column }) else {
            throw DatabaseError.unexpected("no column '\(column)' in the result")
        }
        guard let decodable = type as? any PostgresDecodable.Type else {
            throw DatabaseError.unexpected("column '\(column)': \(type) is not read from PostgreSQL rows")
        }
        return try Self.decode(cell, as: decodable) as! D
    }

    private static func decode<P: PostgresDecodable>(_ cell: PostgresCell, as type: P.Type) throws -> P {
        try cell.decode(type, context: .default)
    }
}
