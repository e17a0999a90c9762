import DeskCore

/// TimeAccountingGet (§5.9 of the spec): accounted time of one agent in a time range.
struct TimeAccountingGetOperation {
    let services: AppServices

    func run(_ request: GIRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request), case .agent = principal else {
            return .error(code: "TimeAccountingGet.AuthFail", message: "TimeAccountingGet: Authentication failed!")
        }
        for field in ["TimeAccountingUserLogin", "TimeAccountingStart", "TimeAccountingEnd"] where request.data.trueString(field) == nil {
            return .error(code: "TimeAccountingGet.MissingParameter", message: "TimeAccountingGet: \(field) parameter is missing!")
        }
        let login = request.data.string("TimeAccountingUserLogin")!
        guard let start = CivilDate(timestamp: request.data.string("TimeAccountingStart")!)?.unixSeconds,
              let end = CivilDate(timestamp: request.data.string("TimeAccountingEnd")!)?.unixSeconds
        else {
            return .error(code: "TimeAccountingGet.MissingParameter", message: "TimeAccountingGet: TimeAccountingStart parameter is missing!")
        }
        let rows: [TimeAccountingReportRow]
        do {
            rows = try await services.tickets.timeAccounting(agentLogin: login, from: start, to: end, by: principal)
        } catch DeskError.accessDenied {
            return .error(code: "TimeAccountingGet.NoPermission", message: "TimeAccountingGet: No permission!")
        } catch DeskError.notFound {
            return .data([:])
        }
        guard !rows.isEmpty else { return .data([:]) }
        return .data(["TimeAccountingResult": .array(rows.map { row in
            .object([
                "TicketNumber": .string(row.ticketNumber),
                "TicketTitle": .string(row.ticketTitle),
                "Queue": .string(row.queueName),
                "Created": .string(CivilDate(unixSeconds: row.createdAt).timestampString),
                "TimeUnit": .string(ZnunyFormat.number(row.timeUnit)),
            ])
        })])
    }
}

enum ZnunyFormat {
    /// A number as Perl prints it: `2`, `1.5`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
