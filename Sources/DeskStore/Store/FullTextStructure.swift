import NIOCore
import SQLiteNIO

/// The structure record of an FTS5 index: which segments the index has, and on which level each
/// sits (the row with id 10 of `<table>_data`, in the format `fts5StructureDecode` reads in
/// SQLite's FTS5 source). A bulk load rewrites it once, to settle its merged index on the level
/// that FTS5's own merges would have given it (`settled()`).
///
/// Why: FTS5 writes a small segment at every commit on level 0 and merges a level's segments
/// into one on the level above once there are four (`automerge`); a segment on level L has
/// therefore taken about 4^L commits to build, and the top level fills again only after several
/// times as many. `optimize` ignores that: it puts the merged index one level above the highest
/// it had, which after a bulk load (a few large segments, few levels) is level 1 to 3 even for a
/// million tickets. The server's creates then filled that level within seconds or a minute, and
/// FTS5 rewrote the whole index (650 MB for a million tickets): in one create's transaction
/// when it sat on level 1 (no create for 11 s), else a slice in every commit (creates at
/// 400–1,000/s with a p99 of 250–380 ms for minutes). Settled on level 9, the index waits for
/// hundreds of thousands of commits before its next full merge, as it would had it grown one
/// create at a time.
///
/// The rewrite changes only the level numbers, never a segment. Anything not in the exact
/// format read here (another version of the record) is left alone: `init(decoding:)` returns
/// nil unless encoding the result gives back the same bytes.
struct FullTextStructure: Equatable {
    /// One segment: its id, its pages, and in the second version of the record five more
    /// numbers (origins, tombstone pages and entries, entries), kept as read.
    struct Segment: Equatable {
        var id: UInt64
        var firstPage: UInt64
        var lastPage: UInt64
        var version2Fields: [UInt64]

        var pages: UInt64 { lastPage - firstPage + 1 }
    }

    /// One level: its segments, the first `merging` of which are inputs of a merge under way.
    struct Level: Equatable {
        var merging: UInt64
        var segments: [Segment]
    }

    /// The id of the structure record in `<table>_data`.
    static let recordID = 10
    /// FTS5's default `automerge`: a level's segments are merged once there are this many.
    static let segmentsPerLevel: UInt64 = 4
    /// FTS5 reads at most 64 levels (`FTS5_MAX_LEVEL`); this stays well below.
    static let highestSettledLevel = 30
    private static let version2Marker: [UInt8] = [0xFF, 0x00, 0x00, 0x01]

    /// The first four bytes, FTS5's configuration cookie, kept as read.
    var cookie: [UInt8]
    var isVersion2: Bool
    var writeCounter: UInt64
    var levels: [Level]

    /// Reads a structure record, or returns nil when `bytes` is not one in the format known here.
    init?(decoding bytes: [UInt8]) {
        var reader = VarintReader(bytes: bytes)
        guard bytes.count >= 8 else { return nil }
        cookie = Array(bytes[0..<4])
        isVersion2 = Array(bytes[4..<8]) == Self.version2Marker
        reader.offset = isVersion2 ? 8 : 4
        guard let levelCount = reader.next(), let segmentCount = reader.next(), let writeCounter = reader.next(),
            levelCount <= 64, segmentCount <= 2_000
        else { return nil }
        self.writeCounter = writeCounter
        levels = []
        for _ in 0..<levelCount {
            guard let merging = reader.next(), let count = reader.next(), merging <= count, count <= segmentCount else { return nil }
            var segments: [Segment] = []
            for _ in 0..<count {
                guard let id = reader.next(), let first = reader.next(), let last = reader.next(), first <= last else { return nil }
                var extra: [UInt64] = []
                if isVersion2 {
                    for _ in 0..<5 {
                        guard let value = reader.next() else { return nil }
                        extra.append(value)
                    }
                }
                segments.append(Segment(id: id, firstPage: first, lastPage: last, version2Fields: extra))
            }
            levels.append(Level(merging: merging, segments: segments))
        }
        guard reader.offset == bytes.count, levels.reduce(0, { $0 + $1.segments.count }) == segmentCount, encoded == bytes else {
            return nil
        }
    }

    /// The record as FTS5 stores it.
    var encoded: [UInt8] {
        var bytes = cookie
        if isVersion2 { bytes += Self.version2Marker }
        bytes.appendVarint(UInt64(levels.count))
        bytes.appendVarint(UInt64(levels.reduce(0) { $0 + $1.segments.count }))
        bytes.appendVarint(writeCounter)
        for level in levels {
            bytes.appendVarint(level.merging)
            bytes.appendVarint(UInt64(level.segments.count))
            for segment in level.segments {
                bytes.appendVarint(segment.id)
                bytes.appendVarint(segment.firstPage)
                bytes.appendVarint(segment.lastPage)
                for value in segment.version2Fields { bytes.appendVarint(value) }
            }
        }
        return bytes
    }

