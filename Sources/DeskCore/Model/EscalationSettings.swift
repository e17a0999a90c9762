/// What sets a ticket's escalation minutes, notify-before percentages and working calendar: its
/// queue, or its SLA (`EscalationMinutes`).
public protocol EscalationSettings {
    var firstResponseMinutes: Int { get }
    var updateMinutes: Int { get }
    var solutionMinutes: Int { get }
    var notify: EscalationNotify { get }
    var calendar: String { get }
}

extension EscalationSettings {
    /// The minutes of one kind of deadline (0: none).
    public func minutes(_ kind: EscalationKind) -> Int {
        switch kind {
        case .firstResponse: firstResponseMinutes
        case .update: updateMinutes
        case .solution: solutionMinutes
        }
    }
}

extension Queue: EscalationSettings {}
extension SLA: EscalationSettings {}
