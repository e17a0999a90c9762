import DeskCore
import Foundation

/// Hands a message to a local `sendmail` (Znuny's `SendmailModule Sendmail`): the command from
/// `SendmailModule::CMD` (split at spaces; `/usr/sbin/sendmail -i -f` by default), then the
/// envelope sender, `--` and the recipients as separate arguments (no shell), the message on
/// standard input. Exit status 0 is sent; `EX_TEMPFAIL` (75), a command that cannot start, one
/// ended by a signal and one still running after 60 seconds (then killed) are transient; any
/// other status is permanent.
public struct SendmailTransport: Sendable {
    public let command: [String]

    public init(command: String) {
        self.command = command.split(separator: " ").map(String.init)
    }

    public func deliver(_ message: String, from sender: String, to recipients: [String]) async -> DeliveryOutcome {
        guard let executable = command.first else { return .permanentFailure(answer: "SendmailModule::CMD is empty") }
        let arguments = Array(command.dropFirst()) + [sender, "--"] + recipients
        let data = Data(message.replacingOccurrences(of: "\r\n", with: "\n").utf8)
        let result: ProcessRunner.Result
        do {
            result = try await ProcessRunner.run(executable, arguments, input: data)
        } catch {
            return .transientFailure(answer: "\(executable): \(error)")
        }
        let said = (String(decoding: result.output.prefix(1000), as: UTF8.self) + result.errorOutput.prefix(1000)).trimmingSpaces
        let ended =
            result.timedOut
            ? "was killed after \(ProcessRunner.defaultTimeout.components.seconds) seconds"
            : result.signal.map { "was ended by signal \($0)" } ?? "exited with \(result.status)"
        let answer = "\(executable) \(ended)" + (said.isEmpty ? "" : ": \(said)")
        if result.signal != nil { return .transientFailure(answer: answer) }
        switch result.status {
        case 0: return .sent(answer: answer)
        case 75: return .transientFailure(answer: answer)
        default: return .permanentFailure(answer: answer)
        }
    }
}
