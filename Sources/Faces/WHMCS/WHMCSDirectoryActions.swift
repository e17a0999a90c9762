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

    /// Tickets (merged ones never count) by department and WHMCS status title, over what the
    /// agent may read.
    func countsByDepartment() async throws -> [Int: [String: Int]] {
        var counts: [Int: [String: Int]] = [:]
        for entry in try await context.services.tickets.queueStateCounts(by: context.principal) {
            guard let department = mapping.queueToDepartment[entry.queueID],
                mapping.catalog.stateTypeName(ofState: entry.stateID) != "merged"
            else { continue }
            counts[department, default: [:]][mapping.status(ofState: entry.stateID).title, default: 0] += entry.count
        }
        return counts
    }

    /// Counts by status title over some departments (nil: all).
    func statusCounts(departments: Set<Int>? = nil) async throws -> [String: Int] {
        var total: [String: Int] = [:]
        for (department, counts) in try await countsByDepartment() where departments.map({ $0.contains(department) }) ?? true {
            total.merge(counts, uniquingKeysWith: +)
        }
        return total
    }

    func sum(_ counts: [String: Int], where filter: (WHMCSDirectory.Status) -> Bool) -> Int {
        mapping.directory.statuses.filter(filter).reduce(0) { $0 + (counts[$1.title] ?? 0) }
    }

    func departments() async throws -> JSONValue {
        let counts = try await countsByDepartment()
        let rows = mapping.departments.map { department -> JSONValue in
            let byStatus = counts[department.id] ?? [:]
            return .ordered([
                "id": .string(String(department.id)), "name": .string(department.name),
                "awaitingreply": .string(String(sum(byStatus) { $0.showAwaiting })),
                "opentickets": .string(String(sum(byStatus) { $0.showActive })),
            ])
        }
        var members = [JSONMember(key: "totalresults", value: .number(String(rows.count)))]
        if !rows.isEmpty {
            members.append(JSONMember(key: "departments", value: .orderedObject([JSONMember(key: "department", value: .array(rows))])))
        }
        return WHMCSWire.success(members)
    }

    func statuses() async throws -> JSONValue {
        let counts = try await statusCounts(departments: params.int("deptid") != 0 ? [params.int("deptid")] : nil)
        let rows = mapping.directory.sortedStatuses.map { status -> JSONValue in
            .ordered(["title": .string(status.title), "count": .number(String(counts[status.title] ?? 0)), "color": .string(status.color)])
        }
        return WHMCSWire.success([
            JSONMember(key: "totalresults", value: .number(String(rows.count))),
            JSONMember(key: "statuses", value: .orderedObject([JSONMember(key: "status", value: .array(rows))])),
        ])
    }

    func counts() async throws -> JSONValue {
        // With `ignoreDepartmentAssignments` WHMCS filters by no department and lists none.
        let departments = params.truthy("ignoreDepartmentAssignments") ? [] : mapping.departmentToQueue.keys.sorted()
        let filtered = try await statusCounts()
        let active = sum(filtered) { $0.showActive }
        let awaiting = sum(filtered) { $0.showAwaiting }
        var flagged = TicketQuery()
        flagged.queueIDs = mapping.coreQueueIDs
        flagged.stateIDs = mapping.states { $0.showActive }
        flagged.ownerIDs = [context.agent.id]
        let flaggedCount =
            flagged.queueIDs.isEmpty || flagged.stateIDs.isEmpty || !WHMCSFlag.canBeFlagged(context.agent.id)
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
        let rows = directory.categories.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }.map {
            category -> JSONValue in
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
        // `App::isInRequest("catid")`: a `catid` that is there filters, even `0` or `x` (category 0).
        if params.has("catid") { replies = replies.filter { $0.categoryID == params.int("catid") } }
        let rows = replies.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }.map { reply -> JSONValue in
            .ordered(["name": .string(reply.name), "reply": .string(reply.reply)])
        }
        // The count comes from a `COUNT(id)` row: a string, unlike GetTicketPredefinedCats' count().
        var members = [JSONMember(key: "totalresults", value: .string(String(rows.count)))]
        if !rows.isEmpty {
            members.append(
                JSONMember(key: "predefinedreplies", value: .orderedObject([JSONMember(key: "predefinedreply", value: .array(rows))])))
        }
        return WHMCSWire.success(members)
    }
}
