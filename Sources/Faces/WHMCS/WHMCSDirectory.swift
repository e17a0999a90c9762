import DeskCore
import DeskFaceKit
import Foundation

/// WHMCS's reference data as the face keeps it (document `whmcs/directory/default`): ticket
/// statuses with their SwiftDesk states, support custom fields, predefined replies, the ticket
/// number mask, the allowed attachment types and the API's IP allow-list. Which SwiftDesk queue
/// each department id stands for, and which customer each client or contact id names, are
/// external ids of the face.
struct WHMCSDirectory: Codable, Sendable, Equatable {
    /// A row of `tblticketstatuses`.
    struct Status: Codable, Sendable, Equatable {
        var id: Int
        var title: String
        var color: String
        var sortOrder: Int
        var showActive: Bool
        var showAwaiting: Bool
        /// The SwiftDesk state's name.
        var state: String
    }

    /// A support custom field (`tblcustomfields`, type `support`), kept in a ticket dynamic field.
    struct CustomField: Codable, Sendable, Equatable {
        var id: Int
        /// The department it belongs to (`relid`).
        var department: Int
        var name: String
        var dynamicField: String
    }

    struct PredefinedCategory: Codable, Sendable, Equatable {
        var id: Int
        var parentID: Int
        var name: String
    }

    struct PredefinedReply: Codable, Sendable, Equatable {
        var id: Int
        var categoryID: Int
        var name: String
        var reply: String
    }

    var statuses: [Status] = Self.defaultStatuses
    var customFields: [CustomField] = []
    var categories: [PredefinedCategory] = []
    var replies: [PredefinedReply] = []
    /// `TicketMask`: `%A` A–Z, `%a` a–z, `%n` a digit, `%y` `%m` `%d` the date, `%i` the ticket id.
    var ticketMask = Self.defaultMask
    /// `TicketAllowedFileTypes`: extensions with their dot.
    var allowedFileTypes = Self.defaultFileTypes
    /// Addresses and CIDR blocks allowed to call the API without the access key.
    var allowedIPs = Self.defaultAllowedIPs

    static let kind = "directory"
    static let key = "default"
    static let defaultMask = "%A%A%A-%n%n%n%n%n%n"
    static let defaultFileTypes = [".jpg", ".gif", ".jpeg", ".png", ".txt", ".pdf"]
    static let defaultAllowedIPs = ["127.0.0.1", "::1"]

    /// A fresh WHMCS 8's statuses; the four SwiftDesk does not have are added as states.
    static let defaultStatuses: [Status] = [
        Status(id: 1, title: "Open", color: "#779500", sortOrder: 1, showActive: true, showAwaiting: true, state: "open"),
        Status(id: 2, title: "Answered", color: "#000000", sortOrder: 2, showActive: true, showAwaiting: false, state: "answered"),
        Status(
            id: 3, title: "Customer-Reply", color: "#ff6600", sortOrder: 3, showActive: true, showAwaiting: true, state: "customer reply"
        ),
        Status(id: 4, title: "Closed", color: "#888888", sortOrder: 10, showActive: false, showAwaiting: false, state: "closed successful"),
        Status(id: 5, title: "On Hold", color: "#224488", sortOrder: 5, showActive: true, showAwaiting: false, state: "on hold"),
        Status(id: 6, title: "In Progress", color: "#cc0000", sortOrder: 6, showActive: true, showAwaiting: false, state: "in progress"),
    ]

    /// Statuses in WHMCS's display order.
    var sortedStatuses: [Status] { statuses.sorted { ($0.sortOrder, $0.id) < ($1.sortOrder, $1.id) } }

    func status(titled title: String) -> Status? { statuses.first { $0.title == title } }

    private static let decoded = DecodedDocuments<WHMCSDirectory>()

    /// The stored directory; a fresh one before the face's first start. A stored document that
    /// does not decode is an error, never silently the defaults (a save would overwrite it).
    static func load(_ services: DeskServices) async throws -> WHMCSDirectory {
        guard let document = try await services.faceConfig.document(face: WHMCSFace.faceName, kind: kind, key: key) else {
            return WHMCSDirectory()
        }
        do {
            return try decoded.json(of: document)
        } catch {
            throw DeskError.invalid(.other("whmcs/\(kind)/\(key)"), .malformed(expected: "the WHMCS face's directory document"))
        }
    }

    func save(_ services: DeskServices) async throws {
        try await services.faceConfig.put(face: WHMCSFace.faceName, kind: Self.kind, key: Self.key, json: try json())
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    var document: ReferenceImport.DocumentItem {
        get throws { .init(kind: Self.kind, key: Self.key, json: try json()) }
    }
}
