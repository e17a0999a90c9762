/// The claimed messages a sender holds, handed out in the order they may go out: those of one
/// ticket one at a time, in the order they were queued; those of different tickets side by side.
///
/// A ticket is *in flight* from the moment one of its messages is handed out until that message
/// is reported finished and nothing of the ticket waits behind it. Messages claimed later for a
/// ticket in flight wait behind the one being sent, so a reply never overtakes the message it
/// answers even when the two were claimed at different times.
struct DeliveryQueue<Item> {
    /// Tickets not in flight, each with its messages in order; tickets in the order of their
    /// first message.
    private var waiting: [(ticket: Int, items: [Item])] = []
    /// For each ticket in flight, what waits behind the message being sent (possibly nothing).
    private var behind: [Int: [Item]] = [:]
    private let ticketOf: (Item) -> Int

    init(ticketOf: @escaping (Item) -> Int) {
        self.ticketOf = ticketOf
    }

    /// Whether a message can be handed out now, without waiting for one to finish.
    var hasWaiting: Bool { !waiting.isEmpty }

    /// Tickets with a message being sent.
    var inFlight: Int { behind.count }

    /// Adds newly claimed messages, in the order they were queued.
    mutating func add(_ items: [Item]) {
        for item in items {
            let ticket = ticketOf(item)
            if behind[ticket] != nil {
                behind[ticket]!.append(item)
            } else if let index = waiting.firstIndex(where: { $0.ticket == ticket }) {
                waiting[index].items.append(item)
            } else {
                waiting.append((ticket, [item]))
            }
        }
    }

    /// The first message of the first waiting ticket, which is in flight from now on.
    mutating func start() -> Item? {
        guard !waiting.isEmpty else { return nil }
        let (ticket, items) = waiting.removeFirst()
        behind[ticket] = Array(items.dropFirst())
        return items[0]
    }

    /// Records that the message in flight for `ticket` is done; the ticket's next message, which
    /// is in flight from now on, or nil when none waits (the ticket is no longer in flight).
    mutating func finished(ticket: Int) -> Item? {
        guard var rest = behind[ticket], !rest.isEmpty else {
            behind[ticket] = nil
            return nil
        }
        let next = rest.removeFirst()
        behind[ticket] = rest
        return next
    }
}
