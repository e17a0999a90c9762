import DeskCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how to reach the mail server: Znuny's `SendmailModule` settings.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: Sendable, Equatable {
        /// Plain SMTP (`SMTP`).
        case none
        /// TLS from the first byte (`SMTPS`, usually port 465).
        case implicitTLS
        /// `STARTTLS` after the greeting (`SMTPTLS`, usually port 587); refused when the server does not offer it.
        case startTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var user: String
    public var password: String
    /// The name this system gives in `EHLO` (its FQDN).
    public var heloName: String
    /// The longest a whole delivery may take.
    public var timeout: Duration

    public init(
        host: String, port: Int, security: Security, user: String = "", password: String = "", heloName: String = "localhost",
        timeout: Duration = .seconds(60)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
    }
}

/// One SMTP conversation per message (RFC 5321): greeting, EHLO (HELO when the server refuses
/// EHLO with a 5xx answer, as Net::SMTP does; such a server offers no extensions), STARTTLS
/// when configured, AUTH PLAIN or LOGIN when a user is set, MAIL FROM, RCPT TO for each
/// recipient, DATA with dot-stuffing, QUIT. A 5xx answer is a permanent failure, anything else
/// that goes wrong (4xx, connection, TLS, timeout) a transient one.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration

    public init(_ configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    public func deliver(_ message: String, from sender: String, to recipients: [String]) async -> DeliveryOutcome {
        do {
            let answer = try await withTimeout(configuration.timeout) {
                try await self.converse(message, from: sender, to: recipients)
            }
            return .sent(answer: answer)
        } catch let reply as SMTPReply {
            return reply.code >= 500 ? .permanentFailure(answer: reply.description) : .transientFailure(answer: reply.description)
        } catch {
            return .transientFailure(answer: "\(configuration.host):\(configuration.port): \(error)")
        }
    }

    private func converse(_ message: String, from sender: String, to recipients: [String]) async throws -> String {
        let host = configuration.host
        // The system's trust store is loaded only when the connection uses TLS.
        let tls = configuration.security == .none ? nil : try NIOSSLContext(configuration: .makeClientConfiguration())
        let implicit = configuration.security == .implicitTLS
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(15))
            .connect(host: host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicit, let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host)))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var replies = SMTPReplyReader(inbound.makeAsyncIterator())
            func command(_ line: String, expect: ClosedRange<Int>) async throws -> SMTPReply {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                return try await replies.next().expect(expect)
            }
            func hello() async throws -> SMTPReply {
                try await outbound.write(ByteBuffer(string: "EHLO \(configuration.heloName)\r\n"))
                let reply = try await replies.next()
                guard (500...599).contains(reply.code) else { return try reply.expect(250...250) }
                return try await command("HELO \(configuration.heloName)", expect: 250...250)
            }
            _ = try await replies.next().expect(220...220)
            var greeting = try await hello()
            if configuration.security == .startTLS {
                guard greeting.lines.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw SMTPReply(code: 454, lines: ["the server does not offer STARTTLS (SendmailModule SMTPTLS)"])
                }
                _ = try await command("STARTTLS", expect: 220...220)
                guard let tls else { throw SMTPReply(code: 454, lines: ["no TLS context"]) }
                // The handler is made on the channel's event loop: it is not Sendable.
                let serverHostname = Self.sniName(host)
                let connection = channel.channel
                try await connection.eventLoop.submit {
                    try connection.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: tls, serverHostname: serverHostname), position: .first)
                }.get()
                greeting = try await hello()
            }
            if !configuration.user.isEmpty {
                let methods = greeting.lines.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased().split(separator: " ") ?? []
                if methods.contains("PLAIN") || !methods.contains("LOGIN") {
                    let token = Data(("\0" + configuration.user + "\0" + configuration.password).utf8).base64EncodedString()
                    _ = try await command("AUTH PLAIN \(token)", expect: 235...235)
                } else {
                    _ = try await command("AUTH LOGIN", expect: 334...334)
                    _ = try await command(Data(configuration.user.utf8).base64EncodedString(), expect: 334...334)
                    _ = try await command(Data(configuration.password.utf8).base64EncodedString(), expect: 235...235)
                }
            }
            _ = try await command("MAIL FROM:<\(sender)>", expect: 250...250)
            for recipient in recipients {
                _ = try await command("RCPT TO:<\(recipient)>", expect: 250...251)
            }
            _ = try await command("DATA", expect: 354...354)
            let accepted = try await command(Self.dotStuffed(message) + ".", expect: 250...250)
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
            return accepted.description
        }
    }

    /// The message with a dot added before each line that starts with one, ending in CRLF.
    static func dotStuffed(_ message: String) -> String {
        var lines = message.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n"
    }

    /// SNI takes host names only, not addresses.
    static func sniName(_ host: String) -> String? {
        host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) ? nil : host
    }
}

/// A (possibly multi-line) SMTP reply; thrown when it is not the expected one.
struct SMTPReply: Error, CustomStringConvertible {
    var code: Int
    var lines: [String]

    var description: String { lines.isEmpty ? String(code) : lines.map { "\(code) \($0)" }.joined(separator: " / ") }

    func expect(_ codes: ClosedRange<Int>) throws -> SMTPReply {
        guard codes.contains(code) else { throw self }
        return self
    }
}

/// Reads replies line by line from the connection (CRLF or LF line ends), at most 64 KiB a reply.
struct SMTPReplyReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func next() async throws -> SMTPReply {
        var lines: [String] = []
        var code = 0
        while true {
            let line = try await nextLine()
            guard line.count >= 3, let value = Int(line.prefix(3)) else { throw SMTPReply(code: 421, lines: ["unreadable reply: \(line)"]) }
            code = value
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return SMTPReply(code: code, lines: lines) }
        }
    }

    mutating func nextLine() async throws -> String {
        while true {
            if let end = pending.firstIndex(of: 0x0A) {
                var line = Array(pending[..<end])
                pending.removeSubrange(...end)
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard pending.count < 65_536 else { throw SMTPReply(code: 421, lines: ["reply too long"]) }
            guard let buffer = try await iterator.next() else { throw SMTPReply(code: 421, lines: ["connection closed by the server"]) }
            pending += buffer.readableBytesView
        }
    }
}

/// Runs `operation`, cancelling it after `timeout`.
func withTimeout<T: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw SMTPReply(code: 421, lines: ["timed out after \(timeout)"])
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
