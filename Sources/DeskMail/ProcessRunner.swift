import Foundation

/// Runs a program (no shell) with bytes on its standard input and collects what it writes. The
/// mail code's helpers: sendmail, gpg and openssl.
enum ProcessRunner {
    struct Result {
        var status: Int32
        var output: Data
        var errorOutput: String
    }

    /// Runs `executable` on a libdispatch thread, off the concurrency pool.
    static func run(
        _ executable: String, _ arguments: [String], input: Data = Data(), environment: [String: String]? = nil
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try runBlocking(executable, arguments, input: input, environment: environment) })
            }
        }
    }

    static func runBlocking(_ executable: String, _ arguments: [String], input: Data, environment: [String: String]?) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Write and read concurrently so neither side blocks on a full pipe.
        let writer = DispatchQueue(label: "swiftdesk.process.stdin")
        writer.async {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        let errors = Collected()
        let errorReader = DispatchQueue(label: "swiftdesk.process.stderr")
        let group = DispatchGroup()
        group.enter()
        errorReader.async {
            errors.data = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: output, errorOutput: String(decoding: errors.data, as: UTF8.self))
    }

    /// What the standard-error reader collects; written once before `group.leave()`, read after `group.wait()`.
    private final class Collected: @unchecked Sendable {
        var data = Data()
    }

    /// The first of `candidates` that is an executable file (`/usr/bin/gpg`, …), else the first.
    static func find(_ name: String) -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for directory in directories + ["/usr/bin", "/usr/local/bin", "/bin"] {
            let path = (directory as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "/usr/bin/" + name
    }
}

/// A temporary directory removed when the value is dropped (`close()`).
final class ScratchDirectory {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("swiftdesk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
        return target
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
