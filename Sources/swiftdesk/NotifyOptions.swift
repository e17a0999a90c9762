import ArgumentParser
import DeskCore

/// `--first-response-notify`, `--update-notify`, `--solution-notify`: a queue's or SLA's
/// notify-before percentages (Znuny's "notify by", `EscalationNotify`).
struct NotifyOptions: ParsableArguments {
    @Option(help: "Per cent of the first response time after which the deadline is near (0: never; Znuny offers 10 to 90).")
    var firstResponseNotify: Int?
    @Option(help: "Per cent of the update time after which the deadline is near (0: never).") var updateNotify: Int?
    @Option(help: "Per cent of the solution time after which the deadline is near (0: never).") var solutionNotify: Int?

    var isEmpty: Bool { firstResponseNotify == nil && updateNotify == nil && solutionNotify == nil }

    /// `change` with these percentages.
    func applied(to change: AdminService.MinutesChange) -> AdminService.MinutesChange {
        var change = change
        (change.firstResponseNotify, change.updateNotify, change.solutionNotify) = (firstResponseNotify, updateNotify, solutionNotify)
        return change
    }

    /// The percentages for a new queue (not given: 0).
    var value: EscalationNotify {
        EscalationNotify(firstResponse: firstResponseNotify ?? 0, update: updateNotify ?? 0, solution: solutionNotify ?? 0)
    }
}

extension EscalationNotify {
    /// `notify 80/0/90 %` for listings (first response, update, solution).
    var listing: String { "notify \(firstResponse)/\(update)/\(solution) %" }
}
