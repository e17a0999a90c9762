import DeskCore
import Foundation
import SQLKit

/// Loads many realistic tickets straight through SQL, for benchmarks: queues, states, owners and
/// customers spread out, 1–5 articles per ticket with text from a word list, three dynamic
/// fields, one history row per ticket. Rows go in as multi-row INSERTs with explicit ids, a large
/// transaction per batch; the search triggers (full text, counts) run as for any write.
public struct BulkLoader: Sendable {
    public let database: Database
    public var batchSize = 2_000
    public var seed: UInt64 = 42

    public init(database: Database) {
        self.database = database
    }

    /// Reference data the load uses; created on first use (idempotent).
    public struct Setup: Sendable {
        public var queueIDs: [Int]
        public var agentIDs: [Int]
        public var fieldIDs: (severity: Int, externalRef: Int, due: Int)
        public var customerCount: Int
    }

    /// Creates 12 queues, 20 agents, 2,000 customer ids and three ticket dynamic fields if missing.
    public func prepare(store: SQLDeskStore, admin: AdminService) async throws -> Setup {
        var catalog = try await store.read { try await $0.catalog() }
        for index in 1...12 where catalog.queues["Bench \(index)"] == nil {
            try await admin.addQueue(name: "Bench \(index)", firstResponseMinutes: index % 3 == 0 ? 240 : 0)
        }
        for index in 1...20 where try await store.read({ try await $0.agent(login: "bench-agent-\(index)") }) == nil {
            try await admin.addAgent(
                login: "bench-agent-\(index)", password: "bench-password-\(index)", firstName: "Bench",
                lastName: "Agent \(index)", email: "bench\(index)@example.com", grants: [.init(group: "users", permission: .rw)])
        }
        if catalog.dynamicFields["BenchSeverity"] == nil {
            try await admin.addDynamicField(
                name: "BenchSeverity", label: "Severity", type: .dropdown, object: .ticket,
                possibleValues: ["low", "medium", "high", "critical"].map { .init(key: $0, label: $0.capitalized) }, possibleNone: false)
        }
        if catalog.dynamicFields["BenchExternalRef"] == nil {
            try await admin.addDynamicField(
                name: "BenchExternalRef", label: "External reference", type: .text, object: .ticket, possibleValues: [], possibleNone: false
            )
        }
        if catalog.dynamicFields["BenchDue"] == nil {
            try await admin.addDynamicField(
                name: "BenchDue", label: "Due", type: .date, object: .ticket, possibleValues: [], possibleNone: false)
        }
        store.invalidateCatalog()
        catalog = try await store.read { try await $0.catalog() }
        let agents = try await store.read { try await Self.agentIDs(in: $0) }
        return Setup(
            queueIDs: (1...12).compactMap { catalog.queues["Bench \($0)"]?.id }, agentIDs: agents,
            fieldIDs: (
                catalog.dynamicFields["BenchSeverity"]!.id, catalog.dynamicFields["BenchExternalRef"]!.id,
                catalog.dynamicFields["BenchDue"]!.id
            ),
            customerCount: 2_000)
    }

    /// Ids of the 20 benchmark agents that exist.
    public static func agentIDs(in reader: any StoreReader) async throws -> [Int] {
        try await (1...20).asyncMap { try await reader.agent(login: "bench-agent-\($0)")?.id }.compactMap { $0 }
    }

