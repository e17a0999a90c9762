import DeskCore
import DeskFaceKit

/// TimeAccountingGet (§5.9 of the spec): accounted time of one agent in a time range.
struct TimeAccountingGetOperation {
    let services: DeskServices

    func run(_ request: FaceRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request) else {
            return .error(code: "TimeAccountingGet.AuthFail", message: "TimeAccountingGet: Authentication failed!")
        }
        let noPermission = GIResult.error(code: "TimeAccountingGet.NoPermission", message: "TimeAccountingGet: No permission!")
        let catalog = try await services.catalog()
        // Checked before the parameters, in Znuny's order; the core checks again.
        guard GroupAccess.canReadTimeAccounting(principal, catalog: catalog) else { return noPermission }
        for field in ["TimeAccountingUserLogin", "TimeAccountingStart", "TimeAccountingEnd"]
        where request.parameters.trueString(field) == nil {
            return .error(code: "TimeAccountingGet.MissingParameter", message: "TimeAccountingGet: \(field) parameter is missing!")
        }
        let login = request.parameters.string("TimeAccountingUserLogin")!
        // Znuny binds the dates unchecked; a malformed one makes the query fail, which answers {}.
        guard let start = ZnunyFormat.timestamp(request.parameters.string("TimeAccountingStart")!),
            let end = ZnunyFormat.timestamp(request.parameters.string("TimeAccountingEnd")!)
        else { return .data([:]) }
        let rows: [TimeAccountingReportRow]
        do {
            rows = try await services.tickets.timeAccounting(agentLogin: login, from: start, to: end, by: principal)
        } catch DeskError.accessDenied {
            return noPermission
        } catch DeskError.notFound {
            return .data([:])
        }
        guard !rows.isEmpty else { return .data([:]) }
        return .data([
            "TimeAccountingResult": .array(
                rows.map { row in
                    .object([
                        "TicketNumber": .string(row.ticketNumber),
                        "TicketTitle": .string(row.ticketTitle),
                        "TicketCustomerID": row.customerID.map(JSONValue.string) ?? .null,
                        "Queue": .string(row.queueName),
                        "Created": .string(CivilDate(unixSeconds: row.createdAt).timestampString),
                        // PostgreSQL's numeric(10,2) column reaches Znuny's JSON as a string like "1.50".
                        "TimeUnit": .string(ZnunyFormat.twoDecimals(row.timeUnit)),
                    ])
                })
        ])
    }
}

enum ZnunyFormat {
    /// `1.50`, `2.00`.
    static func twoDecimals(_ value: Double) -> String {
        let cents = Int64((value * 100).rounded())
        let whole = cents / 100
        let fraction = abs(cents % 100)
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// A timestamp as the database reads the bound text: `YYYY-MM-DD`, with ` ` or `T` and
    /// `HH:MM` or `HH:MM:SS`.
    static func timestamp(_ text: String) -> Int64? {
        var value = text.trimmingSpaces
        if value.count > 10, value[value.index(value.startIndex, offsetBy: 10)] == "T" {
            value.replaceSubrange(value.index(value.startIndex, offsetBy: 10)...value.index(value.startIndex, offsetBy: 10), with: " ")
        }
        if value.count == 16 { value += ":00" }
        return CivilDate(timestamp: value)?.unixSeconds
    }
}