    /// The level a segment of `pages` leaf pages would have reached through FTS5's merges had
    /// each commit added one page: the lowest L with 4^L ≥ pages.
    static func settledLevel(pages: UInt64) -> Int {
        var level = 0
        var reach: UInt64 = 1
        while reach < pages && level < highestSettledLevel {
            reach *= segmentsPerLevel
            level += 1
        }
        return level
    }

    /// This structure with its only segment moved up to `settledLevel` (the levels below left
    /// empty), or nil when there is nothing to move: more than one segment, a merge under way,
    /// or the segment already that high.
    func settled() -> FullTextStructure? {
        let occupied = levels.indices.filter { !levels[$0].segments.isEmpty }
        guard occupied.count == 1, let current = occupied.first, levels[current].segments.count == 1,
            levels[current].merging == 0
        else { return nil }
        let segment = levels[current].segments[0]
        let target = Self.settledLevel(pages: segment.pages)
        guard target > current else { return nil }
        var moved = self
        moved.levels = Array(repeating: Level(merging: 0, segments: []), count: target) + [Level(merging: 0, segments: [segment])]
        return moved
    }

    /// The level of each segment, lowest level first: for tests and reports.
    var segmentLevels: [Int] {
        levels.indices.flatMap { index in Array(repeating: index, count: levels[index].segments.count) }
    }
}

extension FullTextStructure {
    /// Rewrites the structure record of `table` in the database `handle` has open with its one
    /// segment on its settled level; leaves a record in any other shape alone.
    ///
    /// FTS5 keeps the record in a per-connection cache, which it reloads only after another
    /// connection's commit: call this on a connection that does not write to `table` afterwards,
    /// and not inside a transaction of the connection that does.
    static func settle(_ table: FullTextTable, in handle: SQLiteHandle) throws {
        guard let record = try record(of: table.name, in: handle), let settled = FullTextStructure(decoding: record)?.settled()
        else { return }
        try handle.execute(
            "UPDATE \(table.name)_data SET block = ? WHERE id = ?",
            binds: [.blob(ByteBuffer(bytes: settled.encoded)), .integer(Self.recordID)]
        ) { _ in }
    }

    /// The structure record of the FTS5 table `name` as stored, or nil when it has none.
    static func record(of name: String, in handle: SQLiteHandle) throws -> [UInt8]? {
        var record: [UInt8]?
        try handle.execute("SELECT block FROM \(name)_data WHERE id = ?", binds: [.integer(Self.recordID)]) { row in
            if case .blob(let buffer) = row.value("block") { record = Array(buffer.readableBytesView) }
        }
        return record
    }

    /// Settles every full-text table of the SQLite file at `path`, on a connection of its own
    /// (see `settle(_:in:)`), after a rebuild of the full text.
    static func settleAll(inFileAt path: String) throws {
        let handle = try SQLiteHandle(path: path, cacheMiB: 2)
        defer { handle.close() }
        for table in FullTextTable.all { try settle(table, in: handle) }
    }
}

/// SQLite's variable-length integers, which FTS5 uses throughout its records: big-endian groups
/// of seven bits, the high bit set on all but the last byte, and a ninth byte of eight bits.
private struct VarintReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func next() -> UInt64? {
        var value: UInt64 = 0
        for index in 0..<9 {
            guard offset < bytes.count else { return nil }
            let byte = bytes[offset]
            offset += 1
            if index == 8 { return (value << 8) | UInt64(byte) }
            value = (value << 7) | UInt64(byte & 0x7F)
            if byte < 0x80 { return value }
        }
        return nil
    }
}

extension [UInt8] {
    fileprivate mutating func appendVarint(_ value: UInt64) {
        if value >> 56 != 0 {
            var groups: [UInt8] = [UInt8(truncatingIfNeeded: value)]
            var rest = value >> 8
            for _ in 0..<8 {
                groups.append(UInt8(truncatingIfNeeded: rest & 0x7F) | 0x80)
                rest >>= 7
            }
            append(contentsOf: groups.reversed().prefix(8))
            append(groups[0])
            return
        }
        var groups: [UInt8] = []
        var rest = value
        repeat {
            groups.append(UInt8(truncatingIfNeeded: rest & 0x7F) | 0x80)
            rest >>= 7
        } while rest != 0
        groups[0] &= 0x7F
        append(contentsOf: groups.reversed())
    }
}
