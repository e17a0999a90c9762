extension TicketService {
    /// Merges tickets into `targetID`, as Znuny's TicketMerge does: each source's articles (with
    /// their attachments and accounted time) move to the target, the source is unlocked and set
    /// to the `merged` state, and a `Merged` event on it names the target. `targetUpdate` is then
    /// applied to the target (a new title, a state). Everything is one transaction. Needs `rw`
    /// on every ticket involved; a source equal to the target is skipped. A target that was
    /// merged itself is refused (`conflict(.alreadyMerged)`), and so is a `targetUpdate` that
    /// would put the target into a merged-type state (`invalid(.state, .notPossible)`): a merge
    /// target is never merged. A merged source has nothing left to move and is merged again.
    public func merge(
        _ sourceIDs: [Int], into targetID: Int, targetUpdate: TicketUpdateRequest = TicketUpdateRequest(), by principal: Principal
    ) async throws {
        try principal.require(.updateTickets)
        let now = clock.now()
        let catalog = try await store.catalog()
        guard
            let merged = catalog.states.all.first(where: { $0.validity == .valid && catalog.stateTypeName(ofState: $0.id) == "merged" })
        else { throw DeskError.notFound(.state, key: "merged") }
        try await store.write { tx in
            let target = try await Self.readable(targetID, reader: tx, principal: principal, catalog: catalog)
            guard TicketAccess.canChange(.fields, target, by: principal, catalog: catalog) else {
                throw DeskError.accessDenied(.changeAttributes)
            }
            guard catalog.stateTypeName(ofState: target.stateID) != "merged" else {
                throw DeskError.conflict(.alreadyMerged(ticketID: target.id))
            }
            if let ref = targetUpdate.state, let state = catalog.states[ref], catalog.stateTypeName(ofState: state.id) == "merged" {
                throw DeskError.invalid(.state, .notPossible(state.name))
            }
            let planner = TicketUpdatePlanner(catalog: catalog, reader: tx, principal: principal, now: now)
            var seen: Set<Int> = [targetID]
            for sourceID in sourceIDs where seen.insert(sourceID).inserted {
                let source = try await Self.readable(sourceID, reader: tx, principal: principal, catalog: catalog)
                guard TicketAccess.canChange(.fields, source, by: principal, catalog: catalog) else {
                    throw DeskError.accessDenied(.changeAttributes)
                }
                try await tx.moveArticles(fromTicket: source.id, toTicket: target.id)
                let close = TicketUpdateRequest(state: .id(merged.id), lock: .name("unlock"))
                _ = try await planner.plan(close, for: source).execute(in: tx, catalog: catalog)
                try await tx.insertEvents([
                    NewTicketEvent(
                        ticketID: source.id,
                        change: .merged(
                            source: NamedID(id: source.id, name: source.number), target: NamedID(id: target.id, name: target.number)),
                        snapshot: TicketSnapshot(source), actorID: principal.actingUserID(catalog.settings), createdAt: now)
                ])
            }
            guard let current = try await tx.ticket(id: target.id) else { throw DeskError.notFound(.ticket, key: String(targetID)) }
            _ = try await planner.plan(targetUpdate, for: current).execute(in: tx, catalog: catalog)
        }
    }

    /// For each of these tickets (readable by the principal) that is merged, the ticket it was
    /// merged into (one step, not followed further), by ticket id; tickets that are not merged,
    /// and those whose target is gone, are left out.
    public func mergeTargets(ticketIDs: [Int], by principal: Principal) async throws -> [Int: Int] {
        try principal.require(.readTickets)
        let catalog = try await store.catalog()
        return try await store.read { reader in
            let tickets = try await reader.tickets(ids: ticketIDs)
            let merged = tickets.filter {
                catalog.stateTypeName(ofState: $0.stateID) == "merged" && TicketAccess.canRead($0, by: principal, catalog: catalog)
            }.map(\.id)
            guard !merged.isEmpty else { return [:] }
            let events = try await reader.events(ticketIDs: merged.sorted())
            let targets = merged.reduce(into: [Int: Int]()) { targets, id in targets[id] = Self.mergedInto(events: events, of: id) }
            let existing = Set(try await reader.tickets(ids: Array(Set(targets.values)).sorted()).map(\.id))
            return targets.filter { existing.contains($0.value) }
        }
    }
}
