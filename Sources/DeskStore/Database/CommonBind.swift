/// A bound value of one of the types the store binds most, told apart by comparing its type
/// with each (the existential opened into a generic parameter) rather than by casts: a cast from
/// `any Encodable & Sendable` costs ~60 ns and a ticket create binds about a hundred values
/// (docs/performance-log.md, "Binds by their type").
enum CommonBind {
    case int(Int)
    case int64(Int64)
    case text(String)
    case double(Double)
    case bool(Bool)
    case null

    /// Nil for a value of any other type (those go through the driver's encoder).
    init?(_ bind: any Encodable & Sendable) {
        guard let value = Self.of(bind) else { return nil }
        self = value
    }

    private static func of<T: Encodable & Sendable>(_ value: T) -> CommonBind? {
        // Each `unsafeBitCast` follows the check that `T` is that very type.
        if T.self == Int.self { return .int(unsafeBitCast(value, to: Int.self)) }
        if T.self == String.self { return .text(unsafeBitCast(value, to: String.self)) }
        if T.self == Int64.self { return .int64(unsafeBitCast(value, to: Int64.self)) }
        if T.self == Int?.self { return unsafeBitCast(value, to: Int?.self).map(CommonBind.int) ?? .null }
        if T.self == String?.self { return unsafeBitCast(value, to: String?.self).map(CommonBind.text) ?? .null }
        if T.self == Int64?.self { return unsafeBitCast(value, to: Int64?.self).map(CommonBind.int64) ?? .null }
        if T.self == Double.self { return .double(unsafeBitCast(value, to: Double.self)) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        return nil
    }
}
