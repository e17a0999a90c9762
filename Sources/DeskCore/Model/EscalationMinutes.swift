/// The escalation minutes a ticket follows, as Znuny's `TicketEscalationPreferences` picks them:
/// its SLA's when the service feature is on (`Ticket::Service`) and it has one, else its
/// queue's. 0 means no such deadline.
public struct EscalationMinutes: Sendable, Equatable {
    public var firstResponse: Int
    public var update: Int
    public var solution: Int
    /// The notify-before percentages from the same SLA or queue.
    public var notify: EscalationNotify
    /// The working calendar of the same SLA or queue ("" the default one).
    public var calendar: String

    public init(queueID: Int, slaID: Int?, catalog: Catalog) {
        if catalog.settings.serviceEnabled, let sla = slaID.flatMap({ catalog.slas[$0] }) {
            (firstResponse, update, solution, notify, calendar) = Self.values(sla)
        } else if let queue = catalog.queues[queueID] {
            (firstResponse, update, solution, notify, calendar) = Self.values(queue)
        } else {
            (firstResponse, update, solution, notify, calendar) = (0, 0, 0, .none, "")
        }
        // Rows written before the bound was checked are read within it.
        (firstResponse, update, solution) = (Self.bounded(firstResponse), Self.bounded(update), Self.bounded(solution))
    }

    /// Generic, not `any EscalationSettings`: this runs for every TicketGet and update, and an
    /// existential would box the queue or SLA.
    private static func values<Source: EscalationSettings>(_ source: Source) -> (Int, Int, Int, EscalationNotify, String) {
        (source.firstResponseMinutes, source.updateMinutes, source.solutionMinutes, source.notify, source.calendar)
    }

    public subscript(kind: EscalationKind) -> Int {
        switch kind {
        case .firstResponse: firstResponse
        case .update: update
        case .solution: solution
        }
    }

    /// Znuny's `TicketCalendarGet`, which its escalation check asks whether a ticket's calendar
    /// had working time: the SLA's calendar when the ticket has an SLA that names one (whether or
    /// not the service feature is on), else the queue's. Deadlines themselves count in the
    /// calendar of the minutes (`calendar`).
    public static func checkCalendar(queueID: Int, slaID: Int?, catalog: Catalog) -> String {
        if let sla = slaID.flatMap({ catalog.slas[$0] }), !sla.calendar.isEmpty { return sla.calendar }
        return catalog.queues[queueID]?.calendar ?? ""
    }

    /// No deadline of any kind.
    public var isNone: Bool { firstResponse == 0 && update == 0 && solution == 0 }

    /// Whether a ticket in this state has no deadlines at all: Znuny's merged, closed and
    /// removed state types.
    public static func stopped(inState stateID: Int, catalog: Catalog) -> Bool {
        let type = catalog.stateTypeName(ofState: stateID)
        return ["merge", "close", "remove"].contains { type.hasPrefix($0) }
    }

    /// The deadlines of `times` that have been reached at `now` and are shown (Znuny's
    /// `…TimeEscalation` flags of TicketGet; `EscalationDeadline`).
    public static func reached(
        _ times: EscalationTimes, stateID: Int, queueID: Int, slaID: Int?, catalog: Catalog, now: Int64
    ) -> [EscalationKind] {
        EscalationDeadline.shown(times, stateID: stateID, queueID: queueID, slaID: slaID, catalog: catalog, now: now)
            .filter(\.isReached).map(\.kind)
    }

    private static func bounded(_ minutes: Int) -> Int { min(max(minutes, allowed.lowerBound), allowed.upperBound) }

    /// Minutes a queue or SLA may set: 0 (none) to the largest value of Znuny's integer column.
    public static let allowed = 0...Int(Int32.max)

    /// Refuses minutes outside `allowed` (nil: not given).
    public static func check(_ minutes: [Int?]) throws {
        for value in minutes.compactMap({ $0 }) where !allowed.contains(value) {
            throw DeskError.invalid(.other("minutes"), .outOfRange("0 to \(allowed.upperBound)"))
        }
    }
}
