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
        try Self.checkSignatureText(text)
        let now = clock.now()
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            if catalog.signatures.values.contains(where: { $0.name == name }) { throw DeskError.conflict(.exists(.signature, key: name)) }
            return try await tx.insertSignature(name: name, text: text, at: now)
        }
    }

    /// Replaces the text of the signature named `name` (e.g. Znuny's standard one, which every
    /// queue of a fresh database appends).
    public func setSignatureText(name: String, text: String) async throws {
        try Self.checkSignatureText(text)
        try await store.write { tx in
            guard let signature = try await tx.catalog().signatures.values.first(where: { $0.name == name }) else {
                throw DeskError.notFound(.signature, key: name)
            }
            try await tx.updateSignature(id: signature.id, text: text)
        }
    }

    private static func checkSignatureText(_ text: String) throws {
        guard text.count <= maxSignatureLength else {
            throw DeskError.invalid(.other("text"), .outOfRange("at most \(maxSignatureLength) characters"))
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
