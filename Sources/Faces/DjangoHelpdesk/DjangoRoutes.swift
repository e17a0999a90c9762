/// django-helpdesk's URLs under `<prefix>/api/` (DRF's `DefaultRouter` with format suffixes,
/// `helpdesk/urls.py`), plus the legacy API's `api/<method>/`.
enum DjangoRoute: Equatable {
    case root(format: String?)
    case legacy(method: String)
    case list(DjangoResource, format: String?)
    case detail(DjangoResource, pk: String, format: String?)

    static let legacyMethods: Set<String> = [
        "create_ticket", "delete_ticket", "hold_ticket", "unhold_ticket", "add_followup", "resolve", "list_queues", "find_user", "help",
    ]

    /// The route of `path` (the part from `/api` on), or nil.
    static func resolve(_ path: String) -> DjangoRoute? {
        guard path.hasPrefix("/api/") else { return nil }
        let rest = String(path.dropFirst("/api/".count))
        if rest.isEmpty { return .root(format: nil) }
        if rest.hasPrefix("."), let format = suffixFormat(rest.dropFirst()) { return .root(format: format) }
        for resource in DjangoResource.allCases {
            let name = resource.rawValue
            if rest == name + "/" { return .list(resource, format: nil) }
            if rest.hasPrefix(name + "."), let format = suffixFormat(rest.dropFirst(name.count + 1)) {
                return .list(resource, format: format)
            }
            guard resource.hasDetail, rest.hasPrefix(name + "/") else { continue }
            let tail = rest.dropFirst(name.count + 1)
            guard let end = tail.firstIndex(where: { $0 == "/" || $0 == "." }), end != tail.startIndex else { continue }
            let pk = String(tail[..<end])
            let after = tail[end...]
            if after == "/" { return .detail(resource, pk: pk, format: nil) }
            if after.hasPrefix("."), let format = suffixFormat(after.dropFirst()) { return .detail(resource, pk: pk, format: format) }
        }
        if rest.hasSuffix("/"), legacyMethods.contains(String(rest.dropLast())) { return .legacy(method: String(rest.dropLast())) }
        return nil
    }

    /// A POST to another `api/<name>/` reached the legacy API's dispatcher too (it answers 403
    /// or 400 for an unknown method); other methods find no route.
    static func legacyFallback(_ path: String) -> String? {
        guard path.hasPrefix("/api/"), path.hasSuffix("/") else { return nil }
        let name = path.dropFirst("/api/".count).dropLast()
        guard !name.isEmpty, name.allSatisfy({ ("a"..."z").contains($0) || $0 == "_" || $0 == "-" }) else { return nil }
        return String(name)
    }

    /// `json`, `json/` → `json` (`[a-z0-9]+` with an optional slash).
    static func suffixFormat(_ text: Substring) -> String? {
        let format = text.hasSuffix("/") ? text.dropLast() : text
        guard !format.isEmpty, format.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) }) else { return nil }
        return String(format)
    }
}

enum DjangoResource: String, CaseIterable {
    case tickets
    case userTickets = "user_tickets"
    case followups
    case followupsAttachments = "followups-attachments"
    case users

    var hasDetail: Bool { self != .users }

    /// `Allow` of the list and detail routes.
    func allow(detail: Bool) -> String {
        switch (self, detail) {
        case (.users, _): "POST, OPTIONS"
        case (.userTickets, _): "GET, HEAD, OPTIONS"
        case (_, false): "GET, POST, HEAD, OPTIONS"
        case (_, true): "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"
        }
    }

    /// Staff only (`IsAdminUser`); user_tickets needs any authenticated user.
    var staffOnly: Bool { self != .userTickets }

    /// OPTIONS names (`get_view_name`).
    func viewName(detail: Bool) -> String {
        let base: String =
            switch self {
            case .tickets: "Ticket"
            case .userTickets: "User Ticket"
            case .followups: "Follow Up"
            case .followupsAttachments: "Follow Up Attachment"
            case .users: "Create User"
            }
        return base + (detail ? " Instance" : " List")
    }

    /// OPTIONS descriptions (the view classes' docstrings).
    var viewDescription: String {
        switch self {
        case .tickets:
            "A viewset that provides the standard actions to handle Ticket\n\nYou can filter the tickets by status using the `status` query parameter. For example:\n\n`/api/tickets/?status=Open,Resolved` will return all the tickets that are Open or Resolved."
        case .userTickets: "A list of all the tickets submitted by the current user\n\nThe view is paginated by default"
        case .users:
            "Create a user account.\n\n`IsAdminUser` only tests `is_staff`, the flag granting entry to the admin\nsite, never the right to create an account. On its own it leaves this\nendpoint more permissive than `/admin/auth/user/add/`, which refuses the\nsame request from a staff member lacking `auth.add_user`.\n\n`DjangoModelPermissions` adds that check. It derives the permission from\nthe queryset's model, so a project substituting its own AUTH_USER_MODEL is\ncovered without naming `auth.add_user` here. Both classes are required:\nthe model permission alone would open the endpoint to any account holding\nit, staff or not."
        default: ""
        }
    }
}
