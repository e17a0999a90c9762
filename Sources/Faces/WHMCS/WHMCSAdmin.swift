import DeskCore
import DeskFaceKit
import Foundation

/// `swiftdesk whmcs credential|allow-ip|client|department`: the face's administration.
public struct WHMCSAdmin: Sendable {
    let services: DeskServices

    public init(services: DeskServices) {
        self.services = services
    }

    var face: String { WHMCSFace.faceName }
    typealias Kind = WHMCSMapping.Kind

    /// New API credentials for an agent: the identifier and the secret (shown once; the secret
    /// is kept as a digest).
    public func addCredential(agent login: String) async throws -> (identifier: String, secret: String) {
        let identifier = Self.random(32)
        let secret = Self.random(32)
        try await services.credentials.addPair(
            face: face, identifier: identifier, secret: secret, options: .init(agentLogin: login, notes: "WHMCS API credential"))
        return (identifier, secret)
    }

    /// Lets an agent use the legacy login: its login as `username`, the MD5 hex of `password`
    /// (checked against the agent's password first) as `password`. MD5 is weak: the hex value
    /// is as good as the password to anyone who reads it, so this is off unless asked for.
    public func enableAdminLogin(agent login: String, password: String) async throws {
        guard case .accepted(.agent?, _) = try await services.auth.authenticate(.agentPassword(login: login, password: password)) else {
            throw DeskError.invalid(.other("password"), .malformed(expected: "the agent's current password"))
        }
        try await services.credentials.putChosenPair(
            face: face, identifier: login, secret: LegacyDigest.md5Hex(password),
            options: .init(agentLogin: login, notes: WHMCSAuth.adminLoginNote))
    }

    public struct CredentialInfo: Sendable {
        public var id: Int
        public var identifier: String
        public var agent: String
        public var isAdminLogin: Bool
        public var lastUsedAt: Int64
    }

    public func credentials() async throws -> [CredentialInfo] {
        let agents = try await services.admin.agentListings()
        let logins = Dictionary(agents.map { ($0.agent.id, $0.agent.login) }, uniquingKeysWith: { a, _ in a })
        return try await services.credentials.list(face: face, kind: .secretPair).map {
            CredentialInfo(
                id: $0.id, identifier: $0.identifier ?? "", agent: $0.agentID.flatMap { logins[$0] } ?? "",
                isAdminLogin: $0.notes == WHMCSAuth.adminLoginNote, lastUsedAt: $0.lastUsedAt)
        }
    }

    /// Revokes the credential with this identifier (or, for a legacy login, agent login).
    public func revoke(identifier: String) async throws {
        guard let record = try await services.credentials.findPair(face: face, identifier: identifier) else {
            throw DeskError.notFound(.credential, key: identifier)
        }
        try await services.credentials.revoke(id: record.id)
    }

    public func allowedIPs() async throws -> [String] {
        try await WHMCSDirectory.load(services).allowedIPs
    }

    public func allowIP(_ pattern: String) async throws {
        guard IPMatcher.isPattern(pattern) else {
            throw DeskError.invalid(.other("ip"), .malformed(expected: "an IP address or CIDR block"))
        }
        var directory = try await WHMCSDirectory.load(services)
        guard !directory.allowedIPs.contains(pattern) else { return }
        directory.allowedIPs.append(pattern)
        try await directory.save(services)
    }

    /// Removes an entry; false when it was not there.
    public func disallowIP(_ pattern: String) async throws -> Bool {
        var directory = try await WHMCSDirectory.load(services)
        guard let index = directory.allowedIPs.firstIndex(of: pattern) else { return false }
        directory.allowedIPs.remove(at: index)
        try await directory.save(services)
        return true
    }

    static func random(_ count: Int) -> String {
        String((0..<count).map { _ in WHMCSTicketMask.alphanumerics.randomElement()! })
    }

    /// `swiftdesk whmcs client add`: one client (a company and its owner).
    public func addClient(id: Int, firstName: String, lastName: String, email: String, company: String) async throws {
        guard id > 0, id < FaceNumericIDs.foreign else { throw DeskError.invalid(.other("id"), .outOfRange("1 to 999999999")) }
        guard MailAddress.isBareAddress(email) else { throw DeskError.invalid(.other("email"), .malformed(expected: "an e-mail address")) }
        var data = ReferenceImport(face: WHMCSFace.faceName)
        let customerCompany = WHMCSImporter.company(client: id, name: company, first: firstName, last: lastName)
        data.customers = [
            .init(
                origin: .init(kind: Kind.client, id: String(id)), login: email.lowercased(), email: email, firstName: firstName,
                lastName: lastName, passwordHash: nil, coreIDPrefix: "customer:")
        ]
        data.customers[0].company = customerCompany
        data.externalIDs = [
            ExternalID(
                face: WHMCSFace.faceName, kind: Kind.clientCompany, externalID: String(id), coreID: "company:" + customerCompany.customerID)
        ]
        try await services.referenceData.apply(data)
    }

    /// `swiftdesk whmcs department add`: a department (a SwiftDesk queue); returns its id.
    public func addDepartment(name: String, id: Int?) async throws -> Int {
        let existing = try await services.externalIDs.list(face: WHMCSFace.faceName, kind: Kind.department).compactMap {
            Int($0.externalID)
        }
        let id = id ?? (existing.max() ?? 0) + 1
        guard id > 0, id < FaceNumericIDs.foreign else { throw DeskError.invalid(.other("id"), .outOfRange("1 to 999999999")) }
        var data = ReferenceImport(face: WHMCSFace.faceName)
        data.queues = [.init(origin: .init(kind: Kind.department, id: String(id)), name: name)]
        try await services.referenceData.apply(data)
        return id
    }
}
