import DeskCore
import DeskFaceKit
import Foundation

/// django-helpdesk's reference data as the face keeps it (document `djhd/directory/default`):
/// queue slugs and custom field definitions. Which SwiftDesk queue, state and priority each
/// django-helpdesk id stands for is an external id of the face.
struct DjangoDirectory: Codable, Sendable, Equatable {
    struct QueueInfo: Codable, Sendable, Equatable {
        var id: Int
        var slug: String
    }

    /// A custom field (`helpdesk.customfield`), stored in a ticket dynamic field.
    struct CustomField: Codable, Sendable, Equatable {
        var id: Int
        /// The slug after `custom_`.
        var name: String
        var label: String
        var helpText: String
        /// varchar, text, integer, decimal, list, boolean, date, time, datetime, email, url,
        /// ipaddress, slug.
        var dataType: String
        var maxLength: Int?
        var decimalPlaces: Int?
        var emptySelectionList: Bool
        var listValues: [String]
        var ordering: Int?
        var required: Bool
        var staffOnly: Bool
        var dynamicField: String
    }

    var queues: [QueueInfo] = []
    var customFields: [CustomField] = []

    static let kind = "directory"
    static let key = "default"

    func slug(ofQueue id: Int) -> String? { queues.first { $0.id == id }?.slug }

    /// Custom fields in django-helpdesk's order (`ordering`, unset first, then id).
    var orderedCustomFields: [CustomField] {
        customFields.sorted { ($0.ordering ?? Int.min, $0.id) < ($1.ordering ?? Int.min, $1.id) }
    }
}

/// Statuses and priorities of a fresh django-helpdesk and their SwiftDesk counterparts.
enum DjangoReference {
    static let statuses: [(id: Int, name: String, state: String)] = [
        (1, "Open", "open"), (2, "Reopened", "reopened"), (3, "Resolved", "closed successful"),
        (4, "Closed", "closed unsuccessful"), (5, "Duplicate", "merged"),
    ]
    static let priorities: [(id: Int, name: String, core: String)] = [
        (1, "1. Critical", "5 very high"), (2, "2. High", "4 high"), (3, "3. Normal", "3 normal"), (4, "4. Low", "2 low"),
        (5, "5. Very Low", "1 very low"),
    ]

    static func statusName(_ id: Int) -> String { statuses.first { $0.id == id }?.name ?? "" }
}

/// The face's view of SwiftDesk through django-helpdesk's ids, loaded once per request.
struct DjangoMapping: Sendable {
    let directory: DjangoDirectory
    let catalog: Catalog
    /// django-helpdesk queue id → SwiftDesk queue id, and back.
    let queueToCore: [Int: Int]
    let queueFromCore: [Int: Int]
    let statusToCore: [Int: Int]
    let statusFromCore: [Int: Int]
    let priorityToCore: [Int: Int]
    let priorityFromCore: [Int: Int]

    enum Kind {
        static let queue = "queue"
        static let status = "status"
        static let priority = "priority"
        static let ticket = "ticket"
        static let followup = "followup"
        static let user = "user"
        static let customField = "customfield"
    }

    private static let decodedDirectories = DecodedDocuments<DjangoDirectory>()

    static func load(_ services: DeskServices) async throws -> DjangoMapping {
        let face = DjangoFace.faceName
        async let catalog = services.catalog()
        async let document = services.faceConfig.document(face: face, kind: DjangoDirectory.kind, key: DjangoDirectory.key)
        async let lists = services.externalIDs.list(face: face, kinds: [Kind.queue, Kind.status, Kind.priority])
        let directory = try await document.flatMap { try? decodedDirectories.json(of: $0) }
        let mappings = try await lists
        return DjangoMapping(
            directory: directory ?? DjangoDirectory(), catalog: try await catalog, queues: mappings[Kind.queue] ?? [],
            statuses: mappings[Kind.status] ?? [], priorities: mappings[Kind.priority] ?? [])
    }

    init(directory: DjangoDirectory, catalog: Catalog, queues: [ExternalID], statuses: [ExternalID], priorities: [ExternalID]) {
        self.directory = directory
        self.catalog = catalog
        func pairs(_ list: [ExternalID]) -> ([Int: Int], [Int: Int]) {
            var to: [Int: Int] = [:]
            var from: [Int: Int] = [:]
            for entry in list {
                guard let external = Int(entry.externalID), let core = Int(entry.coreID) else { continue }
                to[external] = core
                if from[core].map({ external < $0 }) ?? true { from[core] = external }
            }
            return (to, from)
        }
        (queueToCore, queueFromCore) = pairs(queues)
        (statusToCore, statusFromCore) = pairs(statuses)
        (priorityToCore, priorityFromCore) = pairs(priorities)
    }

    /// The django-helpdesk status of a state: the mapped one, else by the state's type.
    func status(ofState stateID: Int) -> Int {
        if let status = statusFromCore[stateID] { return status }
        let type = catalog.stateTypeName(ofState: stateID)
        if type.hasPrefix("closed") || type == "removed" { return 4 }
        if type == "merged" { return 5 }
        return 1
    }

    /// The django-helpdesk priority of a SwiftDesk priority: the mapped one, else 3.
    func priority(ofCore id: Int) -> Int { priorityFromCore[id] ?? 3 }

    /// Queue titles are SwiftDesk's queue names.
    func queueTitle(_ id: Int) -> String {
        queueToCore[id].flatMap { catalog.queues[$0]?.name } ?? ""
    }

    /// django-helpdesk's `queue.slug`; a queue without one is named after its title.
    func queueSlug(_ id: Int) -> String {
        directory.slug(ofQueue: id) ?? queueTitle(id).lowercased().replacingOccurrences(of: " ", with: "-")
    }

    var coreQueueIDs: [Int] { Array(queueToCore.values).sorted() }
}
