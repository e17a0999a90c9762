import ArgumentParser
import DeskCore
import DeskServer
import DeskStore
import Foundation

/// A one-line progress bar on standard error.
struct ProgressBar: Sendable {
    let label: String
    let start = Date()

    func show(_ done: Int, of total: Int) {
        let width = 30
        let filled = total == 0 ? width : width * done / max(total, 1)
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data(String(format: "\r%@ [%@] %d/%d  %.0f/s  %.0fs", label, bar, done, total, rate, elapsed).utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reindex", abstract: "Rebuild the full-text search indexes.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CLI.withServices(database) { cli in
            let started = Date()
            let bar = ProgressBar(label: "articles")
            try await SearchIndex.rebuild(cli.store.database) { done, total in bar.show(done, of: total) }
            print(String(format: "Full-text index rebuilt in %.1f s.", Date().timeIntervalSince(started)))
        }
    }
}

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmark tools: bulk load realistic tickets, run the search query mix.",
        subcommands: [Load.self, Search.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Insert N realistic tickets directly through the store.",
            discussion: """
                For benchmarks. A load that makes up most of the database sets the search indexes (and on \
                PostgreSQL the foreign keys of the ticket tables) aside and builds them at the end (a load that dies half-way is completed by the next start \
                of any swiftdesk command); on SQLite it writes through a rollback journal instead of the WAL while it runs. Run it with no \
                server on the same database.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Number of tickets (default 1,000,000).") var tickets = 1_000_000
        @Option(help: "Tickets per transaction.") var batch = BulkLoader.defaultBatchSize

        func run() async throws {
            guard tickets > 0, batch > 0 else { throw ValidationError("--tickets and --batch must be positive") }
            try await CLI.withServices(database) { cli in
                var loader = BulkLoader(database: cli.store.database)
                loader.batchSize = batch
                let setup = try await loader.prepare(store: cli.store, admin: cli.services.admin)
                let bar = ProgressBar(label: "tickets")
                let started = Date()
                let total = tickets
                let phases = try await loader.load(tickets, setup: setup, now: Int64(Date().timeIntervalSince1970)) {
                    bar.show($0, of: total)
                }
                let seconds = Date().timeIntervalSince(started)
                print(
                    String(
                        format: "Loaded %d tickets in %.1f s (%.0f tickets/s): %.1f s inserting, %.1f s building indexes and full text.",
                        tickets, seconds, Double(tickets) / seconds, phases.inserting, phases.indexing))
                if !phases.steps.isEmpty {
                    print(
                        "Building: " + phases.steps.map { "\($0.name) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")
                            + ".")
                }
                if phases.rollbackJournal == false {
                    print("The load went through the WAL: another connection had the database file open.")
                }
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run each search query shape and print p50/p95/p99 latencies.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Runs per query shape.") var iterations = 200

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let services = cli.services
                let store = cli.store
                let root = Principal.agent(try await services.auth.agentPrincipal(id: 1)!)
                let catalog = try await services.catalog()
                let queues = (1...12).compactMap { catalog.queues["Bench \($0)"]?.id }
                guard !queues.isEmpty, let severity = catalog.dynamicFields["BenchSeverity"]?.id else {
                    throw CLI.fail("no benchmark data: run `swiftdesk bench load` first")
                }
                let owners = try await store.read { try await BulkLoader.agentIDs(in: $0) }
                let open = ["new", "open", "pending reminder", "pending auto"].compactMap { catalog.stateTypes[$0]?.id }
                let now = Int64(Date().timeIntervalSince1970)
                var random = SplitMix64(seed: 7)
                let sampleNumbers = try await store.read { reader in
                    try await reader.searchTickets(
                        {
                            var q = TicketQuery()
                            q.limit = 200
                            q.sort = [(.ticketID, false)]
                            return q
                        }(), scope: .unrestricted)
                }
                let sampled = try await store.read { reader in
                    try await sampleNumbers.prefix(50).asyncMap { try await reader.ticket(id: $0) }
                }
                let numbers = sampled.map { $0?.number ?? "" }
                let titles = sampled.map { $0?.title.lowercased() ?? "" }
                typealias Shape = (name: String, make: (inout SplitMix64) -> TicketQuery?)
                /// A search shape: a page of `limit` tickets (nil: the default) that `configure` fills
                /// in, drawing its values from the random source.
                func page(
                    _ name: String, limit: Int? = 50, _ configure: @escaping (inout TicketQuery, inout SplitMix64) -> Void
                ) -> Shape {
                    (
                        name,
                        { random in
                            var query = TicketQuery()
                            if let limit { query.limit = limit }
                            configure(&query, &random)
                            return query
                        }
                    )
                }
                let shapes: [Shape] = [
                    page("open tickets of a queue, newest 50") { q, r in
                        q.queueIDs = [queues[r.next(upTo: queues.count)]]
                        q.stateTypeIDs = open
                    },
                    page("queue + state + created last 7 days") { q, r in
                        q.queueIDs = [queues[r.next(upTo: queues.count)]]
                        q.stateIDs = [4]
                        q.createdFrom = now - 7 * 86_400
                    },
                    page("owner's open tickets") { q, r in
                        q.ownerIDs = [owners[r.next(upTo: owners.count)]]
                        q.stateTypeIDs = open
                    },
                    page("queue by newest visible article", limit: 25) { q, r in
                        q.queueIDs = [queues[r.next(upTo: queues.count)]]
                        q.sort = [(.lastVisibleArticle, false)]
                    },
                    page("customer's tickets") { q, r in
                        q.customerIDsRaw = ["CUST-\(r.next(upTo: 2_000))"]
                    },
                    page("customer user's tickets (any case)") { q, r in
                        q.customerUserLoginsRaw = ["Customer\(r.next(upTo: 2_000))@Example.com"]
                    },
                    page("title LIKE %word%") { q, r in
                        q.titles = ["%\(WordList.ordinary[r.next(upTo: WordList.ordinary.count)])%"]
                    },
                    page("title exactly (any case)") { q, r in
                        q.titles = [titles[r.next(upTo: titles.count)]]
                    },
                    page("ticket number exact", limit: nil) { q, r in
                        q.ticketNumbers = [numbers[r.next(upTo: numbers.count)]]
                    },
                    // The first seven characters of a loaded ticket's number are shared by 1,000
                    // tickets, mostly old ones.
                    page("ticket number prefix (1,000 tickets)") { q, r in
                        let block = r.next(upTo: max(1, (sampleNumbers.first ?? 1) / 1_000))
                        q.ticketNumbers = [BulkLoader.ticketNumber(block * 1_000).prefix(7) + "%"]
                    },
                    page("customer id prefix (any case)") { q, r in
                        q.customerIDs = ["cust-\(r.next(upTo: 2_000))%"]
                    },
                    page("created in a queue (history)") { q, r in
                        q.createdQueueIDs = [queues[r.next(upTo: queues.count)]]
                    },
                    page("closed in the last 7 days (history)") { q, _ in
                        q.closedFrom = now - 7 * 86_400
                    },
                    page("dynamic field Equals") { q, r in
                        q.dynamicFields = [
                            .init(fieldID: severity, op: .equals, values: [["low", "medium", "high", "critical"][r.next(upTo: 4)]])
                        ]
                    },
                    page("full text, one rare word") { q, r in
                        q.fullTextWords = [WordList.rare[r.next(upTo: WordList.rare.count)]]
                    },
                    page("full text, two common words") { q, r in
                        q.fullTextWords = [WordList.common[r.next(upTo: 5)], WordList.common[5 + r.next(upTo: 5)]]
                    },
                    page("Znuny Fulltext, one word (5 fields ORed)") { q, r in
                        let word =
                            r.next(upTo: 2) == 0 ? WordList.rare[r.next(upTo: WordList.rare.count)] : WordList.common[r.next(upTo: 10)]
                        for field in TicketQuery.ArticleField.allCases { q.articleFields[field] = word }
                        q.articleFieldsMatch = .any
                    },
                    page("body, two common words (MIMEBase_Body)") { q, r in
                        q.articleFields = [.body: "\(WordList.common[r.next(upTo: 5)]) \(WordList.common[5 + r.next(upTo: 5)])"]
                    },
                    page("sort by dynamic field") { q, r in
                        q.queueIDs = [queues[r.next(upTo: queues.count)]]
                        q.stateTypeIDs = open
                        q.sort = [(.dynamicField(severity), true)]
                    },
                    ("counts per queue × state", { _ in nil }),
                ]
                CLI.say("shape                                    p50 ms   p95 ms   p99 ms")
                for shape in shapes {
                    var samples: [Double] = []
                    for _ in 0..<iterations {
                        let query = shape.make(&random)
                        let started = DispatchTime.now().uptimeNanoseconds
                        if let query {
                            _ = try await services.tickets.search(query, by: root)
                        } else {
                            _ = try await services.tickets.queueStateCounts(by: root)
                        }
                        samples.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
                    }
                    samples.sort()
                    func pct(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
                    CLI.say(
                        String(
                            format: "%@ %8.2f %8.2f %8.2f", shape.name.padding(toLength: 40, withPad: " ", startingAt: 0), pct(0.5),
                            pct(0.95), pct(0.99)))
                }
            }
        }
    }
}
