/// A partial index of the tickets that have a pending time (`until_time > 0`: a ticket leaving
/// a pending state gets 0) by id, for the pending check's batches (`PendingCheckService`): due
/// tickets after a given id, in id order. Without it PostgreSQL read every pending ticket and
/// sorted them for each batch of 500 (222–254 ms a batch at 1 M tickets, ten a minute in the
/// soak; 30–34 ms on 262,000 against 1.3 ms with the index); SQLite walked the primary key.
enum Schema019 {
    static let statements = ["CREATE INDEX tickets_pending ON tickets (id) WHERE until_time > 0"]
}
