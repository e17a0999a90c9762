import DeskCore
import Foundation
import Testing

@testable import DeskMail

/// The helper programs' runner (sendmail, gpg, openssl) against programs that misbehave.
@Suite("Running helper programs")
struct ProcessRunnerTests {
    static let sh = "/bin/sh"

    @Test("input in, output out, several megabytes each way")
    func roundTrip() async throws {
        let input = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let result = try await ProcessRunner.run("/bin/cat", [], input: input)
        #expect(result.status == 0 && result.signal == nil && !result.timedOut)
        #expect(result.output == input)
    }

    @Test("a program that exits without reading its input is its exit status, not a crash")
    func unreadInput() async throws {
        let result = try await ProcessRunner.run(Self.sh, ["-c", "exit 3"], input: Data(count: 4_000_000))
        #expect(result.status == 3)
    }

    @Test("a program past its time is killed with its children")
    func timeout() async throws {
        let start = ContinuousClock.now
        let result = try await ProcessRunner.run(Self.sh, ["-c", "sleep 30; echo never"], timeout: .milliseconds(300))
        #expect(result.timedOut && result.signal == SIGKILL)
        // Well before the 30 s the child would sleep: under a loaded machine (the PostgreSQL
        // suite beside it) starting and reaping the shell once took 11.7 s.
        #expect(ContinuousClock.now - start < .seconds(25))
    }

    @Test("the program starts with none of the standard signals blocked or ignored")
    func signals() async throws {
        let result = try await ProcessRunner.run(Self.sh, ["-c", "grep -E '^Sig(Blk|Ign)' /proc/self/status"])
        let masks = String(decoding: result.output, as: UTF8.self).split(separator: "\n").map {
            UInt64($0.split(separator: "\t").last ?? "", radix: 16)
        }
        #expect(masks.count == 2)
        // Signals 1–31 (glibc keeps 32 and 33 for itself).
        for mask in masks { #expect(mask.map { $0 & 0x7fff_ffff } == 0, "\(masks)") }
    }

    @Test("a program that cannot start throws")
    func missing() async throws {
        await #expect(throws: ProcessRunner.StartFailure.self) {
            try await ProcessRunner.run("/nonexistent/sendmail", [])
        }
    }

    @Test("sendmail: exit 0 sent, 75 and signals tried again, other statuses failed")
    func sendmailOutcomes() async throws {
        func outcome(_ script: String) async -> DeliveryOutcome {
            await SendmailTransport(command: "\(Self.sh) \(script)").deliver("Subject: x\r\n\r\nbody\r\n", from: "a@b", to: ["c@d"])
        }
        let dir = try ScratchDirectory()
        func script(_ name: String, _ body: String) throws -> String {
            let path = try dir.write(name, "#!/bin/sh\n\(body)\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
            return path
        }
        func kind(_ outcome: DeliveryOutcome) -> String {
            switch outcome {
            case .sent: "sent"
            case .transientFailure: "later"
            case .permanentFailure: "failed"
            }
        }
        #expect(kind(await outcome(try script("ok", "cat > /dev/null; exit 0"))) == "sent")
        #expect(kind(await outcome(try script("tempfail", "exit 75"))) == "later")
        let killed = await outcome(try script("killed", "kill -9 $$"))
        #expect(kind(killed) == "later")
        #expect(killed == .transientFailure(answer: "\(Self.sh) was ended by signal 9"))
        #expect(kind(await outcome(try script("refused", "exit 67"))) == "failed")
    }
}
