import Foundation
import NIOCore
import SQLiteNIO
import Testing

@testable import DeskStore

/// `FullTextStructure` reads and writes FTS5's structure record; these tests run it against
/// records that SQLite's own FTS5 wrote, and check that FTS5 accepts the settled record.
@Suite("FTS5 structure record")
struct FullTextStructureTests {
    /// A scratch SQLite file with one FTS5 table `t (body)`; `body` gets a function that opens
    /// a connection to it. The file is removed afterwards.
    static func withTable(_ body: (() throws -> SQLiteHandle) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftdesk-fts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("fts.sqlite").path
        let open = { try SQLiteHandle(path: path, cacheMiB: 2) }
        let handle = try open()
        try handle.execute("CREATE VIRTUAL TABLE t USING fts5(body)", binds: []) { _ in }
        handle.close()
        try body(open)
    }

    /// Inserts rows `ids` with `word` and words of their own, in one commit (one segment) or
    /// one commit each.
    static func insert(_ handle: SQLiteHandle, _ ids: Range<Int>, word: String, oneCommit: Bool) throws {
        if oneCommit { try handle.execute("BEGIN", binds: []) { _ in } }
        for id in ids {
            let words = (0..<20).map { "w\(id)x\($0)" }.joined(separator: " ")
            try handle.execute("INSERT INTO t (rowid, body) VALUES (?, ?)", binds: [.integer(id), .text("\(word) \(words)")]) { _ in }
        }
        if oneCommit { try handle.execute("COMMIT", binds: []) { _ in } }
    }

    static func record(_ handle: SQLiteHandle) throws -> [UInt8] {
        try #require(try FullTextStructure.record(of: "t", in: handle))
    }

    static func matches(_ handle: SQLiteHandle, _ word: String) throws -> Int {
        var count = 0
        try handle.execute("SELECT COUNT(*) AS n FROM t WHERE t MATCH ?", binds: [.text(word)]) { count = $0.value("n")?.integer ?? -1 }
        return count
    }

    @Test("the settled level is the lowest L with 4^L at least the segment's pages")
    func settledLevels() {
        let cases: [(pages: UInt64, level: Int)] = [
            (1, 0), (2, 1), (4, 1), (5, 2), (16, 2), (17, 3), (21_665, 8), (162_882, 9), (UInt64.max, 30),
        ]
        for (pages, level) in cases {
            #expect(FullTextStructure.settledLevel(pages: pages) == level, "\(pages) pages")
        }
    }

    @Test("records FTS5 wrote decode and encode to the same bytes, and malformed ones are refused")
    func roundTrip() throws {
        try Self.withTable { open in
            let handle = try open()
            defer { handle.close() }
            try Self.insert(handle, 1..<7, word: "alpha", oneCommit: false)
            let bytes = try Self.record(handle)
            let structure = try #require(FullTextStructure(decoding: bytes))
            #expect(structure.encoded == bytes)
            #expect(structure.segmentLevels.count >= 2)
            #expect(structure.settled() == nil)  // several segments: left alone

            #expect(FullTextStructure(decoding: Array(bytes.dropLast())) == nil)
            #expect(FullTextStructure(decoding: bytes + [0]) == nil)
            #expect(FullTextStructure(decoding: Array(bytes.prefix(6))) == nil)

            // Write counters of every varint length survive, the nine-byte form included.
            for counter: UInt64 in [0, 127, 128, 16_383, 1 << 35, 1 << 56, UInt64.max] {
                var changed = structure
                changed.writeCounter = counter
                #expect(FullTextStructure(decoding: changed.encoded) == changed, "\(counter)")
            }
        }
    }

    @Test("FTS5 accepts a settled record: the index checks, finds old and new rows, and merges below it")
    func settledIndexWorks() throws {
        try Self.withTable { open in
            // A few commits, then a large one (as a bulk load: few, large segments), merged.
            var handle = try open()
            try Self.insert(handle, 1..<6, word: "alpha", oneCommit: false)
            try Self.insert(handle, 6..<4_000, word: "alpha", oneCommit: true)
            try handle.execute("INSERT INTO t (t) VALUES ('optimize')", binds: []) { _ in }
            let optimized = try #require(FullTextStructure(decoding: try Self.record(handle)))
            let settled = try #require(optimized.settled())
            let segment = try #require(settled.levels.last?.segments.first)
            let level = FullTextStructure.settledLevel(pages: segment.pages)
            #expect(optimized.segmentLevels.count == 1)
            #expect(optimized.segmentLevels[0] < level)
            #expect(settled.segmentLevels == [level])
            #expect(settled.settled() == nil)
            try handle.execute(
                "UPDATE t_data SET block = ? WHERE id = ?",
                binds: [.blob(ByteBuffer(bytes: settled.encoded)), .integer(FullTextStructure.recordID)]
            ) { _ in }
            handle.close()

            // A new connection reads the settled record (the old one cached the structure).
            handle = try open()
            defer { handle.close() }
            try handle.execute("INSERT INTO t (t) VALUES ('integrity-check')", binds: []) { _ in }
            #expect(try Self.matches(handle, "alpha") == 3_999)
            #expect(try Self.matches(handle, "w3999x7") == 1)
            try Self.insert(handle, 4_000..<4_100, word: "beta", oneCommit: false)
            try handle.execute("INSERT INTO t (t) VALUES ('integrity-check')", binds: []) { _ in }
            #expect(try Self.matches(handle, "beta") == 100)
            #expect(try Self.matches(handle, "alpha") == 3_999)
            let after = try #require(FullTextStructure(decoding: try Self.record(handle)))
            #expect(after.levels.last?.segments == [segment])
            #expect(after.segmentLevels.dropLast().allSatisfy { $0 < level })
        }
    }
}
