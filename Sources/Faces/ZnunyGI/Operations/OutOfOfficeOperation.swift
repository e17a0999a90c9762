import DeskCore
import DeskFaceKit
import Foundation

/// User::OutOfOffice (§5.10 of the spec): admins set agents' out-of-office periods, usually from
/// a CSV the `Mapping::OutOfOffice` mapping has parsed into `OutOfOfficeEntries`.
struct OutOfOfficeOperation {
    let services: DeskServices

    func run(_ request: FaceRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request) else {
            return .error(code: "OutOfOffice.AuthFail", message: "OutOfOffice: Authentication failed.")
        }
        guard case .agent = principal else {
            return .error(code: "OutOfOffice.AuthFail", message: "OutOfOffice: User needs to be an agent.")
        }
        let catalog = try await services.catalog()
        guard GroupAccess.isAdmin(principal, catalog: catalog) else {
            return .error(code: "OutOfOffice.AuthFail", message: "OutOfOffice: User needs to be in group admin.")
        }
        // One entry alone is taken as a list of one (Znuny wants a list, which a SOAP request
        // with a single `OutOfOfficeEntries` element cannot be). A scalar (an empty SOAP element,
        // a string) is no list of entries; a list is one whatever it holds (Znuny's
        // `IsArrayRefWithData`): entries that are not objects are skipped below.
        var rows: [JSONValue] = []
        switch request.parameters["OutOfOfficeEntries"] {
        case .array(let elements): rows = elements
        case .some(let single) where single.objectValue != nil: rows = [single]
        default: break
        }
        if rows.isEmpty, let csv = request.parameters.string("OutOfOfficeEntriesCSVString") {
            rows = OutOfOfficeCSV.parse(csv)
        }
        guard !rows.isEmpty else {
            return .fault("Payload does not contain out-of-office entries or they could not be parsed.")
        }
        var entries: [AdminService.OutOfOfficeEntry] = []
        for row in rows {
            guard let object = row.objectValue else { continue }
            guard let login = try await resolveLogin(object, by: principal) else { continue }
            // Znuny sets the dates only when StartDate holds a date (and EndDate then too); dates
            // not given stay as they were.
            let start = object.string("StartDate").flatMap(Self.date)
            let end = start == nil ? nil : object.string("EndDate").flatMap(Self.date)
            entries.append(.init(login: login, enabled: object["OutOfOffice"]?.isPerlTrue ?? false, start: start, end: end))
        }
        do {
            try await services.admin.setOutOfOffice(entries, by: principal)
        } catch DeskError.invalid {
            return .fault("Payload does not contain out-of-office entries or they could not be parsed.")
        }
        return .data(["Success": .int(1)])
    }

    /// The first `YYYY-MM-DD` in `text` (Znuny's `m{(\d{4})-(\d{2})-(\d{2})}`), if it is a real date.
    static func date(_ text: String) -> String? {
        let characters = Array(text)
        guard characters.count >= 10 else { return nil }
        let pattern = "dddd-dd-dd"
        for start in 0...(characters.count - 10) {
            let window = characters[start..<start + 10]
            guard zip(window, pattern).allSatisfy({ $1 == "d" ? $0.isASCII && $0.isNumber : $0 == $1 }) else { continue }
            let date = String(window)
            return CivilDate(timestamp: date) == nil ? nil : date
        }
        return nil
    }

    /// `UserSearch` (login or name), else `UserEmail`, else `UserLogin`; an entry that does not
    /// name exactly one agent is skipped, as in Znuny.
    private func resolveLogin(_ object: [String: JSONValue], by principal: Principal) async throws -> String? {
        let search = object.string("UserSearch") ?? ""
        let email = object.string("UserEmail") ?? ""
        let login = object.string("UserLogin") ?? ""
        let needle = !search.isEmpty ? search : !email.isEmpty ? email : login
        guard !needle.isEmpty else { return nil }
        let matches = try await services.directory.agents(matching: needle, by: principal)
        return matches.count == 1 ? matches[0].login : nil
    }
}

/// The CSV of Znuny's `Mapping::OutOfOffice`: comma-separated, `"` quotes, the first row names
/// the columns (`UserLogin`, `UserSearch`, `UserEmail`/`EMail`, `StartDate`/`StartTime`,
/// `EndDate`/`EndTime`, `OutOfOffice`/`Enabled` with `yes`/`no`); `#` lines are comments;
/// `dd.mm.yyyy hh:mm:ss` dates become `yyyy-mm-dd`.
enum OutOfOfficeCSV {
    static func parse(_ text: String) -> [JSONValue] {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n").map(String.init).filter { !$0.trimmingSpaces.isEmpty && !$0.hasPrefix("#") }
        guard let header = lines.first else { return [] }
        let columns = cells(header)
        return lines.dropFirst().map { line in
            var object: [String: String] = [:]
            for (index, cell) in cells(line).enumerated() where index < columns.count { object[columns[index]] = cell }
            object["UserEmail"] = object["UserEmail"] ?? object["EMail"]
            object["StartDate"] = (object["StartDate"] ?? object["StartTime"]).map(isoDate)
            object["EndDate"] = (object["EndDate"] ?? object["EndTime"]).map(isoDate)
            if let flag = object["OutOfOffice"] ?? object["Enabled"] {
                object["OutOfOffice"] = flag == "yes" ? "1" : flag == "no" ? "0" : flag
            }
            return .object(object.mapValues(JSONValue.string))
        }
    }

    /// One CSV line split at commas outside double quotes (`""` is a quote inside quotes).
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = iterator.next()
        while let character = pending {
            pending = iterator.next()
            if quoted {
                if character == "\"" {
                    if pending == "\"" {
                        current.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                cells.append(current.trimmingSpaces)
                current = ""
            } else {
                current.append(character)
            }
        }
        cells.append(current.trimmingSpaces)
        return cells
    }

    /// The mapping's `m{(\d{2}).(\d{2}).(\d{4}) \s \d{2}:\d{2}:\d{2}}x` anywhere in the text (any
    /// character between the date's parts, a time required) → `yyyy-mm-dd`; other values as
    /// they are (a date without a time, `05.01.2024`, then sets no dates, as in Znuny).
    static func isoDate(_ text: String) -> String {
        guard let match = text.firstMatch(of: #/(\d{2}).(\d{2}).(\d{4})\s\d{2}:\d{2}:\d{2}/#) else { return text }
        return "\(match.3)-\(match.2)-\(match.1)"
    }
}
