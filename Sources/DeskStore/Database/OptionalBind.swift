/// Lets a bound value typed `any Encodable` say whether it is a `nil` (SQLite's and
/// PostgreSQL's statement binders send those as NULL).
protocol OptionalBind {
    var isNone: Bool { get }
}

extension Optional: OptionalBind {
    var isNone: Bool { self == nil }
}
