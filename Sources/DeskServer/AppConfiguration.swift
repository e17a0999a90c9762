import Configuration
import DeskCore
import DeskFaceKit
import Foundation
import Logging

/// Server settings, layered with swift-configuration: command line → environment → config file →
/// defaults (the first that has a key wins).
///
/// | key (env / file)            | flag                 | default                            |
/// |-----------------------------|----------------------|------------------------------------|
/// | `SWIFTDESK_HOST`            | `--host`             | `127.0.0.1`                        |
/// | `SWIFTDESK_PORT`            | `--port`             | `8080`                             |
/// | `DATABASE_URL`              | `--database-url`     | `sqlite:./data/swiftdesk.sqlite`   |
/// | `SWIFTDESK_MAX_BODY_SIZE`   | `--max-body-size`    | `33554432` (32 MiB)                |
/// | `SWIFTDESK_LOG_LEVEL`       | `--log-level`        | `info`                             |
/// | `SWIFTDESK_MIGRATE`         | `--no-migrate`       | `1` (apply migrations at start)    |
/// | `SWIFTDESK_TRUSTED_PROXIES` | `--trusted-proxies`  | empty (trust no `X-Forwarded-For`) |
/// | `SWIFTDESK_OSTICKET_ROOT`   | `--osticket-root`    | empty (osTicket API at `/api/…`)   |
/// | `SWIFTDESK_DJHD_PREFIX`     | `--djhd-prefix`      | empty (django-helpdesk at `/api/…`) |
/// | `SWIFTDESK_WHMCS_ROOT`      | `--whmcs-root`       | empty (WHMCS at `/includes/api.php`) |
/// | `SWIFTDESK_MAIL_SENDER`     |                      | `1` (this process delivers the outbox) |
/// | `SWIFTDESK_MAIL_RETRY_SECONDS` |                   | `60` (first retry; doubles up to an hour) |
/// | `SWIFTDESK_MAIL_CONNECTIONS` |                     | `4` (messages this process delivers at once) |
/// | `SWIFTDESK_MAIL_TEMPLATES`  |                      | empty (the built-in notification templates) |
/// | `SWIFTDESK_PENDING_CHECK_SECONDS` |                | `60` (pending reminders and auto states; 0: off) |
///
/// The config file (`--config FILE` or `SWIFTDESK_CONFIG`) holds `KEY=VALUE` lines with the
/// environment names above; `#` starts a comment.
public struct AppConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var databaseURL: String = "sqlite:./data/swiftdesk.sqlite"
    /// `databaseURL` as the server shows it: a password in it (`postgres://user:secret@host/db`)
    /// replaced by `***`.
    public var databaseURLForDisplay: String { Self.hidingPassword(in: databaseURL) }
    public var maxBodySize: Int = 32 * 1024 * 1024
    public var logLevel: Logger.Level = .info
    public var migrate: Bool = true
    /// Proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names the client.
    public var trustedProxies = TrustedProxies()
    /// The path before osTicket's `/api` (`/support` serves `/support/api/tickets.json`).
    public var osticketRoot = ""
    /// Where django-helpdesk's URLs are mounted (`/helpdesk` serves `/helpdesk/api/tickets/`).
    public var djhdPrefix = ""
    /// The path before WHMCS's `/includes/api.php` (`/billing` serves `/billing/includes/api.php`).
    public var whmcsRoot = ""
    /// Whether this process runs a mail sender (see docs/mail.md); several may, the database
    /// hands each message to one.
    public var mailSender = true
    /// Seconds before the first retry of a message that could not be delivered.
    public var mailRetrySeconds: Int64 = 60
    /// Messages this process's sender delivers at once (SMTP connections or sendmail processes).
    public var mailConnections: Int = 4
    /// A directory of notification templates that replace the built-in ones (docs/mail.md).
    public var mailTemplates = ""
    /// Seconds between pending checks (reminders, pending-auto states); 0 turns them off in this process.
    public var pendingCheckSeconds: Int = 60
    /// Seconds between looks for a requested escalation rebuild (`EscalationRebuildService`);
    /// 0 turns them off in this process.
    public var escalationRebuildSeconds: Int = 60
    /// Seconds between escalation checks (`EscalationCheckService`, Znuny's every five minutes);
    /// 0 turns them off in this process.
    public var escalationCheckSeconds: Int = 300

    public init() {}

    /// What the faces get from the configuration.
    public var faceEnvironment: FaceEnvironment {
        FaceEnvironment(trustedProxies: trustedProxies, mountPoints: ["osticket": osticketRoot, "djhd": djhdPrefix, "whmcs": whmcsRoot])
    }

    /// The keys, as swift-configuration names them (`swiftdesk.host` is `SWIFTDESK_HOST` in the
    /// environment and the file).
    enum Key {
        static let host = "swiftdesk.host"
        static let port = "swiftdesk.port"
        static let databaseURL = "database.url"
        static let maxBodySize = "swiftdesk.max.body.size"
        static let logLevel = "swiftdesk.log.level"
        static let migrate = "swiftdesk.migrate"
        static let trustedProxies = "swiftdesk.trusted.proxies"
        static let osticketRoot = "swiftdesk.osticket.root"
        static let djhdPrefix = "swiftdesk.djhd.prefix"
        static let whmcsRoot = "swiftdesk.whmcs.root"
        static let mailSender = "swiftdesk.mail.sender"
        static let mailRetrySeconds = "swiftdesk.mail.retry.seconds"
        static let mailConnections = "swiftdesk.mail.connections"
        static let mailTemplates = "swiftdesk.mail.templates"
        static let pendingCheckSeconds = "swiftdesk.pending.check.seconds"
        static let escalationRebuildSeconds = "swiftdesk.escalation.rebuild.seconds"
        static let escalationCheckSeconds = "swiftdesk.escalation.check.seconds"
    }

    /// Reads the configuration from `flags` (environment names → values given on the command
    /// line), the process environment and the config file (`file`, else `SWIFTDESK_CONFIG`).
    public static func load(
        flags: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment, file: String? = nil
    )
        async throws -> AppConfiguration
    {
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: flags),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(["DATABASE_URL"])),
        ]
        if let path = file ?? environment["SWIFTDESK_CONFIG"] {
            guard FileManager.default.isReadableFile(atPath: path) else { throw ConfigurationError.unreadable(path) }
            providers.append(EnvironmentVariablesProvider(environmentVariables: try readFile(path)))
        }
        return try AppConfiguration(reader: ConfigReader(providers: providers))
    }

    /// `scheme://user:password@host…` with the password replaced by `***`; anything else as it is.
    static func hidingPassword(in url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return url }
        return String(url[...colon]) + "***" + String(url[at...])
    }

    init(reader: ConfigReader) throws {
        let text = { (key: String) in reader.string(forKey: ConfigKey(key), isSecret: key == Key.databaseURL) }
        if let host = text(Key.host), !host.isEmpty { self.host = host }
        if let value = text(Key.port), !value.isEmpty {
            guard let port = Int(value), (0...65_535).contains(port) else { throw ConfigurationError.invalid("SWIFTDESK_PORT", value) }
            self.port = port
        }
        if let url = text(Key.databaseURL), !url.isEmpty { databaseURL = url }
        if let value = text(Key.maxBodySize), !value.isEmpty {
            guard let size = Int(value), size > 0 else { throw ConfigurationError.invalid("SWIFTDESK_MAX_BODY_SIZE", value) }
            maxBodySize = size
        }
        if let value = text(Key.logLevel), !value.isEmpty {
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                throw ConfigurationError.invalid("SWIFTDESK_LOG_LEVEL", value)
            }
            logLevel = level
        }
        if let value = text(Key.migrate), !value.isEmpty { migrate = value != "0" && value.lowercased() != "false" }
        if let value = text(Key.trustedProxies) {
            let proxies = TrustedProxies(parsing: value)
            for entry in proxies.entries where !IPMatcher.isPattern(entry) {
                throw ConfigurationError.invalid("SWIFTDESK_TRUSTED_PROXIES", entry)
            }
            trustedProxies = proxies
        }
        if let value = text(Key.osticketRoot), !value.isEmpty { osticketRoot = try Self.mountPoint(value, key: "SWIFTDESK_OSTICKET_ROOT") }
        if let value = text(Key.djhdPrefix), !value.isEmpty { djhdPrefix = try Self.mountPoint(value, key: "SWIFTDESK_DJHD_PREFIX") }
        if let value = text(Key.whmcsRoot), !value.isEmpty { whmcsRoot = try Self.mountPoint(value, key: "SWIFTDESK_WHMCS_ROOT") }
        if let value = text(Key.mailSender), !value.isEmpty { mailSender = value != "0" && value.lowercased() != "false" }
        if let value = text(Key.mailRetrySeconds), !value.isEmpty {
            guard let seconds = Int64(value), (1...86_400).contains(seconds) else {
                throw ConfigurationError.invalid("SWIFTDESK_MAIL_RETRY_SECONDS", value)
            }
            mailRetrySeconds = seconds
        }
        if let value = text(Key.mailConnections), !value.isEmpty {
            guard let connections = Int(value), (1...64).contains(connections) else {
                throw ConfigurationError.invalid("SWIFTDESK_MAIL_CONNECTIONS", value)
            }
            mailConnections = connections
        }
        if let value = text(Key.mailTemplates), !value.isEmpty { mailTemplates = value }
        if let seconds = try Self.interval(text(Key.pendingCheckSeconds), key: "SWIFTDESK_PENDING_CHECK_SECONDS") {
            pendingCheckSeconds = seconds
        }
        if let seconds = try Self.interval(text(Key.escalationRebuildSeconds), key: "SWIFTDESK_ESCALATION_REBUILD_SECONDS") {
            escalationRebuildSeconds = seconds
        }
        if let seconds = try Self.interval(text(Key.escalationCheckSeconds), key: "SWIFTDESK_ESCALATION_CHECK_SECONDS") {
            escalationCheckSeconds = seconds
        }
    }

    /// Seconds between runs of a background task: 0 (off) to a day; nil when not given.
    static func interval(_ value: String?, key: String) throws -> Int? {
        guard let value, !value.isEmpty else { return nil }
        guard let seconds = Int(value), (0...86_400).contains(seconds) else { throw ConfigurationError.invalid(key, value) }
        return seconds
    }

    /// `/support/` → `/support`; a path without query, fragment or spaces.
    static func mountPoint(_ value: String, key: String) throws -> String {
        let root = value.hasSuffix("/") ? String(value.dropLast()) : value
        guard root.isEmpty || root.hasPrefix("/"), !root.contains("?"), !root.contains("#"), !root.contains(" ") else {
            throw ConfigurationError.invalid(key, value)
        }
        return root
    }

    /// The settings of a config file: `KEY=VALUE` lines, blank lines and `#` comments, spaces
    /// around keys and values ignored, the last of a repeated key taken (as swift-configuration's
    /// environment-file reader reads them). Read here rather than by that reader because it splits
    /// lines at LF only: a file saved with CR LF line ends came out as one line, its first key
    /// holding the rest of the file, or nothing at all after a leading comment. A line that is
    /// none of these is refused with its number; skipping it, as that reader does, would more
    /// likely hide a mistake than honour a wish.
    static func readFile(_ path: String) throws -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigurationError.unreadable(path) }
        var settings: [String: String] = [:]
        for (number, line) in text.fileLines.enumerated() {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let equals = trimmed.firstIndex(of: "="), trimmed.startIndex != equals else {
                throw ConfigurationError.badLine(path, number + 1)
            }
            settings[trimmed[..<equals].trimmingSpaces] = trimmed[trimmed.index(after: equals)...].trimmingSpaces
        }
        return settings
    }
}

public enum ConfigurationError: Error, CustomStringConvertible {
    case invalid(String, String)
    case unreadable(String)
    case badLine(String, Int)

    public var description: String {
        switch self {
        case .invalid(let key, let value): "invalid value '\(value)' for \(key)"
        case .unreadable(let path): "cannot read config file \(path)"
        case .badLine(let path, let line): "\(path):\(line): expected KEY=VALUE"
        }
    }
}
