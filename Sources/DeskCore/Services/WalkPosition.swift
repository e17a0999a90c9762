import Synchronization

/// Where a background check's walk over tickets in id order stands between its runs: the id of
/// the last ticket read, 0 when a pass starts. A class, so that the copies of a service value
/// share one position.
final class WalkPosition: Sendable {
    private let value = Mutex(0)

    var lastRead: Int {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
