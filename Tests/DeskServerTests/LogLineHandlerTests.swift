import DeskServer
import Logging
import Synchronization
import Testing

@Suite("Log lines")
struct LogLineHandlerTests {
    /// Collects the lines a logger writes.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    func logger(_ lines: Lines, level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "swiftdesk") { LogLineHandler(label: $0, output: .lines(lines.append)) }
        logger.logLevel = level
        return logger
    }

    @Test("a line as swift-log's StreamLogHandler writes it: time, level, label, sorted metadata, source, message")
    func format() throws {
        let lines = Lines()
        var logger = logger(lines)
        logger[metadataKey: "operation"] = "TicketGet"
        logger[metadataKey: "face"] = "znuny"
        logger.info("request", metadata: ["status": "200", "face": "server"], source: "DeskServer")
        let line = try #require(lines.all.first)
        let match = try #require(line.wholeMatch(of: /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}) (.*)\n/))
        // Explicit metadata wins over the logger's own; keys sorted.
        #expect(match.2 == "info swiftdesk: face=server operation=TicketGet status=200 [DeskServer] request")
    }

    @Test("no metadata, an error, and lines below the level not written")
    func errorsAndLevels() throws {
        let lines = Lines()
        let logger = logger(lines, level: .warning)
        logger.info("not written")
        logger.warning("plain", source: "DeskMail")
        logger.error("failed", error: DiskFull(), source: "DeskMail")
        #expect(lines.all.count == 2)
        #expect(lines.all[0].hasSuffix(" warning swiftdesk: [DeskMail] plain\n"))
        #expect(
            lines.all[1].hasSuffix(
                " error swiftdesk: error.message=disk full error.type=DeskServerTests.DiskFull [DeskMail] failed\n"))
    }
}

struct DiskFull: Error, CustomStringConvertible {
    var description: String { "disk full" }
}
