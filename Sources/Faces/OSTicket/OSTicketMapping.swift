import DeskCore
import DeskFaceKit
import Foundation

/// The face's view of SwiftDesk through osTicket's ids: the directory plus the external ids that
/// say which queue, service, priority, state and agent each osTicket id stands for. Loaded once
/// per request (one face document from the cache, one statement for the mappings).
struct OSTicketMapping: Sendable {
    let directory: OSTicketDirectory
    let catalog: Catalog
    private let toCore: [String: [String: String]]
    private let fromCore: [String: [String: String]]

    /// External id kinds.
    enum Kind {
        static let department = "department"
        static let topic = "topic"
        static let priority = "priority"
        static let status = "status"
        static let staff = "staff"
        static let field = "field"
        /// Every kind the mapping reads.
        static let all = [department, topic, priority, status, staff, field]
    }

    init(directory: OSTicketDirectory, catalog: Catalog, mappings: [ExternalID]) {
        self.directory = directory
        self.catalog = catalog
        var toCore: [String: [String: String]] = [:]
        var fromCore: [String: [String: String]] = [:]
        for mapping in mappings {
            toCore[mapping.kind, default: [:]][mapping.externalID] = mapping.coreID
            // The lowest osTicket id wins when two map to the same object.
            let current = fromCore[mapping.kind]?[mapping.coreID]
            if current == nil || (Int(mapping.externalID) ?? .max) < (Int(current!) ?? .max) {
                fromCore[mapping.kind, default: [:]][mapping.coreID] = mapping.externalID
            }
        }
        self.toCore = toCore
        self.fromCore = fromCore
    }

    private static let decodedDirectories = DecodedDocuments<OSTicketDirectory>()

    static func load(_ services: DeskServices) async throws -> OSTicketMapping {
        async let catalog = services.catalog()
        async let document = services.faceConfig.document(
            face: OSTicketFace.faceName, kind: OSTicketDirectory.documentKind, key: OSTicketDirectory.documentKey)
        async let lists = services.externalIDs.list(face: OSTicketFace.faceName, kinds: Kind.all)
        let directory = try await document.flatMap { try? decodedDirectories.json(of: $0) }
        let mappings = try await lists
        return OSTicketMapping(
            directory: directory ?? .fresh, catalog: try await catalog, mappings: Kind.all.flatMap { mappings[$0] ?? [] })
    }

    func coreID(_ kind: String, _ id: Int) -> Int? { toCore[kind]?[String(id)].flatMap { Int($0) } }
    func osTicketID(_ kind: String, ofCore id: Int) -> Int? { fromCore[kind]?[String(id)].flatMap { Int($0) } }

    /// The dynamic field a custom form field fills.
    func dynamicField(ofField id: Int) -> String? { toCore[Kind.field]?[String(id)] }

    // MARK: osTicket → SwiftDesk

    func queueID(department: Int) -> Int? { coreID(Kind.department, department) }
    func serviceID(topic: Int) -> Int? { coreID(Kind.topic, topic) }
    func priorityID(_ priority: Int) -> Int? { coreID(Kind.priority, priority) }
    func stateID(status: Int) -> Int? { coreID(Kind.status, status) }
    func agentID(staff: Int) -> Int? { coreID(Kind.staff, staff) }

    // MARK: SwiftDesk → osTicket

    /// The department of a queue: the mapped one, else one named like the queue (id 0).
    func department(ofQueue queueID: Int) -> OSTicketDirectory.Department {
        if let id = osTicketID(Kind.department, ofCore: queueID), let department = directory.department(id) { return department }
        return .init(id: 0, name: catalog.queues[queueID]?.name ?? "", isPublic: true)
    }

    func topic(ofService serviceID: Int?) -> OSTicketDirectory.Topic? {
        guard let serviceID, let id = osTicketID(Kind.topic, ofCore: serviceID) else { return nil }
        return directory.topic(id)
    }

    /// The status of a state: the mapped one, else by the state's type (open, pending and new
    /// read as the default status, closed as the first closed status).
    func status(ofState stateID: Int) -> OSTicketDirectory.Status {
        if let id = osTicketID(Kind.status, ofCore: stateID), let status = directory.status(id) { return status }
        let type = catalog.stateTypeName(ofState: stateID)
        let wanted =
            type.hasPrefix("closed") ? "closed" : type == "removed" ? "deleted" : type == "merged" ? "archived" : "open"
        return directory.statuses.first { $0.state == wanted } ?? directory.status(directory.defaultStatusID)
            ?? .init(id: 1, name: "Open", state: "open")
    }

    /// The osTicket priority of a SwiftDesk priority: the mapped one, else the default.
    func priority(ofCore priorityID: Int) -> OSTicketDirectory.Priority {
        if let id = osTicketID(Kind.priority, ofCore: priorityID), let priority = directory.priority(id) { return priority }
        return directory.priority(directory.defaultPriorityID) ?? .init(id: 2, key: "normal", name: "Normal", urgency: 3)
    }
}
