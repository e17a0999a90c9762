import DeskCore
import Foundation
import Synchronization

/// Keeps every agent for a few seconds, so that reads naming agents by id (a TicketGet's owner,
/// responsible agent and article authors) need no statement. Agents are few and change seldom;
/// an installation with more than `limit` of them is not kept (each such read queries).
///
/// It follows the catalog's rules: a change through this process (`DirectoryChanges`: every
/// write to `agents` begins one) makes it stale at once, and while such a change is uncommitted
/// nothing is answered or kept; a change made by another process shows after at most `lifetime`
/// seconds.
final class AgentCache: Sendable {
    /// Most agents kept.
    static let limit = 2_000

    private let directory: DirectoryChanges
    private let lifetime: Double
    /// The agents by id, the directory generation they were read at and when.
    private let entry = Mutex<(agents: [Int: Agent], generation: Int, loadedAt: Double)?>(nil)

    init(directory: DirectoryChanges, lifetime: Double) {
        self.directory = directory
        self.lifetime = lifetime
    }

    /// The agents `ids` names that exist, by id; nil when the cache cannot answer.
    func agents(ids: [Int]) -> [Agent]? {
        guard let generation = directory.generation else { return nil }
        return entry.withLock { entry in
            guard let entry, entry.generation == generation, Date().timeIntervalSince1970 - entry.loadedAt < lifetime else {
                return nil
            }
            return Set(ids).sorted().compactMap { entry.agents[$0] }
        }
    }

    /// The directory generation to read at, before reading every agent; nil while a change is
    /// uncommitted (then nothing read may be kept).
    var generation: Int? { directory.generation }

    /// Keeps `agents`, read at `generation`, unless the directory changed meanwhile.
    func put(_ agents: [Agent], readAt generation: Int) {
        guard agents.count <= Self.limit, directory.generation == generation else { return }
        let byID = Dictionary(agents.map { ($0.id, $0) }) { first, _ in first }
        entry.withLock { $0 = (byID, generation, Date().timeIntervalSince1970) }
    }

    /// Forgets what it keeps (after changes made outside the store, e.g. by tests).
    func invalidate() {
        entry.withLock { $0 = nil }
    }
}
