import Crypto
import Synchronization

/// Successful password checks of this process, as HMAC digests under a random per-process key.
final class VerifiedCredentials: Sendable {
    private let secret = SymmetricKey(size: .bits256)
    private let digests = Mutex<Set<Data32>>([])
    static let capacity = 10_000

    struct Data32: Hashable, Sendable {
        let bytes: [UInt8]
    }

    func key(stored: String, password: String) -> Data32 {
        let mac = HMAC<SHA256>.authenticationCode(for: Array((stored + "\u{0}" + password).utf8), using: secret)
        return Data32(bytes: Array(mac))
    }

    func contains(_ key: Data32) -> Bool {
        digests.withLock { $0.contains(key) }
    }

    func insert(_ key: Data32) {
        digests.withLock { set in
            if set.count >= Self.capacity { set.removeAll(keepingCapacity: true) }
            set.insert(key)
        }
    }
}

/// Values resolved from the store recently, per process, each kept for a given number of
/// seconds (session and password principals).
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: (value: Value, loadedAt: Int64)]>([:])
    static var capacity: Int { 10_000 }

    func get(_ key: Key, now: Int64, lifetime: Int64) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[key], now - entry.loadedAt < lifetime else { return nil }
            return entry.value
        }
    }

    func put(_ key: Key, _ value: Value, now: Int64) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, now)
        }
    }

    func remove(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
