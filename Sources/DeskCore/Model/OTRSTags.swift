/// Znuny's `<OTRS_…>` template tags (`Kernel::System::TemplateGenerator::_Replace`), as auto
/// responses and queue signatures use them: a tag whose value is known is replaced by it (tag
/// names compared without case, as Znuny's `/i` patterns do), any other `<OTRS_…>` tag becomes
/// `-`. In an HTML text the brackets are the escaped `&lt;`/`&gt;` (Znuny escapes the template
/// before it fills it) and the values are escaped too.
public struct OTRSTags: Sendable {
    /// Values by tag name in upper case, without brackets (`OTRS_TICKET_TICKETNUMBER`).
    private var values: [String: String] = [:]

    public init() {}

    public subscript(tag: String) -> String? {
        get { values[tag.uppercased()] }
        set { values[tag.uppercased()] = newValue }
    }

    /// An agent's fields under each prefix (`OTRS_OWNER_`, `OTRS_TICKET_OWNER_`, …), named as
    /// Znuny's `GetUserData` names them.
    public mutating func add(_ agent: Agent, prefixes: [String]) {
        let fields = [
            "UserID": String(agent.id), "UserLogin": agent.login, "UserFirstname": agent.firstName,
            "UserLastname": agent.lastName, "UserFullname": agent.fullName, "UserEmail": agent.email,
        ]
        for prefix in prefixes {
            for (key, value) in fields { self[prefix + key] = value }
        }
    }

    /// `template` with its tags filled in. `special` answers tags that take an argument (e.g.
    /// `OTRS_CUSTOMER_SUBJECT[20]`); nil passes the tag on to the table.
    public func fill(_ template: String, html: Bool = false, special: (String) -> String? = { _ in nil }) -> String {
        let (open, close) = html ? ("&lt;OTRS_", "&gt;") : ("<OTRS_", ">")
        var out = ""
        var rest = Substring(template)
        while let start = rest.firstRange(of: open) {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstRange(of: close) else {
                out += rest[start.lowerBound...]
                return out
            }
            let tag = "OTRS_" + rest[start.upperBound..<end.lowerBound]
            let value = special(tag) ?? self[tag] ?? "-"
            out += html ? HTMLText.escaped(value) : value
            rest = rest[end.upperBound...]
        }
        return out + rest
    }
}
