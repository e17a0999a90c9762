extension AdminService {
    /// One out-of-office change, by agent login.
    public struct OutOfOfficeEntry: Sendable {
        public var login: String
        public var enabled: Bool
        /// `YYYY-MM-DD`; nil keeps the stored date.
        public var start: String?
        /// `YYYY-MM-DD`; nil keeps the stored date.
        public var end: String?

        public init(login: String, enabled: Bool, start: String?, end: String?) {
            self.login = login
            self.enabled = enabled
            self.start = start
            self.end = end
        }
    }

    /// Sets out-of-office flags and dates; only admins (`rw` in group `admin`) may.
    /// Entries naming unknown agents are skipped; returns how many were applied.
    @discardableResult
    public func setOutOfOffice(_ entries: [OutOfOfficeEntry], by principal: Principal) async throws -> Int {
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard GroupAccess.isAdmin(principal, catalog: catalog) else { throw DeskError.accessDenied(.changeOutOfOffice) }
            var applied = 0
            for entry in entries {
                for date in [entry.start, entry.end].compactMap({ $0 }) where CivilDate(timestamp: date) == nil {
                    throw DeskError.invalid(.other("OutOfOffice"), .malformed(expected: "a date YYYY-MM-DD"))
                }
                guard let target = try await tx.agent(login: entry.login) else { continue }
                try await tx.setOutOfOffice(agentID: target.id, enabled: entry.enabled, start: entry.start, end: entry.end)
                applied += 1
            }
            return applied
        }
    }
}
