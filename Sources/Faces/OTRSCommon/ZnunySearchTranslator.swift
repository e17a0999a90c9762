import DeskCore
import DeskFaceKit
import Foundation

/// Turns TicketSearch Data into a `TicketQuery`; nil means "no results" (Znuny's bail-out cases:
/// unknown names, bad ids, bad dates, bad sort keys, invalid dynamic field values).
public struct ZnunySearchTranslator: Sendable {
    let catalog: Catalog
    let now: Int64

    public init(catalog: Catalog, now: Int64) {
        self.catalog = catalog
        self.now = now
    }

    public func query(from data: [String: JSONValue]) -> TicketQuery? {
        var query = TicketQuery()
        let textFields: [(String, TextFilter.Column, WritableKeyPath<TicketQuery, [String]>)] = [
            ("TicketNumber", .ticketNumber, \.ticketNumbers), ("Title", .title, \.titles),
            ("CustomerUserLogin", .customerUserLogin, \.customerUserLogins), ("CustomerID", .customerID, \.customerIDs),
        ]
        for (key, column, patterns) in textFields where !(key == "CustomerID" && data["CustomerIDRaw"] != nil) {
            switch textFilter(data[key], column: column) {
            case .none: break
            case .patterns(let list): query[keyPath: patterns] = list
            case .filter(let filter): query.textFilters.append(filter)
            case .invalid: return nil
            }
        }
        if let raw = data["CustomerIDRaw"] { query.customerIDsRaw = strings(raw) }

        let idLists: [(String, WritableKeyPath<TicketQuery, [Int]>)] = [
            ("TicketID", \.ticketIDs), ("StateIDs", \.stateIDs), ("StateTypeIDs", \.stateTypeIDs), ("QueueIDs", \.queueIDs),
            ("PriorityIDs", \.priorityIDs), ("OwnerIDs", \.ownerIDs), ("ResponsibleIDs", \.responsibleIDs),
            ("WatchUserIDs", \.watcherIDs), ("CreatedUserIDs", \.createdByIDs), ("TypeIDs", \.typeIDs),
            ("ServiceIDs", \.serviceIDs), ("SLAIDs", \.slaIDs), ("LockIDs", \.lockIDs),
            ("CreatedTypeIDs", \.createdTypeIDs), ("CreatedPriorityIDs", \.createdPriorityIDs),
            ("CreatedStateIDs", \.createdStateIDs), ("CreatedQueueIDs", \.createdQueueIDs),
        ]
        // A list's every entry must be a whole number (`_InConditionGet` quotes each as an
        // integer and gives up on the first that is not, `""` included); a lone `""` is not sent.
        for (key, path) in idLists {
            guard let value = data[key], value.isPerlTrue else { continue }
            for text in strings(value) {
                guard let id = Int(text) else { return nil }
                query[keyPath: path].append(id)
            }
        }
        func names<Row: Named>(_ key: String, _ table: LookupTable<Row>, into path: WritableKeyPath<TicketQuery, [Int]>) -> Bool {
            guard let value = data[key] else { return true }
            for name in strings(value) where !name.isEmpty {
                guard let row = table[name] else { return false }
                query[keyPath: path].append(row.id)
            }
            return true
        }
        // State types are matched by name in SQL (`IN`): unknown names drop out, none known finds nothing.
        if let value = data["StateType"] {
            let known = strings(value).filter { !$0.isEmpty }.compactMap { catalog.stateTypes[$0]?.id }
            if known.isEmpty && strings(value).contains(where: { !$0.isEmpty }) { return nil }
            query.stateTypeIDs += known
        }
        guard names("Queues", catalog.queues, into: \.queueIDs), names("Types", catalog.ticketTypes, into: \.typeIDs),
            names("States", catalog.states, into: \.stateIDs), names("Priorities", catalog.priorities, into: \.priorityIDs),
            names("Services", catalog.services, into: \.serviceIDs), names("SLAs", catalog.slas, into: \.slaIDs),
            names("Locks", catalog.locks, into: \.lockIDs),
            names("CreatedTypes", catalog.ticketTypes, into: \.createdTypeIDs),
            names("CreatedPriorities", catalog.priorities, into: \.createdPriorityIDs),
            names("CreatedStates", catalog.states, into: \.createdStateIDs),
            names("CreatedQueues", catalog.queues, into: \.createdQueueIDs)
        else { return nil }
        // Sub-queues of the current queues only (not of `CreatedQueues`), their names compared
        // without case (`/^\Q$Queue\E::/i`).
        if data.isTrue("UseSubQueues"), !query.queueIDs.isEmpty {
            let parents = query.queueIDs.compactMap { catalog.queues[$0]?.name.lowercased() }
            for queue in catalog.queues.all where parents.contains(where: { queue.name.lowercased().hasPrefix($0 + "::") }) {
                query.queueIDs.append(queue.id)
            }
        }
        switch data.string("SearchInArchive") {
        case "ArchivedTickets": query.archive = .archived
        default: query.archive = .all
        }

        guard applyTimes(data, to: &query), applyArticleSearch(data, to: &query), applyDynamicFields(data, to: &query) else { return nil }

        query.pendingUnsetIsZero = true
        guard let limit = Self.limit(data.string("Limit")) else { return nil }
        query.limit = limit
        guard let sort = sortOrder(data) else { return nil }
        query.sort = sort
        return query
    }

