/// The permission rules for tickets, in one place for every face.
///
/// Agents act through group permissions on the ticket's queue group (owner and responsible may
/// always read). Customer users see tickets of their own customer ids or where they are the
/// customer user, and only customer-visible articles.
public enum TicketAccess {
    /// Whether `principal` may read `ticket`.
    public static func canRead(_ ticket: Ticket, by principal: Principal, catalog: Catalog) -> Bool {
        switch principal {
        case .agent(let agent):
            if ticket.ownerID == agent.id || ticket.responsibleID == agent.id { return true }
            guard let queue = catalog.queues[ticket.queueID] else { return false }
            return agent.has(.ro, inGroup: queue.groupID)
        case .customer(let customer):
            // Compared without case, as Znuny's CustomerUserIDCheck and CustomerIDCheck do (`lc`):
            // an agent may have set the ticket's customer in another case than it is stored.
            if let login = ticket.customerUserID, login.lowercased() == customer.login.lowercased() { return true }
            if let id = ticket.customerID?.lowercased(), customer.customerIDs.contains(where: { $0.lowercased() == id }) { return true }
            return false
        }
    }

    /// Whether `principal` may create a ticket in `queue`. Customers may create in every queue
    /// (Znuny's default without `CustomerGroupSupport`).
    public static func canCreate(in queue: Queue, by principal: Principal) -> Bool {
        switch principal {
        case .agent(let agent): agent.has(.create, inGroup: queue.groupID)
        case .customer: true
        }
    }

    /// A kind of change to an existing ticket, with the permission key Znuny checks for it.
    /// Znuny's keys `move`, `responsible` and `close` are not grantable keys, so only `rw` passes them.
    public enum Change: String, Sendable {
        case article, dynamicFields, queue, owner, responsible, priority, closeOrPending, state, fields

        var permission: Permission {
            switch self {
            case .article: .note
            case .owner: .owner
            case .priority: .priority
            case .dynamicFields, .queue, .responsible, .closeOrPending, .state, .fields: .rw
            }
        }

        /// Customers may add articles and change state (reopening too), priority and dynamic
        /// fields of their own tickets; moving, assigning and the rest are agent work.
        var allowedForCustomers: Bool {
            switch self {
            case .article, .dynamicFields, .priority, .closeOrPending, .state: true
            case .queue, .owner, .responsible, .fields: false
            }
        }
    }

    public static func canChange(_ change: Change, _ ticket: Ticket, by principal: Principal, catalog: Catalog) -> Bool {
        guard canRead(ticket, by: principal, catalog: catalog) else { return false }
        switch principal {
        case .agent(let agent):
            guard let queue = catalog.queues[ticket.queueID] else { return false }
            return agent.has(change.permission, inGroup: queue.groupID)
        case .customer:
            return change.allowedForCustomers
        }
    }
}

/// Rules that hang on membership of a named group, for every face alike.
public enum GroupAccess {
    /// Whether `principal` is an agent with `rw` in the group called `name`.
    public static func hasRW(_ principal: Principal, inGroupNamed name: String, catalog: Catalog) -> Bool {
        guard case .agent(let agent) = principal, let group = catalog.groups[name] else { return false }
        return agent.has(.rw, inGroup: group.id)
    }

    /// Administrators: `rw` in group `admin` (out-of-office changes, impersonation).
    public static func isAdmin(_ principal: Principal, catalog: Catalog) -> Bool {
        hasRW(principal, inGroupNamed: "admin", catalog: catalog)
    }

    /// Reading other agents' accounted time: `rw` in `timeaccounting_webservice` (Znuny's rule).
    public static func canReadTimeAccounting(_ principal: Principal, catalog: Catalog) -> Bool {
        hasRW(principal, inGroupNamed: "timeaccounting_webservice", catalog: catalog)
    }
}
