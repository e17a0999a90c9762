import DeskCore
import Foundation
import Synchronization
import Testing

@testable import DeskMail

#if canImport(Glibc)
    import Glibc
#endif

/// The SMTP client against a scripted server on a loopback socket.
@Suite("SMTP conversation")
struct SMTPClientTests {
    /// Accepts one connection, greets, and answers each command line with `answer(line)`; after
    /// `354` it reads the data up to the lone dot and answers `250`.
    final class ScriptedServer: Sendable {
        /// The command lines received, in order.
        final class Log: Sendable {
            let lines = Mutex<[String]>([])
        }

        let port: Int
        private let listener: Int32
        let commands = Log()

        init(answer: @escaping @Sendable (String) -> String) throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.listener = listener
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var size = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(listener, pointer, size) == 0 && listen(listener, 1) == 0 && getsockname(listener, pointer, &size) == 0
                }
            }
            guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
            port = Int(UInt16(bigEndian: address.sin_port))
            let commands = commands
            Thread.detachNewThread {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                defer { close(connection) }
                func send(_ text: String) { _ = text.withCString { write(connection, $0, strlen($0)) } }
                var pending = [UInt8]()
                var inData = false
                send("220 scripted ESMTP\r\n")
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = read(connection, &buffer, buffer.count)
                    guard count > 0 else { return }
                    pending += buffer[0..<count]
                    while let end = pending.firstIndex(of: 10) {
                        let line = String(decoding: pending[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                        pending.removeSubrange(...end)
                        if inData {
                            if line == "." {
                                inData = false
                                send("250 queued\r\n")
                            }
                            continue
                        }
                        commands.lines.withLock { $0.append(line) }
                        let reply = answer(line)
                        send(reply + "\r\n")
                        if reply.hasPrefix("354") { inData = true }
                        if line == "QUIT" { return }
                    }
                }
            }
        }

        deinit { close(listener) }
    }

    @Test("a server that refuses EHLO with 5xx is greeted with HELO and takes the message")
    func heloFallback() async throws {
        let server = try ScriptedServer { line in
            switch line.prefix(4) {
            case "EHLO": "502 5.5.1 EHLO not implemented"
            case "HELO", "MAIL", "RCPT": "250 ok"
            case "DATA": "354 go ahead"
            default: "221 bye"
            }
        }
        let client = SMTPClient(SMTPConfiguration(host: "127.0.0.1", port: server.port, security: .none, heloName: "desk.example"))
        let outcome = await client.deliver("Subject: x\r\n\r\nbody\r\n", from: "a@example.com", to: ["b@example.com"])
        #expect(outcome == .sent(answer: "250 queued"))
        #expect(
            server.commands.lines.withLock { Array($0.prefix(3)) } == [
                "EHLO desk.example", "HELO desk.example", "MAIL FROM:<a@example.com>",
            ])
    }
}
