import DeskServer
import Foundation
import Testing

@Suite("Server configuration")
struct ConfigurationTests {
    @Test("flags beat the environment, the environment beats the file, the file beats the defaults")
    func layers() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swiftdesk-\(UUID().uuidString).env")
        try """
        # comment
        SWIFTDESK_PORT=9001
        SWIFTDESK_HOST=0.0.0.0
        SWIFTDESK_LOG_LEVEL=debug
        SWIFTDESK_TRUSTED_PROXIES=10.0.0.0/8
        """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let defaults = try await AppConfiguration.load(environment: [:])
        #expect(defaults.port == 8080 && defaults.host == "127.0.0.1" && defaults.databaseURL == "sqlite:./data/swiftdesk.sqlite")
        let configured = try await AppConfiguration.load(
            flags: ["SWIFTDESK_PORT": "9003"],
            environment: ["SWIFTDESK_PORT": "9002", "SWIFTDESK_HOST": "::1", "DATABASE_URL": "sqlite:/tmp/x.sqlite"],
            file: file.path)
        #expect(configured.port == 9003)
        #expect(configured.host == "::1")
        #expect(configured.logLevel == .debug)
        #expect(configured.databaseURL == "sqlite:/tmp/x.sqlite")
        #expect(configured.trustedProxies.contains("10.1.2.3"))
        let fromFile = try await AppConfiguration.load(environment: ["SWIFTDESK_CONFIG": file.path])
        #expect(fromFile.port == 9001)
        await #expect(throws: ConfigurationError.self) {
            try await AppConfiguration.load(flags: ["SWIFTDESK_PORT": "http"], environment: [:])
        }
        await #expect(throws: ConfigurationError.self) {
            try await AppConfiguration.load(flags: ["SWIFTDESK_TRUSTED_PROXIES": "proxy.example.com"], environment: [:])
        }
        #expect(defaults.mailConnections == 4)
        #expect(try await AppConfiguration.load(environment: ["SWIFTDESK_MAIL_CONNECTIONS": "16"]).mailConnections == 16)
        for invalid in ["0", "65", "four"] {
            await #expect(throws: ConfigurationError.self) {
                try await AppConfiguration.load(environment: ["SWIFTDESK_MAIL_CONNECTIONS": invalid])
            }
        }
        #expect(defaults.pendingCheckSeconds == 60 && defaults.escalationRebuildSeconds == 60 && defaults.escalationCheckSeconds == 300)
        let intervals = try await AppConfiguration.load(environment: [
            "SWIFTDESK_PENDING_CHECK_SECONDS": "0", "SWIFTDESK_ESCALATION_REBUILD_SECONDS": "300",
        ])
        #expect(intervals.pendingCheckSeconds == 0 && intervals.escalationRebuildSeconds == 300)
        for invalid in ["-1", "86401", "soon"] {
            await #expect(throws: ConfigurationError.self) {
                try await AppConfiguration.load(environment: ["SWIFTDESK_ESCALATION_REBUILD_SECONDS": invalid])
            }
        }
        try "SWIFTDESK_PORT 9001\n".write(to: file, atomically: true, encoding: .utf8)
        await #expect(throws: ConfigurationError.self) { try await AppConfiguration.load(environment: [:], file: file.path) }
        await #expect(throws: ConfigurationError.self) {
            try await AppConfiguration.load(environment: [:], file: "/nonexistent/swiftdesk.env")
        }
    }

    @Test("a config file with CR LF line ends reads as with LF; a bad line is named by its number")
    func windowsLineEnds() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swiftdesk-\(UUID().uuidString).env")
        defer { try? FileManager.default.removeItem(at: file) }
        try "# written on Windows\r\nSWIFTDESK_PORT = 9001\r\nSWIFTDESK_HOST=0.0.0.0\r\nSWIFTDESK_PORT=9004\r\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let configured = try await AppConfiguration.load(environment: [:], file: file.path)
        #expect(configured.port == 9004)
        #expect(configured.host == "0.0.0.0")
        try "# written on Windows\r\nSWIFTDESK_PORT=9001\r\nSWIFTDESK_HOST 0.0.0.0\r\n".write(to: file, atomically: true, encoding: .utf8)
        let error = await #expect(throws: ConfigurationError.self) { try await AppConfiguration.load(environment: [:], file: file.path) }
        #expect(error?.description == "\(file.path):3: expected KEY=VALUE")
    }

    @Test("the database URL is shown without its password")
    func urlForDisplay() {
        var configuration = AppConfiguration()
        let shown: [String: String] = [
            "postgres://swiftdesk:s3cret@db.example:5432/desk?sslmode=disable":
                "postgres://swiftdesk:***@db.example:5432/desk?sslmode=disable",
            "postgresql://u:p@ss:w@rd@h/d": "postgresql://u:***@h/d",
            "postgres://swiftdesk@127.0.0.1/postgres": "postgres://swiftdesk@127.0.0.1/postgres",
            "postgres://h/d?user=a@b": "postgres://h/d?user=a@b",
            "sqlite:./data/swiftdesk.sqlite": "sqlite:./data/swiftdesk.sqlite",
        ]
        for (url, display) in shown {
            configuration.databaseURL = url
            #expect(configuration.databaseURLForDisplay == display)
        }
    }
}