    /// Inserts `count` tickets; `progress` is called after each batch with the total so far.
    public func load(_ count: Int, setup: Setup, now: Int64, progress: @Sendable (Int) -> Void) async throws {
        var random = SplitMix64(seed: seed)
        let (firstTicket, firstArticle) = try await database.read { db in
            let ticket = try await db.raw("SELECT COALESCE(MAX(id), 0) AS m FROM tickets").first()!.decode(column: "m", as: Int.self)
            let article = try await db.raw("SELECT COALESCE(MAX(id), 0) AS m FROM articles").first()!.decode(column: "m", as: Int.self)
            return (ticket + 1, article + 1)
        }
        // On SQLite, a load that makes up most of the database builds its indexes once at the end.
        let deferIndexes = database.kind == .sqlite && count >= firstTicket
        if deferIndexes {
            try await database.transaction { try await DeferredIndexes.setAside($0) }
        }
        var nextTicket = firstTicket
        var nextArticle = firstArticle
        var done = 0
        // State mix: mostly closed, a realistic open backlog.
        let states: [(id: Int, weight: Int)] = [(2, 55), (3, 10), (4, 18), (1, 10), (6, 5), (7, 2)]
        while done < count {
            let size = min(batchSize, count - done)
            var tickets: [[Bindable]] = []
            var articles: [[Bindable]] = []
            var values: [[Bindable]] = []
            var history: [[Bindable]] = []
            for offset in 0..<size {
                let id = nextTicket
                nextTicket += 1
                // Tickets arrive over three years, in id order, as in a live system.
                let span: Int64 = 3 * 365 * 86_400
                let created = now - span + span * Int64(done + offset) / Int64(max(count, 1)) + Int64(random.next(upTo: 60))
                let queue = setup.queueIDs[random.next(upTo: setup.queueIDs.count)]
                let state = Self.weighted(states, &random)
                let owner = random.next(upTo: 4) == 0 ? 1 : setup.agentIDs[random.next(upTo: setup.agentIDs.count)]
                let customer = random.next(upTo: setup.customerCount)
                let priority = 1 + random.next(upTo: 5)
                let title = WordList.title(&random)
                let pending: Int64 = state == 6 || state == 7 ? created + 86_400 * Int64(1 + random.next(upTo: 30)) : 0
                tickets.append([
                    id, "9\(String(format: "%09d", id))", title, queue, 1, state, priority, state == 4 ? 2 : 1, owner, 1,
                    "customer\(customer)@example.com", "CUST-\(customer)", pending, created, 1,
                    min(now, created + Int64(random.next(upTo: 86_400))), 1,
                ])
                history.append([id, "TicketCreated", "9\(String(format: "%09d", id))", queue, owner, priority, state, 1, created, 1])
                for index in 0..<(1 + random.next(upTo: 5)) {
                    let articleID = nextArticle
                    nextArticle += 1
                    let fromCustomer = index % 2 == 0
                    articles.append([
                        articleID, id, fromCustomer ? 3 : 1, fromCustomer ? 1 : 3, 1,
                        fromCustomer ? "customer\(customer)@example.com" : "Bench Agent <bench@example.com>", "support@example.com", "", "",
                        "",
                        index == 0 ? title : "Re: " + title, WordList.body(&random), "text/plain; charset=utf-8", "utf-8", "text/plain",
                        "", "", "", created + Int64(index * 3600), created + Int64(index * 3600), 1, created + Int64(index * 3600), 1,
                    ])
                }
                values.append([setup.fieldIDs.severity, id, ["low", "medium", "high", "critical"][random.next(upTo: 4)], 0])
                values.append([setup.fieldIDs.externalRef, id, "REF-\(random.next(upTo: 1_000_000))", 0])
                values.append([
                    setup.fieldIDs.due, id, CivilDate(unixSeconds: created + 14 * 86_400).timestampString.prefix(10) + " 00:00:00", 0,
                ])
            }
            let batch = (tickets, articles, values, history)
            try await database.transaction { db in
                for chunk in batch.0.chunked(1_000) {
                    try await db.insertRows(
                        "tickets",
                        [
                            "id", "tn", "title", "queue_id", "type_id", "state_id", "priority_id", "lock_id", "owner_id", "responsible_id",
                            "customer_user_id", "customer_id", "until_time", "created_at", "created_by", "changed_at", "changed_by",
                        ], chunk)
                }
                for chunk in batch.1.chunked(1_000) {
                    try await db.insertRows(
                        "articles",
                        [
                            "id", "ticket_id", "sender_type_id", "channel_id", "is_visible_for_customer", "a_from", "a_to", "a_cc", "a_bcc",
                            "a_reply_to", "subject", "body", "content_type", "charset", "mime_type", "message_id", "in_reply_to",
                            "a_references", "incoming_time", "created_at", "created_by", "changed_at", "changed_by",
                        ], chunk)
                }
                for chunk in batch.2.chunked(4_000) {
                    try await db.insertRows("dynamic_field_values", ["field_id", "object_id", "value_text", "position"], chunk)
                }
                for chunk in batch.3.chunked(2_000) {
                    try await db.insertRows(
                        "ticket_events",
                        [
                            "ticket_id", "kind", "new_value", "queue_id", "owner_id", "priority_id", "state_id", "type_id", "created_at",
                            "actor_id",
                        ], chunk)
                }
            }
            done += size
            progress(done)
        }
        if database.kind == .postgres {
            try await database.transaction { db in
                for table in ["tickets", "articles"] {
                    try await db.raw("SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), (SELECT MAX(id) FROM \(ident: table)))")
                        .run()
                }
            }
            try await database.execute("ANALYZE")
        } else {
            if deferIndexes {
                try await database.transaction { try await DeferredIndexes.restore($0) }
            }
            try await database.execute("ANALYZE")
        }
    }