    /// `Limit` as Znuny's search uses it: a Perl-false value is the default 500; anything else
    /// goes into the SQL as written, so PostgreSQL rounds a fraction (`1.5` is 2 rows; `0.4` is
    /// none) and refuses a negative number or text (`-1`, `abc`): those find nothing (nil here).
    static func limit(_ text: String?) -> Int? {
        guard let text, text != "", text != "0" else { return 500 }
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || ".eE+".contains($0)) }),
            let value = Double(trimmed), value.isFinite, value >= 0
        else { return nil }
        let rows = value.rounded(.toNearestOrAwayFromZero)
        guard rows >= 1 else { return nil }
        return rows > Double(Int.max / 2) ? Int.max / 2 : Int(rows)
    }

    /// Values of a string-or-list parameter.
    func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .array(let elements): elements.compactMap(\.scalarString)
        default: value.scalarString.map { [$0] } ?? []
        }
    }

    enum TextReading {
        case none
        /// Plain patterns (ORed), for the search engine's indexed paths.
        case patterns([String])
        case filter(TextFilter)
        /// A value Znuny turns into SQL its database refuses: no results.
        case invalid
    }

    /// A text filter's values as TicketSearch reads them: empty values and those of 1–3 `*`
    /// (after `*` → `%`) are skipped, each other value is a `QueryCondition` expression, and the
    /// values are ORed. Values that are each one pattern (no operator, no `_`, which the engine's
    /// plain patterns treat as a wildcard) keep to the indexed pattern lists.
    func textFilter(_ value: JSONValue?, column: TextFilter.Column) -> TextReading {
        guard let value else { return .none }
        let values = strings(value).filter { text in
            let pattern = text.replacingOccurrences(of: "*", with: "%")
            return !pattern.isEmpty && !(pattern.count <= 3 && pattern.allSatisfy { $0 == "%" })
        }
        var conditions: [TextCondition] = []
        for text in values {
            switch ZnunyQueryCondition.read(text) {
            case .invalid: return .invalid
            case .condition(let condition): conditions.append(condition)
            }
        }
        guard !conditions.isEmpty else { return .none }
        let plain = conditions.compactMap { condition -> String? in
            guard case .matches(let pattern) = condition, !pattern.contains("_"), !pattern.contains("\\") else { return nil }
            return pattern
        }
        if plain.count == conditions.count { return .patterns(plain) }
        return .filter(TextFilter(column, conditions.count == 1 ? conditions[0] : .any(conditions)))
    }

    // MARK: Times

    private typealias Bounds = (from: WritableKeyPath<TicketQuery, Int64?>, to: WritableKeyPath<TicketQuery, Int64?>)

    /// Time filter prefixes and where their bounds go.
    private static var timeFields: [(prefix: String, bounds: Bounds, allowsFuture: Bool)] {
        [
            ("TicketCreateTime", (\.createdFrom, \.createdTo), false),
            ("TicketChangeTime", (\.anyChangeFrom, \.anyChangeTo), false),
            ("TicketLastChangeTime", (\.changedFrom, \.changedTo), false),
            ("TicketCloseTime", (\.closedFrom, \.closedTo), false),
            ("TicketPendingTime", (\.pendingFrom, \.pendingTo), true),
            ("ArticleCreateTime", (\.articleCreatedFrom, \.articleCreatedTo), false),
            ("TicketEscalationTime", (\.escalationFrom, \.escalationTo), false),
            ("TicketEscalationUpdateTime", (\.escalationUpdateFrom, \.escalationUpdateTo), false),
            ("TicketEscalationResponseTime", (\.escalationResponseFrom, \.escalationResponseTo), false),
            ("TicketEscalationSolutionTime", (\.escalationSolutionFrom, \.escalationSolutionTo), false),
        ]
    }

    /// Absolute (`…NewerDate`/`…OlderDate`), relative (`…NewerMinutes`/`…OlderMinutes`) and the
    /// UI helper forms (`…Point`/`…Start`/`…Stop`). False means "no results".
    func applyTimes(_ data: [String: JSONValue], to query: inout TicketQuery) -> Bool {
        var data = data
        guard expandHelpers(&data) else { return false }
        for (prefix, bounds, allowsFuture) in Self.timeFields {
            var from: Int64?
            var to: Int64?
            if let text = data.string(prefix + "NewerDate"), !text.isEmpty {
                guard let time = Self.searchTime(text) else { return false }
                if !allowsFuture && time > now { return false }
                from = time
            }
            if let text = data.string(prefix + "OlderDate"), !text.isEmpty {
                guard let time = Self.searchTime(text) else { return false }
                to = time
            }
            if let text = data.string(prefix + "NewerMinutes"), !text.isEmpty {
                guard let minutes = Int64(text) else { return false }
                from = max(from ?? Int64.min, CivilDate.moving(now, minutes: minutes, later: false))
            }
            if let text = data.string(prefix + "OlderMinutes"), !text.isEmpty {
                guard let minutes = Int64(text) else { return false }
                to = min(to ?? Int64.max, CivilDate.moving(now, minutes: minutes, later: false))
            }
            if let low = from, let high = to, low > high { return false }
            if let from { query[keyPath: bounds.from] = from }
            if let to { query[keyPath: bounds.to] = to }
        }
        return true
    }

    /// A `…NewerDate`/`…OlderDate` value: `YYYY-M-D H:M:S`, each part but the year one or two
    /// digits, white space around it allowed (the core's `Invalid time format` check: a date
    /// without its time of day finds nothing); nil for anything else or an impossible date.
    static func searchTime(_ text: String) -> Int64? {
        let parts = text.trimmingSpaces.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard date.count == 3, time.count == 3, date[0].count == 4 else { return nil }
        var numbers: [Int] = []
        for (index, part) in (date + time).enumerated() {
            guard index == 0 || (1...2).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(part)
            else { return nil }
            numbers.append(number)
        }
        return CivilDate(
            year: numbers[0], month: numbers[1], day: numbers[2], hour: numbers[3], minute: numbers[4], second: numbers[5]
        ).unixSeconds
    }

    /// Znuny's search-form helpers, turned into Newer/Older parameters: `<Prefix>Point` with
    /// `…PointFormat` (minute…year; month = 30 days, year = 365) and `…PointStart` (`Before` = older
    /// than, otherwise within the last), or a slot `…Start`/`…Stop` (or their Day/Month/Year parts).
    private func expandHelpers(_ data: inout [String: JSONValue]) -> Bool {
        let units: [String: Int64] = ["minute": 1, "hour": 60, "day": 1440, "week": 10_080, "month": 43_200, "year": 525_600]
        for (prefix, _, _) in Self.timeFields {
            if let point = data.string(prefix + "Point"), !point.isEmpty {
                guard let amount = Int64(point), let unit = units[data.string(prefix + "PointFormat") ?? ""] else { return false }
                let key = data.string(prefix + "PointStart") == "Before" ? "OlderMinutes" : "NewerMinutes"
                let (minutes, overflowed) = amount.multipliedReportingOverflow(by: unit)
                data[prefix + key] = .string(String(overflowed ? (amount < 0 ? Int64.min : Int64.max) : minutes))
            }
            for (edge, target) in [("Start", "NewerDate"), ("Stop", "OlderDate")] {
                if let text = data.string(prefix + edge), !text.isEmpty {
                    data[prefix + target] = .string(text)
                } else if let year = data.string(prefix + edge + "Year"), let month = data.string(prefix + edge + "Month"),
                    let day = data.string(prefix + edge + "Day"), let y = Int(year), let m = Int(month), let d = Int(day)
                {
                    let date = CivilDate(
                        year: y, month: m, day: d, hour: edge == "Start" ? 0 : 23, minute: edge == "Start" ? 0 : 59,
                        second: edge == "Start" ? 0 : 59)
                    guard date.unixSeconds != nil else { return false }
                    data[prefix + target] = .string(date.timestampString)
                }
            }
        }
        return true
    }

    // MARK: Articles

    /// `MIMEBase_From/To/Cc/Subject/Body` with `ContentSearch` AND/OR and `Fulltext` (copied into
    /// every article field, matched with OR). `AttachmentName` is not a parameter of the operation
    /// (its `_GetParams` never reads it), so it filters nothing.
    func applyArticleSearch(_ data: [String: JSONValue], to query: inout TicketQuery) -> Bool {
        let fields: [(String, TicketQuery.ArticleField)] = [
            ("MIMEBase_From", .from), ("MIMEBase_To", .to), ("MIMEBase_Cc", .cc), ("MIMEBase_Subject", .subject), ("MIMEBase_Body", .body),
        ]
        for (key, field) in fields {
            if let value = data.string(key)?.trimmingSpaces, !value.isEmpty {
                let stripped = value.trimmingCharacters(in: CharacterSet(charactersIn: "*%"))
                if !stripped.isEmpty { query.articleFields[field] = stripped }
            }
        }
        query.articleFieldsMatch = data.string("ContentSearch")?.uppercased() == "OR" ? .any : .all
        if let text = data.string("Fulltext")?.trimmingSpaces, !text.isEmpty {
            let stripped = text.trimmingCharacters(in: CharacterSet(charactersIn: "*%"))
            for field in TicketQuery.ArticleField.allCases { query.articleFields[field] = stripped }
            query.articleFieldsMatch = .any
        }
        return true
    }

    // MARK: Dynamic fields

    /// `DynamicField: {Name, <Operator>: value(s)}` (object or array), or the legacy
    /// `DynamicField_<Name>: {<Operator>: value(s)}` when no `DynamicField` key is present. A plain
    /// string (what PyOTRS's flattened query produces) is ignored, as Znuny ignores it.
    func applyDynamicFields(_ data: [String: JSONValue], to query: inout TicketQuery) -> Bool {
        var filters: [(name: String, operators: [String: JSONValue])] = []
        if let value = data["DynamicField"] {
            for entry in value.arrayValue ?? [value] {
                guard var object = entry.objectValue, let name = object.removeValue(forKey: "Name")?.scalarString else { continue }
                filters.append((name, object))
            }
        } else {
            for (key, value) in data where key.hasPrefix("DynamicField_") {
                let name = String(key.dropFirst("DynamicField_".count))
                guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), let object = value.objectValue else {
                    continue
                }
                filters.append((name, object))
            }
        }
        // Only valid ticket fields are read (`_GetDynamicFields` walks `DynamicFieldListGet(Valid => 1,
        // ObjectType => ['Ticket'])`): a filter on any other name is dropped, not refused.
        for (name, operators) in filters {
            guard let field = catalog.dynamicFields[name], field.object == .ticket, field.validity == .valid else { continue }
            for (opName, raw) in operators {
                guard let op = TicketQuery.DynamicFieldCondition.Operator(rawValue: opName) else { return false }
                // `*` is `%`; an empty value, or one of only `%`, is skipped, and an operator left
                // without values adds no condition.
                let values = strings(raw).map { $0.replacingOccurrences(of: "*", with: "%") }
                    .filter { !$0.isEmpty && !($0.count <= 3 && $0.allSatisfy { $0 == "%" }) }
                if op == .empty {
                    if let first = values.first {
                        let empty = JSONValue.string(first).isPerlTrue ? "1" : "0"
                        query.dynamicFields.append(.init(fieldID: field.id, op: .empty, values: [empty]))
                    }
                    continue
                }
                var canonical: [String] = []
                for value in values {
                    if op == .like {
                        canonical.append(value)
                        continue
                    }
                    guard
                        let checked = try? DynamicFieldValidator.canonicalValues(
                            DynamicFieldInput(name: name, value: value), for: field.searchable),
                        let first = checked.first
                    else { return false }
                    canonical.append(first)
                }
                guard !canonical.isEmpty else { continue }
                query.dynamicFields.append(.init(fieldID: field.id, op: op, values: canonical))
            }
        }
        return true
    }

    // MARK: Sorting

    static let sortKeys: [String: TicketQuery.SortKey] = [
        "Age": .age, "Created": .created, "Changed": .changed, "Ticket": .ticketNumber, "TicketNumber": .ticketNumber,
        "Title": .title, "Queue": .queue, "State": .state, "Lock": .lock, "Type": .type, "Priority": .priority,
        "Owner": .owner, "Responsible": .responsible, "CustomerID": .customerID, "Service": .service, "SLA": .sla,
        "PendingTime": .pendingTime, "TicketEscalation": .escalationTime, "EscalationTime": .escalationTime,
        "EscalationUpdateTime": .escalationUpdateTime, "EscalationResponseTime": .escalationResponseTime,
        "EscalationSolutionTime": .escalationSolutionTime,
    ]

    /// `SortBy` (`Age` when absent or Perl-false) paired positionally with `OrderBy` (`Up` or
    /// `Down`; `Down` when absent or Perl-false); `DynamicField_<Name>` sorts by a ticket dynamic
    /// field. As in Znuny's `TicketSearch`, every sort key needs its own order: two keys with one
    /// order (or none) find nothing.
    func sortOrder(_ data: [String: JSONValue]) -> [(key: TicketQuery.SortKey, ascending: Bool)]? {
        let keys = data["SortBy"].flatMap { $0.isPerlTrue ? strings($0) : nil } ?? ["Age"]
        let orders = data["OrderBy"].flatMap { $0.isPerlTrue ? strings($0) : nil } ?? ["Down"]
        var result: [(key: TicketQuery.SortKey, ascending: Bool)] = []
        for (index, name) in keys.enumerated() {
            let key: TicketQuery.SortKey
            if name.hasPrefix("DynamicField_") {
                guard let field = catalog.dynamicFields[String(name.dropFirst("DynamicField_".count))], field.object == .ticket else {
                    return nil
                }
                key = .dynamicField(field.id)
            } else {
                guard let known = Self.sortKeys[name] else { return nil }
                key = known
            }
            guard index < orders.count, orders[index] == "Up" || orders[index] == "Down" else { return nil }
            result.append((key, orders[index] == "Up"))
        }
        return result
    }
}

extension DynamicField {
    /// The field as a search value check sees it: a multiselect value is checked as one value.
    var searchable: DynamicField {
        var copy = self
        if copy.type == .multiselect { copy.type = .dropdown }
        return copy
    }
}
