extension AdminService {
    /// The longest signature text (Znuny's column holds 3,000 characters).
    public static let maxSignatureLength = 3_000

    /// Adds a plain-text signature (see `Signature` and `OTRSTags` for the tags it may use).
    /// Names are unique.
    @discardableResult
    public func addSignature(name: String, text: String) async throws -> Int {
        let name = name.trimmingSpaces
        guard !name.isEmpty, name.count <= 200, !name.contains(where: \.isNewline) else {
            throw DeskError.invalid(.other("name"), .malformed(expected: "one line of 1 to 200 characters"))
        }
        guard text.count <= Self.maxSignatureLength else {
            throw DeskError.invalid(.other("text"), .outOfRange("at most \(Self.maxSignatureLength) characters"))
        }
        let now = clock.now()
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            if catalog.signatures.values.contains(where: { $0.name == name }) { throw DeskError.conflict(.exists(.signature, key: name)) }
            return try await tx.insertSignature(name: name, text: text, at: now)
        }
    }

    /// Gives `queue` the signature named `name`; nil: no signature.
    public func setQueueSignature(queue: String, name: String?) async throws {
        let now = clock.now()
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let queueRow = catalog.queues[queue] else { throw DeskError.notFound(.queue, key: queue) }
            var changes = QueueChanges()
            if let name {
                guard let signature = catalog.signatures.values.first(where: { $0.name == name }) else {
                    throw DeskError.notFound(.signature, key: name)
                }
                changes.signatureID = .some(signature.id)
            } else {
                changes.signatureID = .some(nil)
            }
            try await tx.updateQueue(id: queueRow.id, changes, at: now)
        }
    }
}
