import DeskCore
import DeskTestSupport
import SQLKit
import Testing

@testable import DeskStore

/// The two plans `SearchProbe` chooses between give the same tickets.
@Suite("Search plans for rare and common words")
struct SearchProbeTests {
    @Test("dense (row by row) and sparse (id list) plans agree with the plain plan", arguments: TestDatabase.kinds)
    func plansAgree(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let world = try await TicketSearchTests.world(db)
            let cases: [(TicketQuery, Set<Int>)] = [
                (
                    {
                        var q = TicketQuery()
                        q.fullTextWords = ["purple", "smoke"]
                        return q
                    }(), [world.alpha]
                ),
                (
                    {
                        var q = TicketQuery()
                        q.fullTextWords = ["holidays"]
                        return q
                    }(), [world.beta]
                ),
                (
                    {
                        var q = TicketQuery()
                        q.titles = ["%fire%"]
                        return q
                    }(), [world.alpha]
                ),
                (
                    {
                        var q = TicketQuery()
                        q.titles = ["%nothing-like-this%"]
                        return q
                    }(), []
                ),
            ]
            for (query, expected) in cases {
                let sparse = try await db.store.read { try await $0.searchTickets(query, scope: .unrestricted) }
                #expect(Set(sparse).intersection([world.alpha, world.beta]) == expected)
                var dense = TicketSearchSQL(query: query, scope: .unrestricted, kind: kind)
                dense.probe = SearchProbe.Result(
                    fullTextArticles: query.fullTextWords.isEmpty ? .none : .some(nil),
                    titleTickets: Dictionary(uniqueKeysWithValues: query.titles.map { ($0, [Int]?.none) }))
                let statement = dense.select()
                let ids = try await db.database.read { conn in
                    try await conn.raw(statement).all().map { try $0.decode(column: "id", as: Int.self) }
                }
                #expect(
                    Set(ids).intersection([world.alpha, world.beta]) == expected, "dense plan for \(query.fullTextWords) \(query.titles)")
            }
        }
    }
}
