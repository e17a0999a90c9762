import Testing

@testable import DeskMail

@Suite("The sender's delivery queue")
struct DeliveryQueueTests {
    /// A message: its ticket and its name.
    struct Mail: Equatable {
        let ticket: Int
        let name: String
    }

    static func queue(_ mails: [Mail] = []) -> DeliveryQueue<Mail> {
        var queue = DeliveryQueue<Mail>(ticketOf: \.ticket)
        queue.add(mails)
        return queue
    }

    @Test("different tickets go out side by side, in the order of their first message")
    func sideBySide() {
        var queue = Self.queue([Mail(ticket: 2, name: "a"), Mail(ticket: 1, name: "b"), Mail(ticket: 3, name: "c")])
        #expect(queue.start()?.name == "a")
        #expect(queue.start()?.name == "b")
        #expect(queue.start()?.name == "c")
        #expect(queue.start() == nil)
        #expect(queue.inFlight == 3)
    }

    @Test("a ticket's messages go out one at a time, in order")
    func oneTicketInOrder() {
        var queue = Self.queue([Mail(ticket: 1, name: "first"), Mail(ticket: 2, name: "other"), Mail(ticket: 1, name: "second")])
        #expect(queue.start()?.name == "first")
        #expect(queue.start()?.name == "other")
        #expect(queue.start() == nil)
        #expect(queue.finished(ticket: 1)?.name == "second")
        #expect(queue.finished(ticket: 1) == nil)
        #expect(queue.finished(ticket: 2) == nil)
        #expect(queue.inFlight == 0)
    }

    @Test("a message claimed later for a ticket in flight waits behind the one being sent")
    func laterClaimWaitsBehind() {
        var queue = Self.queue([Mail(ticket: 1, name: "first")])
        #expect(queue.start()?.name == "first")
        queue.add([Mail(ticket: 1, name: "reply"), Mail(ticket: 5, name: "new")])
        #expect(queue.hasWaiting)
        #expect(queue.start()?.name == "new")
        #expect(queue.start() == nil)
        #expect(queue.finished(ticket: 1)?.name == "reply")
        #expect(queue.finished(ticket: 1) == nil)
    }

    @Test("a later claim for a waiting ticket joins its chain, not a new one")
    func laterClaimJoinsWaitingChain() {
        var queue = Self.queue([Mail(ticket: 7, name: "one")])
        queue.add([Mail(ticket: 7, name: "two")])
        #expect(queue.start()?.name == "one")
        #expect(queue.start() == nil)
        #expect(queue.finished(ticket: 7)?.name == "two")
    }

    @Test("once a ticket is done, its next claimed message starts a fresh chain")
    func doneTicketStartsAgain() {
        var queue = Self.queue([Mail(ticket: 1, name: "first")])
        _ = queue.start()
        #expect(queue.finished(ticket: 1) == nil)
        queue.add([Mail(ticket: 1, name: "later")])
        #expect(queue.start()?.name == "later")
    }
}
