extension MailAddress {
    /// The entries of an address list (`a@example.com, "Doe, Jo" <jo@example.com>`), split at
    /// commas and semicolons outside quotes and angle brackets, trimmed, empty entries dropped.
    public static func list(_ text: String) -> [String] {
        var entries: [String] = []
        var current = ""
        var inQuotes = false
        var inAngle = false
        var escaped = false
        for character in text {
            if escaped {
                escaped = false
            } else if inQuotes && character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if !inQuotes && character == "<" {
                inAngle = true
            } else if !inQuotes && character == ">" {
                inAngle = false
            } else if !inQuotes && !inAngle && (character == "," || character == ";") {
                entries.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        entries.append(current)
        return entries.map(\.trimmingSpaces).filter { !$0.isEmpty }
    }

    /// Usable as an SMTP envelope address: `local@domain` without spaces, brackets or quotes
    /// (a domain without a dot, like Znuny's default `znuny@localhost`, is accepted here).
    public static func isEnvelopeAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "," || $0 == ";" })
    }

    /// The display name of one entry (`"Doe, Jo" <jo@…>` → `Doe, Jo`, quotes and escapes
    /// removed), empty when it has none.
    public static func displayName(_ entry: String) -> String {
        let trimmed = entry.trimmingSpaces
        guard let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") else { return "" }
        var name = trimmed[..<open].trimmingSpaces
        if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 {
            var unquoted = ""
            var escaped = false
            for character in name.dropFirst().dropLast() {
                if !escaped && character == "\\" {
                    escaped = true
                    continue
                }
                escaped = false
                unquoted.append(character)
            }
            name = unquoted
        }
        return name
    }

    /// The address of one entry: what stands in `<…>`, else the entry itself.
    public static func bare(_ entry: String) -> String {
        let trimmed = entry.trimmingSpaces
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            return String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]).trimmingSpaces
        }
        return trimmed
    }
}
