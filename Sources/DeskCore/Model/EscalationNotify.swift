/// A queue's or SLA's notify-before percentages, Znuny's "notify by" (`FirstResponseNotify`,
/// `UpdateNotify`, `SolutionNotify`): once this share of a deadline's minutes has passed in
/// working time, the deadline is near. TicketGet then shows `…TimeNotification` and the
/// escalation check writes `Escalation…TimeNotifyBefore`. 0: never near, only reached.
public struct EscalationNotify: Sendable, Hashable, Codable {
    public var firstResponse: Int
    public var update: Int
    public var solution: Int

    public init(firstResponse: Int = 0, update: Int = 0, solution: Int = 0) {
        (self.firstResponse, self.update, self.solution) = (firstResponse, update, solution)
    }

    /// No percentages.
    public static let none = EscalationNotify()

    public subscript(kind: EscalationKind) -> Int {
        switch kind {
        case .firstResponse: firstResponse
        case .update: update
        case .solution: solution
        }
    }

    /// Percentages a queue or SLA may set: Znuny's admin screens offer 10 to 90 in steps of 10;
    /// its column takes any small integer, and any percentage up to 100 works alike.
    public static let allowed = 0...100

    /// Refuses percentages outside `allowed` (nil: not given).
    public static func check(_ percentages: [Int?]) throws {
        for value in percentages.compactMap({ $0 }) where !allowed.contains(value) {
            throw DeskError.invalid(.other("notify"), .outOfRange("0 to 100 (per cent)"))
        }
    }
}
