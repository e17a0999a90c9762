import DeskCore
import DeskFaceKit
import Foundation
import Logging

/// Server settings, layered: command line → environment → config file → defaults.
///
/// | key (env / file)          | flag               | default                          |
/// |---------------------------|--------------------|----------------------------------|
/// | `SWIFTDESK_HOST`          | `--host`           | `127.0.0.1`                      |
/// | `SWIFTDESK_PORT`          | `--port`           | `8080`                           |
/// | `DATABASE_URL`            | `--database-url`   | `sqlite:./data/swiftdesk.sqlite` |
/// | `SWIFTDESK_MAX_BODY_SIZE` | `--max-body-size`  | `33554432` (32 MiB)              |
/// | `SWIFTDESK_LOG_LEVEL`     | `--log-level`      | `info`                           |
/// | `SWIFTDESK_MIGRATE`       | `--no-migrate`     | `1` (apply migrations at start)  |
/// | `SWIFTDESK_TRUSTED_PROXIES` | `--trusted-proxies` | empty (trust no `X-Forwarded-For`) |
///
/// The config file (`--config FILE` or `SWIFTDESK_CONFIG`) holds `KEY=VALUE` lines with the
/// environment names above; `#` starts a comment.
public struct AppConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var databaseURL: String = "sqlite:./data/swiftdesk.sqlite"
    public var maxBodySize: Int = 32 * 1024 * 1024
    public var logLevel: Logger.Level = .info
    public var migrate: Bool = true
    /// Proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names the client.
    public var trustedProxies = TrustedProxies()

    /// What the faces get from the configuration.
    public var faceEnvironment: FaceEnvironment {
        FaceEnvironment(trustedProxies: trustedProxies)
    }

    public init() {}

    /// Applies `KEY=VALUE` settings (from the environment or a file) over the current values.
    public mutating func apply(_ values: [String: String]) throws {
        if let host = values["SWIFTDESK_HOST"], !host.isEmpty { self.host = host }
        if let text = values["SWIFTDESK_PORT"], !text.isEmpty {
            guard let port = Int(text), (0...65_535).contains(port) else { throw ConfigurationError.invalid("SWIFTDESK_PORT", text) }
            self.port = port
        }
        if let url = values["DATABASE_URL"], !url.isEmpty { databaseURL = url }
        if let text = values["SWIFTDESK_MAX_BODY_SIZE"], !text.isEmpty {
            guard let size = Int(text), size > 0 else { throw ConfigurationError.invalid("SWIFTDESK_MAX_BODY_SIZE", text) }
            maxBodySize = size
        }
        if let text = values["SWIFTDESK_LOG_LEVEL"], !text.isEmpty {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError.invalid("SWIFTDESK_LOG_LEVEL", text)
            }
            logLevel = level
        }
        if let text = values["SWIFTDESK_MIGRATE"], !text.isEmpty { migrate = text != "0" && text.lowercased() != "false" }
        if let text = values["SWIFTDESK_TRUSTED_PROXIES"] {
            let proxies = TrustedProxies(parsing: text)
            for entry in proxies.entries where !IPMatcher.isPattern(entry) {
                throw ConfigurationError.invalid("SWIFTDESK_TRUSTED_PROXIES", entry)
            }
            trustedProxies = proxies
        }
    }

    /// Reads a `KEY=VALUE` file.
    public static func readFile(_ path: String) throws -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigurationError.unreadable(path) }
        var values: [String: String] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let equals = trimmed.firstIndex(of: "=") else { throw ConfigurationError.badLine(path, number + 1) }
            values[String(trimmed[..<equals]).trimmingCharacters(in: .whitespaces)] =
                String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        }
        return values
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
