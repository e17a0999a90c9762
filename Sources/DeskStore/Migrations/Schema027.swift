/// Leases of background work (the pending check, the escalation rebuild and check): the server
/// process that runs a kind of work and until when, so that several servers on one database do
/// not all do the same work (`BackgroundLease`).
enum Schema027 {
    static let statements = [
        """
        CREATE TABLE background_leases (
            name VARCHAR(100) PRIMARY KEY, holder VARCHAR(200) NOT NULL, expires_at BIGINT NOT NULL)
        """
    ]
}
