/// One of a ticket's deadlines as Znuny's `TicketEscalationDateCalculation` shows it at `now`:
/// what TicketGet lists under `FirstResponse…`, `Update…` and `Solution…`, and what the
/// escalation check acts on.
public struct EscalationDeadline: Sendable, Equatable {
    public var kind: EscalationKind
    /// The deadline, Unix seconds.
    public var destination: Int64
    /// Seconds until it; 0 or negative once reached.
    public var remaining: Int64
    /// Working seconds until it, in the ticket's working calendar (its SLA's or queue's); once
    /// reached, minus the working seconds since.
    public var working: Int64
    /// Near but not reached: the queue's or SLA's notify-before percentage of the deadline's
    /// minutes has passed in working time (`…TimeNotification`).
    public var isNear: Bool

    /// Reached (`…TimeEscalation`).
    public var isReached: Bool { remaining <= 0 }

    /// The deadlines the ticket shows at `now`, in Znuny's order: none in a merged, closed or
    /// removed state or when its queue's (or SLA's) minutes are all 0; of the others those with
    /// a stored time. Znuny's test for "near": `100 - working / (minutes × 60 / 100) >= percentage`.
    public static func shown(
        _ times: EscalationTimes, stateID: Int, queueID: Int, slaID: Int?, catalog: Catalog, now: Int64
    ) -> [EscalationDeadline] {
        guard !EscalationMinutes.stopped(inState: stateID, catalog: catalog) else { return [] }
        let minutes = EscalationMinutes(queueID: queueID, slaID: slaID, catalog: catalog)
        guard !minutes.isNone else { return [] }
        let calendar = catalog.workingCalendar(named: minutes.calendar)
        return EscalationKind.allCases.compactMap { kind in
            let destination = times[kind]
            guard destination > 0 else { return nil }
            let remaining = destination - now
            guard remaining > 0 else {
                return EscalationDeadline(
                    kind: kind, destination: destination, remaining: remaining,
                    working: -calendar.seconds(from: destination, to: now), isNear: false)
            }
            let working = calendar.seconds(from: now, to: destination)
            let (percentage, total) = (Int64(minutes.notify[kind]), Int64(minutes[kind]) * 60)
            let near = percentage > 0 && total > 0 && 100 * working <= (100 - percentage) * total
            return EscalationDeadline(kind: kind, destination: destination, remaining: remaining, working: working, isNear: near)
        }
    }

    /// How far ahead of `now` the escalation check must look for deadlines that may be near:
    /// up to the latest instant at which the notify-before share of a queue's or SLA's minutes,
    /// in its calendar's working time, lies ahead (nil: no queue or SLA notifies before).
    public static func nearHorizon(catalog: Catalog, now: Int64) -> Int64? {
        // The largest lead per calendar.
        var leads: [Int: Int64] = [:]
        let sources: [any EscalationSettings] = catalog.queues.all + catalog.slas.all
        for source in sources {
            for kind in EscalationKind.allCases where source.notify[kind] > 0 && source.minutes(kind) > 0 {
                let total = Int64(min(source.minutes(kind), EscalationMinutes.allowed.upperBound)) * 60
                let lead = total * Int64(100 - min(source.notify[kind], 100)) / 100
                let index = Catalog.calendarIndex(named: source.calendar)
                leads[index] = max(leads[index] ?? 0, lead)
            }
        }
        // One second more reaches past any non-working stretch right after the lead.
        return leads.map { index, lead in catalog.workingCalendars[index].destination(from: now, adding: lead + 1) }.max()
    }
}
