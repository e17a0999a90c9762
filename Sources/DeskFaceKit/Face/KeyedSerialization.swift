import Synchronization

/// Runs work one at a time per key, within this process: requests about the same thing (a piped
/// mail delivered again while its first delivery is still being written) wait for each other,
/// so the second sees what the first wrote. Requests with different keys do not wait.
///
/// Waiters are served in arrival order; a key's entry is dropped when nobody holds or waits for it.
public final class KeyedSerialization: Sendable {
    /// For each key in use, the continuations of the requests waiting behind the one running.
    private let waiting = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    public init() {}

    public func run<T>(_ key: String, _ work: () async throws -> T) async rethrows -> T {
        await acquire(key)
        defer { release(key) }
        return try await work()
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let free = waiting.withLock { waiting in
                guard waiting[key] != nil else {
                    waiting[key] = []
                    return true
                }
                waiting[key]!.append(continuation)
                return false
            }
            if free { continuation.resume() }
        }
    }

    private func release(_ key: String) {
        let next = waiting.withLock { waiting -> CheckedContinuation<Void, Never>? in
            guard let queue = waiting[key], !queue.isEmpty else {
                waiting[key] = nil
                return nil
            }
            waiting[key] = Array(queue.dropFirst())
            return queue[0]
        }
        next?.resume()
    }
}
