import DeskCore
import DeskStore

/// User::OutOfOffice (§5.10 of the spec): admins set agents' out-of-office periods, usually from
/// a CSV the `Mapping::OutOfOffice` mapping has parsed into `OutOfOfficeEntries`.
struct OutOfOfficeOperation {
    let services: AppServices

    func run(_ request: GIRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request) else {
            return .error(code: "OutOfOffice.AuthFail", message: "OutOfOffice: Authentication failed.")
        }
        guard case .agent(let agent) = principal else {
            return .error(code: "OutOfOffice.AuthFail", message: "OutOfOffice: User needs to be an agent.")
        }
        let adminGroup = try await services.store.read { try await $0.catalog().groups["admin"]?.id }
        guard let adminGroup, agent.has(.rw, inGroup: adminGroup) else {
            return .error(code: "OutOfOffice.AuthFail", message: "OutOfOffice: User needs to be in group admin.")
        }
        var rows = request.data["OutOfOfficeEntries"].flatMap(ZnunyInput.list) ?? []
        if rows.isEmpty, let csv = request.data.string("OutOfOfficeEntriesCSVString") {
            rows = OutOfOfficeCSV.parse(csv)
        }
        guard !rows.isEmpty else {
            return .fault("Payload does not contain out-of-office entries or they could not be parsed.")
        }
        var entries: [AdminService<SQLDeskStore>.OutOfOfficeEntry] = []
        for row in rows {
            guard let object = row.objectValue else { continue }
            guard let login = try await resolveLogin(object) else { continue }
            entries.append(.init(
                login: login, enabled: object["OutOfOffice"]?.isPerlTrue ?? false,
                start: object.string("StartDate").flatMap { $0.isEmpty ? nil : $0 },
                end: object.string("EndDate").flatMap { $0.isEmpty ? nil : $0 }))
        }
        do {
            try await services.admin.setOutOfOffice(entries, by: principal)
        } catch DeskError.invalid {
            return .fault("Payload does not contain out-of-office entries or they could not be parsed.")
        }
        return .data(["Success": .int(1)])
    }

    /// `UserLogin`, `UserEmail` or `UserSearch`; entries that do not name exactly one agent are skipped.
    private func resolveLogin(_ object: [String: JSONValue]) async throws -> String? {
        if let login = object.string("UserLogin"), !login.isEmpty {
            return try await services.store.read { try await $0.agent(login: login) }?.login
        }
        let needle = object.string("UserEmail") ?? object.string("UserSearch") ?? ""
        guard !needle.isEmpty else { return nil }
        return try await services.store.read { reader in
            let matches = try await reader.agentsMatching(needle)
            return matches.count == 1 ? matches[0].login : nil
        }
    }
}

/// The CSV the OutOfOffice mapping reads: a header line naming the columns (`UserLogin` or
/// `UserEmail`, `StartDate`, `EndDate`, `OutOfOffice`), `;` or `,` separated.
enum OutOfOfficeCSV {
    static func parse(_ text: String) -> [JSONValue] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingSpaces.isEmpty }
        guard let header = lines.first else { return [] }
        let separator: Character = header.contains(";") ? ";" : ","
        let columns = header.split(separator: separator, omittingEmptySubsequences: false).map { String($0).trimmingSpaces.replacingQuotes() }
        return lines.dropFirst().map { line in
            let cells = line.split(separator: separator, omittingEmptySubsequences: false).map { String($0).trimmingSpaces.replacingQuotes() }
            var object: [String: JSONValue] = [:]
            for (index, column) in columns.enumerated() where index < cells.count { object[column] = .string(cells[index]) }
            return .object(object)
        }
    }
}

extension String {
    func replacingQuotes() -> String {
        count >= 2 && hasPrefix("\"") && hasSuffix("\"") ? String(dropFirst().dropLast()) : self
    }
}