    static func weighted(_ items: [(id: Int, weight: Int)], _ random: inout SplitMix64) -> Int {
        var roll = random.next(upTo: items.reduce(0) { $0 + $1.weight })
        for item in items {
            if roll < item.weight { return item.id }
            roll -= item.weight
        }
        return items[0].id
    }
}

/// A small, fast, seedable generator so loads are repeatable.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next(upTo bound: Int) -> Int {
        Int(next() % UInt64(max(1, bound)))
    }
}

/// Words for generated text: a few very common ones, many ordinary ones and rare ones, so that
/// full-text queries of "common" and "rare" words mean something.
public enum WordList {
    public static let common = ["printer", "error", "please", "help", "server", "login", "update", "issue", "email", "network"]
    public static let ordinary = [
        "invoice", "billing", "password", "reset", "account", "access", "laptop", "monitor", "keyboard", "backup", "restore",
        "license", "renewal", "outage", "latency", "database", "firewall", "vpn", "certificate", "expired", "install", "driver",
        "crash", "freeze", "slow", "timeout", "refund", "order", "shipping", "delivery", "contract", "upgrade", "downgrade",
        "mailbox", "quota", "calendar", "meeting", "phone", "headset", "camera", "badge", "door", "parking", "office", "chair",
        "desk", "light", "heating", "cooling", "report", "dashboard", "export", "import", "spreadsheet", "macro", "plugin",
    ]
    /// One in a few thousand bodies carries a rare word.
    public static let rare = [
        "zephyrine", "quillwort", "obsidianite", "marzipanic", "flumadiddle", "gobbledygook", "snollygoster", "xylograph",
    ]

    static func word(_ random: inout SplitMix64) -> String {
        switch random.next(upTo: 100) {
        case 0..<30: common[random.next(upTo: common.count)]
        default: ordinary[random.next(upTo: ordinary.count)]
        }
    }

    public static func title(_ random: inout SplitMix64) -> String {
        (0..<(3 + random.next(upTo: 4))).map { _ in word(&random) }.joined(separator: " ").capitalizedFirst
    }

    public static func body(_ random: inout SplitMix64) -> String {
        var words = (0..<(20 + random.next(upTo: 60))).map { _ in word(&random) }
        if random.next(upTo: 2_000) == 0 { words[random.next(upTo: words.count)] = rare[random.next(upTo: rare.count)] }
        return words.joined(separator: " ") + "."
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
