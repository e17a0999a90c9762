import Foundation

/// Bounds how many PostgreSQL test databases exist at once.
///
/// Swift Testing runs every test concurrently, and each PostgreSQL test database holds a pool of
/// connections plus one admin connection; without a bound a large suite exceeds the server's
/// `max_connections` ("sorry, too many clients already"). Tests wait here for a slot instead.
/// `SWIFTDESK_TEST_PG_DATABASES` overrides the default of 12 slots.
actor PostgresGate {
    static let shared = PostgresGate(
        slots: Int(ProcessInfo.processInfo.environment["SWIFTDESK_TEST_PG_DATABASES"] ?? "") ?? 12)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(slots: Int) { free = max(1, slots) }

    /// Waits for a free slot and takes it.
    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives a slot back, handing it straight to the longest waiter when there is one.
    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
