import Foundation
import Logging

/// Writes log lines in the format of swift-log's `StreamLogHandler`
/// (`2026-12-02T02:02:31+0000 info swiftdesk: face=znuny operation=TicketGet [DeskServer] request`),
/// but formats a logger's metadata only when a line is written.
///
/// `StreamLogHandler` formats the whole metadata set again whenever a key changes. Every request
/// sets three keys (`hb.request.id`, `face`, `operation`) and, at the default level, writes no
/// line at all: that formatting was ~2 % of a TicketGet's server CPU.
public struct LogLineHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: Output

    /// Where the lines go: standard error, or (tests) a function.
    public enum Output: Sendable {
        case standardError
        case lines(@Sendable (String) -> Void)
    }

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, output: Output = .standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { all.merge(provided) { $1 } }
        if let explicit = event.metadata, !explicit.isEmpty { all.merge(explicit) { $1 } }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let pretty = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Self.timestamp()) \(event.level)\(label.isEmpty ? "" : " ")\(label):\(pretty) [\(event.source)] \(event.message)\n"
        switch output {
        // Never a crash for a closed standard error (`write(_:)` would trap), as `fwrite` would not.
        case .standardError: try? FileHandle.standardError.write(contentsOf: Data(line.utf8))
        case .lines(let write): write(line)
        }
    }

    /// Local time as `StreamLogHandler` writes it (`%Y-%m-%dT%H:%M:%S%z`).
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        guard localtime_r(&now, &parts) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
