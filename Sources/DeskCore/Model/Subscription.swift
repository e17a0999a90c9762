/// What an agent can subscribe to for notifications: Znuny's "My Queues" (`personal_queues`)
/// and "My Services" (`personal_services`).
public enum Subscription: Sendable, CaseIterable {
    case queue
    case service
}
