import Foundation
import DeskCore

/// TicketSearch (§5.6 of the spec): translates Znuny's parameters into the core's `TicketQuery`.
/// Input the core search would reject (unknown names, bad dates, bad sort keys) gives `{}`, as in
/// Znuny; the only error is an authentication failure.
struct TicketSearchOperation {
    let services: AppServices

    func run(_ request: GIRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request) else {
            return .error(code: "TicketSearch.AuthFail", message: "TicketSearch: Authorization failing!")
        }
        let catalog = try await services.store.read { try await $0.catalog() }
        var data = request.data
        // The customer credential field doubles as a filter (quirk, §5.6).
        if case .customer = principal, data["CustomerUserLogin"] == nil, let login = request.headerCredentials["CustomerUserLogin"] {
            data["CustomerUserLogin"] = .string(login)
        }
        guard let query = ZnunySearchTranslator(catalog: catalog, now: services.tickets.clock.now()).query(from: data) else {
            return .data([:])
        }
        let ids = try await services.tickets.search(query, by: principal)
        guard !ids.isEmpty else { return .data([:]) }
        return .data(["TicketID": .array(ids.map { .string(String($0)) })])
    }
}

/// Turns TicketSearch Data into a `TicketQuery`; nil means "no results" (Znuny's bail-out cases).
struct ZnunySearchTranslator {
    let catalog: Catalog
    let now: Int64

    func query(from data: [String: JSONValue]) -> TicketQuery? {
        var query = TicketQuery()
        query.ticketNumbers = likePatterns(data["TicketNumber"])
        query.titles = likePatterns(data["Title"])
        query.customerUserLogins = likePatterns(data["CustomerUserLogin"])
        if let raw = data["CustomerIDRaw"] { query.customerIDsRaw = strings(raw) } else { query.customerIDs = likePatterns(data["CustomerID"]) }

        let idLists: [(String, WritableKeyPath<TicketQuery, [Int]>)] = [
            ("TicketID", \.ticketIDs), ("StateIDs", \.stateIDs), ("StateTypeIDs", \.stateTypeIDs), ("QueueIDs", \.queueIDs),
            ("PriorityIDs", \.priorityIDs), ("OwnerIDs", \.ownerIDs), ("ResponsibleIDs", \.responsibleIDs),
            ("WatchUserIDs", \.watcherIDs), ("CreatedUserIDs", \.createdByIDs), ("TypeIDs", \.typeIDs),
            ("ServiceIDs", \.serviceIDs), ("SLAIDs", \.slaIDs), ("LockIDs", \.lockIDs),
        ]
        for (key, path) in idLists {
            guard let value = data[key] else { continue }
            let texts = strings(value).filter { !$0.isEmpty }
            var ids: [Int] = []
            for text in texts {
                guard let id = Int(text) else { return nil }
                ids.append(id)
            }
            query[keyPath: path] += ids
        }
        func names<Row: Named>(_ key: String, _ table: LookupTable<Row>, into path: WritableKeyPath<TicketQuery, [Int]>) -> Bool {
            guard let value = data[key] else { return true }
            for name in strings(value) where !name.isEmpty {
                guard let row = table[name] else { return false }
                query[keyPath: path].append(row.id)
            }
            return true
        }
        guard names("Queues", catalog.queues, into: \.queueIDs), names("Types", catalog.ticketTypes, into: \.typeIDs),
              names("States", catalog.states, into: \.stateIDs), names("Priorities", catalog.priorities, into: \.priorityIDs),
              names("Services", catalog.services, into: \.serviceIDs), names("SLAs", catalog.slas, into: \.slaIDs),
              names("Locks", catalog.locks, into: \.lockIDs), names("StateType", catalog.stateTypes, into: \.stateTypeIDs)
        else { return nil }
        if data.isTrue("UseSubQueues"), !query.queueIDs.isEmpty {
            let parents = query.queueIDs.compactMap { catalog.queues[$0]?.name }
            for queue in catalog.queues.all where parents.contains(where: { queue.name.hasPrefix($0 + "::") }) {
                query.queueIDs.append(queue.id)
            }
        }
        switch data.string("SearchInArchive") {
        case "AllTickets": query.archive = .all
        case "ArchivedTickets": query.archive = .archived
        default: query.archive = .all
        }

        guard applyTimes(data, to: &query) else { return nil }

        if let limit = data.string("Limit"), let value = Int(limit), value > 0 { query.limit = value } else { query.limit = 500 }
        guard let sort = sortOrder(data) else { return nil }
        query.sort = sort
        return query
    }

