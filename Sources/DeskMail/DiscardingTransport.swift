import DeskCore

/// Znuny's `SendmailModule DoNotSendEmail` (`Kernel::System::Email::DoNotSendEmail`): every
/// message is composed (so signing and encryption still run and fail as they would) and then
/// dropped, and the outbox records it as sent. For test and staging systems, and for
/// benchmarks against helpdesks whose mail goes nowhere.
public struct DiscardingTransport: MailTransport {
    public init() {}

    public func deliver(_ message: String, from sender: String, to recipients: [String]) async -> DeliveryOutcome {
        .sent(answer: "not sent (SendmailModule DoNotSendEmail)")
    }
}
