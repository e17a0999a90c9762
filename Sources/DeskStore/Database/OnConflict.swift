/// What an insert does with a row whose unique key is taken (`ON CONFLICT`): skip it, or set
/// some of the existing row's columns from it.
struct OnConflict: Equatable, Sendable {
    /// The columns of the unique key.
    let key: [String]
    /// The columns the new row sets on the existing one; none: the new row is skipped.
    let update: [String]

    /// `ON CONFLICT (key) DO NOTHING`.
    static func skip(key: [String]) -> OnConflict { OnConflict(key: key, update: []) }

    /// `ON CONFLICT (key) DO UPDATE SET column = excluded.column, …`.
    static func update(key: [String], set columns: [String]) -> OnConflict { OnConflict(key: key, update: columns) }

    /// The clause, with a leading space.
    var sql: String {
        let target = " ON CONFLICT (\(key.joined(separator: ", ")))"
        guard !update.isEmpty else { return target + " DO NOTHING" }
        return target + " DO UPDATE SET " + update.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
    }

    /// Whether one insert of `rows` would update a row twice: it updates, and two rows share a
    /// key (PostgreSQL then refuses the statement). Keys are compared by their values' text.
    func updatesTwice(_ rows: [[Bindable]], columns: [String]) -> Bool {
        guard !update.isEmpty, rows.count > 1 else { return false }
        let positions = key.compactMap { columns.firstIndex(of: $0) }
        var seen = Set<[String]>()
        for row in rows where !seen.insert(positions.map { String(describing: row[$0]) }).inserted {
            return true
        }
        return false
    }
}
