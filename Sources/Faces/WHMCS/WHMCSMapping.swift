import DeskCore
import DeskFaceKit
import Foundation

/// The face's view of SwiftDesk through WHMCS's ids, loaded once per request: departments are
/// queues, statuses states (through the directory), priorities `Low`/`Medium`/`High`.
struct WHMCSMapping: Sendable {
    let directory: WHMCSDirectory
    let catalog: Catalog
    /// Department id → SwiftDesk queue id, and back.
    let departmentToQueue: [Int: Int]
    let queueToDepartment: [Int: Int]

    enum Kind {
        static let department = "department"
        static let ticket = "ticket"
        static let tid = "tid"
        static let reply = "reply"
        static let note = "note"
        /// A client: its id → `customer:<login of the owner>`.
        static let client = "client"
        /// A client: its id → `company:<customer id>`.
        static let clientCompany = "client-company"
        /// A contact: its id → `customer:<login>`.
        static let contact = "contact"
        static let customField = "customfield"
        /// An imported ticket's own message (`tbltickets.message`).
        static let opening = "opening"
    }

    static let priorities: [(title: String, core: String)] = [("Low", "2 low"), ("Medium", "3 normal"), ("High", "4 high")]

    /// The mapping over `directory` (already read for the allow-list).
    static func load(_ services: DeskServices, directory: WHMCSDirectory) async throws -> WHMCSMapping {
        async let catalog = services.catalog()
        async let lists = services.externalIDs.list(face: WHMCSFace.faceName, kinds: [Kind.department])
        return WHMCSMapping(directory: directory, catalog: try await catalog, departments: try await lists[Kind.department] ?? [])
    }

    init(directory: WHMCSDirectory, catalog: Catalog, departments: [ExternalID]) {
        self.directory = directory
        self.catalog = catalog
        var to: [Int: Int] = [:]
        var from: [Int: Int] = [:]
        for entry in departments {
            guard let external = Int(entry.externalID), let core = Int(entry.coreID) else { continue }
            to[external] = core
            if from[core].map({ external < $0 }) ?? true { from[core] = external }
        }
        departmentToQueue = to
        queueToDepartment = from
    }

    var coreQueueIDs: [Int] { Array(departmentToQueue.values).sorted() }

    func departmentName(_ id: Int) -> String? {
        departmentToQueue[id].flatMap { catalog.queues[$0]?.name }
    }

    /// Departments by name, as WHMCS lists them.
    var departments: [(id: Int, name: String)] {
        departmentToQueue.keys.compactMap { id in departmentName(id).map { (id, $0) } }.sorted {
            ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id)
        }
    }

    // MARK: Statuses

    func state(ofStatus status: WHMCSDirectory.Status) -> Int? {
        catalog.states.all.first { $0.name == status.state }?.id
    }

    /// The status a ticket in `stateID` shows: the one mapped to it, else by the state's type.
    func status(ofState stateID: Int) -> WHMCSDirectory.Status {
        let name = catalog.states[stateID]?.name
        if let status = directory.sortedStatuses.first(where: { $0.state == name }) { return status }
        let type = catalog.stateTypeName(ofState: stateID)
        let fallback =
            type.hasPrefix("closed") || type == "removed" || type == "merged" ? "Closed" : type.hasPrefix("pending") ? "On Hold" : "Open"
        return directory.status(titled: fallback) ?? directory.sortedStatuses.first ?? WHMCSDirectory.defaultStatuses[0]
    }

    /// States whose shown status (`status(ofState:)`: the mapped one, else by the state's type)
    /// passes `filter`, so a filter finds exactly the tickets rows and counts show with that
    /// status, those in states of other faces (`new`, `pending reminder`, …) included.
    func states(where filter: (WHMCSDirectory.Status) -> Bool) -> [Int] {
        catalog.states.all.filter { filter(status(ofState: $0.id)) }.map(\.id)
    }

    /// States that are not merged ones: merged tickets never show in lists or counts.
    var listedStates: [Int] {
        catalog.states.all.filter { catalog.stateTypeName(ofState: $0.id) != "merged" }.map(\.id)
    }

    func isMerged(_ ticket: Ticket) -> Bool {
        catalog.stateTypeName(ofState: ticket.stateID) == "merged"
    }

    // MARK: Priorities

    func priorityRef(_ title: String) -> Ref? {
        Self.priorities.first { $0.title == title }.map { Ref.name($0.core) }
    }

    /// `Low` for SwiftDesk's two lowest priorities, `High` for its two highest.
    func priorityTitle(_ priorityID: Int) -> String {
        let name = catalog.priorities[priorityID]?.name ?? ""
        if let mapped = Self.priorities.first(where: { $0.core == name }) { return mapped.title }
        switch name.first {
        case "1", "2": return "Low"
        case "4", "5": return "High"
        default: return "Medium"
        }
    }
}

/// WHMCS's `flag` (the admin a ticket is flagged to) is the ticket's owner; admin ids are agent
/// ids. Agent 1 owns the tickets nobody is flagged for (as it owns Znuny's unassigned tickets),
/// so it reads as 0 and has no flagged tickets of its own.
enum WHMCSFlag {
    static let unflaggedOwner = Ticket.unassignedOwnerID

    static func adminID(ownerID: Int) -> Int { ownerID == unflaggedOwner ? 0 : ownerID }
    static func canBeFlagged(_ agentID: Int) -> Bool { agentID != unflaggedOwner }
}
