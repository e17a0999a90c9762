import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program (no shell) with bytes on its standard input and collects what it writes. The
/// mail code's helpers: sendmail, gpg and openssl.
///
/// The program is started with `posix_spawn`: an empty signal mask and default signal handling
/// (the server's threads block or ignore signals a child must not inherit, or `kill` could not
/// stop it), in a process group of its own. A program that runs longer than `timeout` is killed
/// with its group; one that exits without reading its input is not an error here (its exit
/// status says what happened).
enum ProcessRunner {
    struct Result {
        /// The exit status; -1 when the program was ended by a signal.
        var status: Int32
        /// The signal that ended the program, if one did (also after a timeout: `SIGKILL`).
        var signal: Int32?
        var timedOut = false
        var output: Data
        var errorOutput: String
    }

    struct StartFailure: Error, CustomStringConvertible {
        let executable: String
        let code: Int32
        var description: String { "\(executable) could not be started: \(String(cString: strerror(code)))" }
    }

    /// How long a program may run before it is killed.
    static let defaultTimeout: Duration = .seconds(60)

    /// Standard error beyond this is read and dropped.
    static let maxErrorOutput = 1 << 20

    /// Runs `executable` on a libdispatch thread, off the concurrency pool.
    static func run(
        _ executable: String, _ arguments: [String], input: Data = Data(), environment: [String: String]? = nil,
        timeout: Duration = defaultTimeout
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Swift.Result {
                        try runBlocking(executable, arguments, input: input, environment: environment, timeout: timeout)
                    })
            }
        }
    }

    static func runBlocking(
        _ executable: String, _ arguments: [String], input: Data, environment: [String: String]?, timeout: Duration
    ) throws -> Result {
        _ = brokenPipesIgnored
        let (stdinRead, stdinWrite) = try makePipe()
        let (stdoutRead, stdoutWrite) = try makePipe()
        let (stderrRead, stderrWrite) = try makePipe()
        var parentEnds = [stdinWrite, stdoutRead, stderrRead]
        var childEnds = [stdinRead, stdoutWrite, stderrWrite]
        defer { for fd in parentEnds + childEnds where fd >= 0 { close(fd) } }

        let pid = try spawn(executable, arguments, environment: environment, stdio: (stdinRead, stdoutWrite, stderrWrite))
        for fd in childEnds { close(fd) }
        childEnds = []
        _ = fcntl(stdinWrite, F_SETFL, fcntl(stdinWrite, F_GETFL) | O_NONBLOCK)

        var output = Data()
        var errors = Data()
        var written = 0
        var timedOut = false
        let deadline = ContinuousClock.now + timeout
        // One loop writes the input and reads both outputs, so no pipe fills up and blocks the other side.
        while parentEnds[1] >= 0 || parentEnds[2] >= 0 {
            if parentEnds[0] >= 0, written == input.count {
                close(parentEnds[0])
                parentEnds[0] = -1
            }
            var fds = parentEnds.enumerated().map { index, fd in
                pollfd(fd: fd, events: Int16(index == 0 ? POLLOUT : POLLIN), revents: 0)
            }
            let left = deadline - ContinuousClock.now
            if left <= .zero, !timedOut {
                timedOut = true
                kill(-pid, SIGKILL)
            }
            // A killed program's outputs close at once, unless something left its group holds them.
            if timedOut, left < .seconds(-5) { break }
            let milliseconds = left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000
            let wait = timedOut ? 1_000 : Int32(min(1_000, max(1, milliseconds)))
            guard poll(&fds, nfds_t(fds.count), wait) >= 0 || errno == EINTR else { break }
            if fds[0].revents != 0 {
                let count = input.withUnsafeBytes { bytes in
                    write(parentEnds[0], bytes.baseAddress! + written, min(input.count - written, 65_536))
                }
                if count > 0 {
                    written += count
                } else if count < 0, errno != EAGAIN, errno != EINTR {
                    // EPIPE: the program stopped reading; what it did is in its exit status.
                    close(parentEnds[0])
                    parentEnds[0] = -1
                }
            }
            for index in 1...2 where fds[index].revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 65_536)
                let count = read(parentEnds[index], &buffer, buffer.count)
                if count > 0 {
                    if index == 1 {
                        output.append(contentsOf: buffer[0..<count])
                    } else if errors.count < maxErrorOutput {
                        errors.append(contentsOf: buffer[0..<min(count, maxErrorOutput - errors.count)])
                    }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(parentEnds[index])
                    parentEnds[index] = -1
                }
            }
        }
        var status: Int32 = 0
        while true {
            let waited = waitpid(pid, &status, timedOut ? 0 : WNOHANG)
            if waited == pid || (waited < 0 && errno != EINTR) { break }
            if waited == 0 {
                // Outputs closed, still running: wait for the exit until the deadline.
                if ContinuousClock.now >= deadline {
                    timedOut = true
                    kill(-pid, SIGKILL)
                } else {
                    usleep(5_000)
                }
            }
        }
        // `WIFEXITED`/`WTERMSIG` by hand: the macros are not imported.
        let signal = status & 0x7f
        return Result(
            status: signal == 0 ? (status >> 8) & 0xff : -1, signal: signal == 0 ? nil : signal, timedOut: timedOut, output: output,
            errorOutput: String(decoding: errors, as: UTF8.self))
    }

    /// A write to a pipe whose reader has gone is an `EPIPE` error, not a signal that ends the server.
    private static let brokenPipesIgnored: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// A pipe whose ends are closed in the child unless duplicated onto its standard streams.
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw StartFailure(executable: "pipe", code: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]?, stdio: (Int32, Int32, Int32)
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdio.0, 0)
        posix_spawn_file_actions_adddup2(&actions, stdio.1, 1)
        posix_spawn_file_actions_adddup2(&actions, stdio.2, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + env { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, executable, &actions, &attributes, argv, env)
        guard code == 0 else { throw StartFailure(executable: executable, code: code) }
        return pid
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
