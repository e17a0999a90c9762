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

    /// The key of an accepted login: the login, the kinds of user it was checked against and the
    /// password, under the same per-process secret (never equal to a `key(stored:password:)`).
    func loginKey(_ login: String, agents: Bool, customers: Bool, password: String) -> Data32 {
        key(stored: "login\u{0}\(agents)\u{0}\(customers)\u{0}" + login, password: password)
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

/// Values resolved from the store recently, per process (session and password principals):
/// each is kept for a given number of seconds, and only while the store's directory generation
/// it was read at is current (`DeskStore.directoryGeneration`), so that a change this process
/// makes to agents, customer users or permissions is seen at once.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: (value: Value, loadedAt: Int64, generation: Int)]>([:])
    static var capacity: Int { 10_000 }

    /// The value kept for `key`, unless it is older than `lifetime` seconds or was read at
    /// another generation (nil: a directory change is in flight, nothing is trusted).
    func get(_ key: Key, now: Int64, lifetime: Int64, generation: Int?) -> Value? {
        guard let generation else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[key], now - entry.loadedAt < lifetime, entry.generation == generation else { return nil }
            return entry.value
        }
    }

    /// Keeps `value`, read at `generation` (taken before the read); nil keeps nothing.
    func put(_ key: Key, _ value: Value, now: Int64, generation: Int?) {
        guard let generation else { return }
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, now, generation)
        }
    }

    func remove(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
