import Foundation
import Testing

@testable import DeskStore

/// Under reads that never pause, SQLite's own PASSIVE checkpoints never find a moment when no
/// read uses the log, so the log is never reset; `SQLiteHandle` restarts it instead.
@Suite("SQLite write-ahead log under steady reads")
struct WALCheckpointTests {
    @Test(
        "the log restarts and stays small while reads overlap without a pause",
        arguments: [false, true])
    func logStaysSmall(checkpointsBeside: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftdesk-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("wal.sqlite").path
        let restartPages: Int32 = 100
        // With a checkpointer its PASSIVE checkpoints run beside the commits that the writer's
        // RESTARTs wait for reads in.
        let checkpointer = checkpointsBeside ? WALCheckpointer(path: path, pages: 20) : nil
        defer { checkpointer?.closeConnection() }
        let writer = try SQLiteHandle(path: path, cacheMiB: 2, checkpointer: checkpointer, walRestartPages: restartPages)
        try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)", binds: []) { _ in }

        // Two readers take turns so that one of them always holds an open read transaction.
        let stop = Flag()
        let readers = try (0..<2).map { _ in try SQLiteHandle(path: path, cacheMiB: 2, walRestartPages: restartPages) }
        let threads = readers.enumerated().map { index, reader in
            Thread {
                if index == 1 { usleep(500) }
                while !stop.isSet {
                    try? reader.execute("BEGIN", binds: []) { _ in }
                    try? reader.execute("SELECT COUNT(*) FROM t", binds: []) { _ in }
                    stop.read(by: index)
                    usleep(1_000)
                    try? reader.execute("COMMIT", binds: []) { _ in }
                }
                stop.done()
            }
        }
        for thread in threads { thread.start() }

        // 30 MB written in 1,500 commits: 7,500 pages, 75 times the restart threshold. (Without
        // the restart the log grows to over 40 MB here.)
        await stop.waitForReads(each: 2, readers: 2)
        var largestLog = 0
        for id in 0..<1_500 {
            try writer.execute("INSERT INTO t (id, payload) VALUES (?, zeroblob(20000))", binds: [.integer(id)]) { _ in }
            let size = ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
            largestLog = max(largestLog, size)
        }
        stop.set()
        await stop.waitForThreads(2)
        // Ten times the restart threshold: far below the 40 MB of a log that is never restarted,
        // and above what a restart waiting on a busy machine lets through (a parallel suite on two
        // cores once grew past a bound of three times the threshold).
        let limit = 100 * 4096 * 10
        #expect(largestLog > 0)
        #expect(largestLog < limit, "the log grew to \(largestLog) bytes")
    }
}

@Suite("SQLite checkpoints beside the writer")
struct WALCheckpointerTests {
    @Test("the checkpointer copies the log into the file while the writer only commits")
    func copiesBesideTheWriter() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftdesk-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ckpt.sqlite").path
        let checkpointer = WALCheckpointer(path: path, pages: 25)
        defer { checkpointer.closeConnection() }
        let writer = try SQLiteHandle(path: path, cacheMiB: 2, checkpointer: checkpointer)
        try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)", binds: []) { _ in }
        // 100 commits of five pages each: 500 pages, fewer than a commit's own checkpoint waits
        // for (1,000), so only the checkpointer can have put them into the file.
        for id in 0..<100 {
            try writer.execute("INSERT INTO t (id, payload) VALUES (?, zeroblob(20000))", binds: [.integer(id)]) { _ in }
        }
        // The commits may all have come while one checkpoint ran (a checkpoint starts only when
        // none is under way); the next commit after it starts the one that copies the rest.
        checkpointer.waitUntilIdle()
        try writer.execute("INSERT INTO t (id, payload) VALUES (100, zeroblob(20000))", binds: []) { _ in }
        checkpointer.closeConnection()
        let fileSize = ((try FileManager.default.attributesOfItem(atPath: path))[.size] as? NSNumber)?.intValue ?? 0
        #expect(fileSize > 1_000_000, "the file holds \(fileSize) bytes")

        // Without one, the same commits leave the file as it was.
        let other = directory.appendingPathComponent("plain.sqlite").path
        let plain = try SQLiteHandle(path: other, cacheMiB: 2)
        try plain.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)", binds: []) { _ in }
        for id in 0..<100 {
            try plain.execute("INSERT INTO t (id, payload) VALUES (?, zeroblob(20000))", binds: [.integer(id)]) { _ in }
        }
        let plainSize = ((try FileManager.default.attributesOfItem(atPath: other))[.size] as? NSNumber)?.intValue ?? 0
        #expect(plainSize < 100_000, "the file holds \(plainSize) bytes")
    }
}

/// A stop signal for the reader threads, the reads each has done, and how many have stopped.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var finished = 0
    private var reads: [Int: Int] = [:]

    var isSet: Bool { lock.withLock { stopped } }
    func set() { lock.withLock { stopped = true } }
    func done() { lock.withLock { finished += 1 } }
    func read(by reader: Int) { lock.withLock { reads[reader, default: 0] += 1 } }

    func waitForReads(each count: Int, readers: Int) async {
        while lock.withLock({ reads.count < readers || reads.values.contains { $0 < count } }) {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    func waitForThreads(_ count: Int) async {
        while lock.withLock({ finished < count }) { try? await Task.sleep(for: .milliseconds(5)) }
    }
}
