import DeskCore
import DeskFaceKit
import Foundation

/// Departments, statuses, counts and predefined replies: GetSupportDepartments,
/// GetSupportStatuses, GetTicketCounts, GetTicketPredefinedCats, GetTicketPredefinedReplies.
/// The API user counts as a member of every department; merged tickets are never counted.
struct WHMCSDirectoryActions {
    let context: WHMCSContext

    var params: WHMCSParameters { context.params }
    var mapping: WHMCSMapping { context.mapping }

    /// Ticket counts by WHMCS status title, over `queues`.
    func statusCounts(queues: Set<Int>) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for entry in try await context.services.tickets.queueStateCounts(by: context.principal) {
            guard queues.contains(entry.queueID),
                mapping.catalog.stateTypeName(ofState: entry.stateID) != "merged"
            else { continue }
            counts[mapping.status(ofState: entry.stateID).title, default: 0] += entry.count
        }
        return counts
    }

    func departments() async throws -> JSONValue {
        let entries = try await context.services.tickets.queueStateCounts(by: context.principal)
        let active = Set(mapping.directory.statuses.filter(\.showActive).map(\.title))
        let awaiting = Set(mapping.directory.statuses.filter(\.showAwaiting).map(\.title))
        let rows = mapping.departments.map { department -> JSONValue in
            var open = 0
            var waiting = 0
            for entry in entries where entry.queueID == mapping.departmentToQueue[department.id] {
                guard mapping.catalog.stateTypeName(ofState: entry.stateID) != "merged" else { continue }
                let title = mapping.status(ofState: entry.stateID).title
                if active.contains(title) { open += entry.count }
                if awaiting.contains(title) { waiting += entry.count }
            }
            return .ordered([
                "id": .string(String(department.id)), "name": .string(department.name), "awaitingreply": .string(String(waiting)),
                "opentickets": .string(String(open)),
            ])
        }
        var members = [JSONMember(key: "totalresults", value: .number(String(rows.count)))]
        if !rows.isEmpty {
            members.append(JSONMember(key: "departments", value: .orderedObject([JSONMember(key: "department", value: .array(rows))])))
        }
        return WHMCSWire.success(members)
    }

    func statuses() async throws -> JSONValue {
        var queues = Set(mapping.coreQueueIDs)
        if params.int("deptid") != 0 { queues = Set(mapping.departmentToQueue[params.int("deptid")].map { [$0] } ?? []) }
        let counts = try await statusCounts(queues: queues)
        let rows = mapping.directory.sortedStatuses.map { status -> JSONValue in
            .ordered(["title": .string(status.title), "count": .number(String(counts[status.title] ?? 0)), "color": .string(status.color)])
        }
        return WHMCSWire.success([
            JSONMember(key: "totalresults", value: .number(String(rows.count))),
            JSONMember(key: "statuses", value: .orderedObject([JSONMember(key: "status", value: .array(rows))])),
        ])
    }

    func counts() async throws -> JSONValue {
        let departments = mapping.departmentToQueue.keys.sorted()
        let filtered = try await statusCounts(queues: Set(mapping.coreQueueIDs))
        let active = mapping.directory.statuses.filter(\.showActive).reduce(0) { $0 + (filtered[$1.title] ?? 0) }
        let awaiting = mapping.directory.statuses.filter(\.showAwaiting).reduce(0) { $0 + (filtered[$1.title] ?? 0) }
        var flagged = TicketQuery()
        flagged.queueIDs = mapping.coreQueueIDs
        flagged.stateIDs = mapping.states { $0.showActive }
        flagged.ownerIDs = [context.agent.id]
        // Agent 1 owns the tickets nobody is flagged for: it has no flagged tickets of its own.
        let flaggedCount =
            flagged.queueIDs.isEmpty || flagged.stateIDs.isEmpty || context.agent.id == 1
            ? 0 : try await context.services.tickets.count(flagged, by: context.principal)
        var members = [
            JSONMember(key: "filteredDepartments", value: .array(departments.map { .number(String($0)) })),
            JSONMember(key: "allActive", value: .number(String(active))),
            JSONMember(key: "awaitingReply", value: .number(String(awaiting))),
            JSONMember(key: "flaggedTickets", value: .number(String(flaggedCount))),
        ]
        if params.truthy("includeCountsByStatus") {
            let rows = mapping.directory.statuses.sorted { $0.id < $1.id }.map { status in
                JSONMember(
                    key: status.title.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) },
                    value: .ordered(["title": .string(status.title), "count": .number(String(filtered[status.title] ?? 0))]))
            }
            members.append(JSONMember(key: "status", value: .orderedObject(rows)))
        }
        return WHMCSWire.success(members)
    }

    func predefinedCategories() -> JSONValue {
        let directory = mapping.directory
        let rows = directory.categories.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map { category -> JSONValue in
            .ordered([
                "id": .string(String(category.id)), "parentid": .string(String(category.parentID)), "name": .string(category.name),
                "replycount": .string(String(directory.replies.filter { $0.categoryID == category.id }.count)),
            ])
        }
        var members = [JSONMember(key: "totalresults", value: .number(String(rows.count)))]
        if !rows.isEmpty {
            members.append(JSONMember(key: "categories", value: .orderedObject([JSONMember(key: "category", value: .array(rows))])))
        }
        return WHMCSWire.success(members)
    }

    func predefinedReplies() -> JSONValue {
        var replies = mapping.directory.replies
        if params.int("catid") != 0 { replies = replies.filter { $0.categoryID == params.int("catid") } }
        let rows = replies.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map { reply -> JSONValue in
            .ordered(["name": .string(reply.name), "reply": .string(reply.reply)])
        }
        var members = [JSONMember(key: "totalresults", value: .number(String(rows.count)))]
        if !rows.isEmpty {
            members.append(
                JSONMember(key: "predefinedreplies", value: .orderedObject([JSONMember(key: "predefinedreply", value: .array(rows))])))
        }
        return WHMCSWire.success(members)
    }
}
