import DeskCore
import DeskFaceKit
import Foundation

/// What a fresh django-helpdesk brings: its five statuses and five priorities mapped onto
/// SwiftDesk's states and priorities (with a `reopened` state, of type open, for Reopened), an
/// empty directory, and queues added one by one (`swiftdesk djhd queue add`).
enum DjangoSetup {
    static func defaults() throws -> ReferenceImport {
        var data = ReferenceImport(face: DjangoFace.faceName)
        data.states = [.init(name: "reopened", type: "open")]
        data.mappings =
            DjangoReference.statuses.map {
                .init(origin: .init(kind: DjangoMapping.Kind.status, id: String($0.id)), target: .state, name: $0.state)
            }
            + DjangoReference.priorities.map {
                .init(origin: .init(kind: DjangoMapping.Kind.priority, id: String($0.id)), target: .priority, name: $0.core)
            }
        data.documents = [try document(DjangoDirectory())]
        return data
    }

    static func document(_ directory: DjangoDirectory) throws -> ReferenceImport.DocumentItem {
        .init(
            kind: DjangoDirectory.kind, key: DjangoDirectory.key, json: String(decoding: try JSONEncoder().encode(directory), as: UTF8.self)
        )
    }
}

/// `swiftdesk djhd queue add|list`: django-helpdesk queues are SwiftDesk queues with a slug and
/// an id of the face.
public struct DjangoQueues: Sendable {
    let services: DeskServices

    public init(services: DeskServices) {
        self.services = services
    }

    /// Adds (or maps `queue`, an existing SwiftDesk queue, as) a django-helpdesk queue; returns its
    /// django-helpdesk id.
    public func add(title: String, slug: String, queue: String?) async throws -> Int {
        let slug = slug.trimmingSpaces
        guard !slug.isEmpty, slug.count <= 50, slug.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw DeskError.invalid(.other("slug"), .malformed(expected: "letters, digits, - and _ (up to 50)"))
        }
        let mapping = try await DjangoMapping.load(services)
        guard !mapping.directory.queues.contains(where: { $0.slug == slug }) else { throw DeskError.conflict(.exists(.queue, key: slug)) }
        let id = (mapping.queueToCore.keys.max() ?? 0) + 1
        var directory = mapping.directory
        directory.queues.append(.init(id: id, slug: slug))
        var data = ReferenceImport(face: DjangoFace.faceName)
        data.queues = [.init(origin: .init(kind: DjangoMapping.Kind.queue, id: String(id)), name: queue ?? title)]
        data.documents = [try DjangoSetup.document(directory)]
        try await services.referenceData.apply(data)
        return id
    }

    /// `(id, title, slug)` of every queue, by id.
    public func list() async throws -> [(id: Int, title: String, slug: String)] {
        let mapping = try await DjangoMapping.load(services)
        return mapping.queueToCore.keys.sorted().map { ($0, mapping.queueTitle($0), mapping.queueSlug($0)) }
    }
}
