/// Znuny's `<OTRS_…>` template tags (`Kernel::System::TemplateGenerator::_Replace`), as auto
/// responses and queue signatures use them: a tag whose value is known is replaced by it (tag
/// names compared without case, as Znuny's `/i` patterns do); an unknown tag under one of the
/// prefixes `_Replace` cleans up (`OTRS_TICKET_`, `OTRS_CUSTOMER_`, `OTRS_AGENT_`, …) becomes
/// `-`, any other stays as written (`<OTRS_NOPE>`). In an HTML text the brackets are the escaped
/// `&lt;`/`&gt;` (Znuny escapes the template before it fills it) and the values are escaped too.
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
        let (open, close) = html ? ("&lt;", "&gt;") : ("<", ">")
        var out = ""
        var rest = Substring(template)
        while let start = rest.firstRange(of: open) {
            let name = rest[start.upperBound...]
            // `<OTRS_` in any case, as Znuny's patterns match it.
            guard name.prefix(5).uppercased() == "OTRS_" else {
                out += rest[..<start.upperBound]
                rest = name
                continue
            }
            out += rest[..<start.lowerBound]
            guard let end = name.firstRange(of: close) else {
                out += rest[start.lowerBound...]
                return out
            }
            let tag = String(name[..<end.lowerBound])
            if let value = special(tag) ?? self[tag] ?? (Self.cleansUp(tag) ? "-" : nil) {
                out += html ? HTMLText.escaped(value) : value
            } else {
                out += rest[start.lowerBound..<end.upperBound]
            }
            rest = name[end.upperBound...]
        }
        return out + rest
    }

    /// The prefixes whose unknown tags `_Replace` turns into `-` (it does for each after filling
    /// in what it knows under it).
    static let cleanedPrefixes = [
        "OTRS_CONFIG_", "OTRS_NOTIFICATION_RECIPIENT_", "OTRS_OWNER_", "OTRS_TICKET_OWNER_", "OTRS_RESPONSIBLE_",
        "OTRS_TICKET_RESPONSIBLE_", "OTRS_CURRENT_", "OTRS_TICKET_", "OTRS_CUSTOMER_", "OTRS_AGENT_",
    ]

    static func cleansUp(_ tag: String) -> Bool {
        let upper = tag.uppercased()
        return cleanedPrefixes.contains { upper.hasPrefix($0) && upper.count > $0.count }
    }
}