    /// Values of a string-or-list parameter.
    func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .array(let elements): elements.compactMap(\.scalarString)
        default: value.scalarString.map { [$0] } ?? []
        }
    }

    /// `*` → `%`; values made only of 1–3 `%` are dropped (they would match everything).
    func likePatterns(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        return strings(value).map { $0.replacingOccurrences(of: "*", with: "%") }
            .filter { !$0.isEmpty && !($0.count <= 3 && $0.allSatisfy { $0 == "%" }) }
    }

    /// Absolute (`…NewerDate`/`…OlderDate`) and relative (`…NewerMinutes`/`…OlderMinutes`) filters
    /// on create, last-change and pending time. False means "no results".
    func applyTimes(_ data: [String: JSONValue], to query: inout TicketQuery) -> Bool {
        let fields: [(String, WritableKeyPath<TicketQuery, Int64?>, WritableKeyPath<TicketQuery, Int64?>)] = [
            ("TicketCreateTime", \.createdFrom, \.createdTo),
            ("TicketLastChangeTime", \.changedFrom, \.changedTo),
            ("TicketChangeTime", \.changedFrom, \.changedTo),
            ("TicketPendingTime", \.pendingFrom, \.pendingTo),
        ]
        for (prefix, from, to) in fields {
            if let text = data.string(prefix + "NewerDate"), !text.isEmpty {
                guard let time = CivilDate(timestamp: text)?.unixSeconds, time <= now else { return false }
                query[keyPath: from] = max(query[keyPath: from] ?? time, time)
            }
            if let text = data.string(prefix + "OlderDate"), !text.isEmpty {
                guard let time = CivilDate(timestamp: text)?.unixSeconds else { return false }
                query[keyPath: to] = min(query[keyPath: to] ?? time, time)
            }
            if let text = data.string(prefix + "NewerMinutes"), !text.isEmpty {
                guard let minutes = Int64(text) else { return false }
                query[keyPath: from] = now - minutes * 60
            }
            if let text = data.string(prefix + "OlderMinutes"), !text.isEmpty {
                guard let minutes = Int64(text) else { return false }
                query[keyPath: to] = now - minutes * 60
            }
            if let low = query[keyPath: from], let high = query[keyPath: to], low > high { return false }
        }
        return true
    }

    static let sortKeys: [String: TicketQuery.SortKey] = [
        "Age": .age, "Created": .created, "Changed": .changed, "Ticket": .ticketID, "TicketNumber": .ticketNumber,
        "Title": .title, "Queue": .queue, "State": .state, "Lock": .lock, "Type": .type, "Priority": .priority,
        "Owner": .owner, "Responsible": .responsible, "CustomerID": .customerID, "Service": .service, "SLA": .sla,
        "PendingTime": .pendingTime, "TicketEscalation": .escalationTime, "EscalationTime": .escalationTime,
        "EscalationUpdateTime": .escalationUpdateTime, "EscalationResponseTime": .escalationResponseTime,
        "EscalationSolutionTime": .escalationSolutionTime,
    ]

    /// `SortBy` (default `Age`) paired positionally with `OrderBy` (`Up`/`Down`, default `Down`).
    func sortOrder(_ data: [String: JSONValue]) -> [(key: TicketQuery.SortKey, ascending: Bool)]? {
        let keys = data["SortBy"].map(strings) ?? ["Age"]
        let orders = data["OrderBy"].map(strings) ?? []
        var result: [(key: TicketQuery.SortKey, ascending: Bool)] = []
        for (index, name) in keys.enumerated() {
            guard let key = Self.sortKeys[name] else { return nil }
            let order = index < orders.count ? orders[index] : (orders.first ?? "Down")
            guard order == "Up" || order == "Down" else { return nil }
            result.append((key, order == "Up"))
        }
        return result
    }
}
