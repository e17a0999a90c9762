import DeskCore
import DeskStore
import DeskTestSupport
import Testing

/// Leases of background work between server processes on one database (`BackgroundLease`).
@Suite("Background leases")
struct BackgroundLeaseTests {
    @Test("one holder at a time: renewed by its holder, taken over once it ran out or was given up", arguments: TestDatabase.kinds)
    func holders(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let time = MailOutboxTests.TestClock()
            let services = DeskServices(store: db.store, hasher: TestDatabase.hasher, clock: time.clock)
            let first = services.lease("PendingCheck", holder: "host-a:10:1", seconds: 600)
            let second = services.lease("PendingCheck", holder: "host-b:20:2", seconds: 600)

            #expect(try await first.take())
            #expect(try await !second.take())
            // Another kind of work is another lease.
            #expect(try await services.lease("EscalationCheck", holder: "host-b:20:2", seconds: 600).take())

            // Renewed at +300, the first holder's lease runs to +900.
            time.advance(300)
            #expect(try await first.take())
            time.advance(599)
            #expect(try await !second.take())
            time.advance(1)
            #expect(try await second.take())
            #expect(try await !first.take())

            // Only the holder gives a lease up; then the other may take it at once.
            try await first.release()
            #expect(try await !first.take())
            try await second.release()
            #expect(try await first.take())
        }
    }

    @Test("of servers taking a free lease at the same moment, exactly one gets it", arguments: TestDatabase.kinds)
    func race(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let services = DeskServices(store: db.store, hasher: TestDatabase.hasher, clock: .fixed(Desk.now))
            for round in 0..<3 {
                let name = "Work\(round)"
                let taken = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for server in 0..<8 {
                        group.addTask { try await services.lease(name, holder: "server-\(server)", seconds: 60).take() }
                    }
                    return try await group.reduce(into: 0) { count, took in count += took ? 1 : 0 }
                }
                #expect(taken == 1)
            }
        }
    }
}
