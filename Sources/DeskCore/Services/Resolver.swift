/// Resolves references against the catalog and the store, throwing `.invalid` with the field name
/// a caller understands. Shared by create and update.
struct Resolver {
    let catalog: Catalog
    let reader: any StoreReader

    func queue(_ ref: Ref) throws(DeskError) -> Queue {
        guard let queue = catalog.queues[ref], queue.validity == .valid else { throw .invalid(field: "Queue", reason: "unknown queue '\(ref)'") }
        return queue
    }

    func state(_ ref: Ref) throws(DeskError) -> TicketState {
        guard let state = catalog.states[ref], state.validity == .valid else { throw .invalid(field: "State", reason: "unknown state '\(ref)'") }
        return state
    }

    func priority(_ ref: Ref) throws(DeskError) -> Lookup {
        guard let priority = catalog.priorities[ref], priority.isValid else { throw .invalid(field: "Priority", reason: "unknown priority '\(ref)'") }
        return priority
    }

    func type(_ ref: Ref) throws(DeskError) -> Lookup {
        guard let type = catalog.ticketTypes[ref], type.isValid else { throw .invalid(field: "Type", reason: "unknown ticket type '\(ref)'") }
        return type
    }

    func lock(_ ref: Ref) throws(DeskError) -> Lookup {
        guard let lock = catalog.locks[ref] else { throw .invalid(field: "Lock", reason: "unknown lock '\(ref)'") }
        return lock
    }

    func service(_ ref: Ref) throws(DeskError) -> DeskServiceItem {
        guard let service = catalog.services[ref], service.validity == .valid else { throw .invalid(field: "Service", reason: "unknown service '\(ref)'") }
        return service
    }

    func sla(_ ref: Ref, serviceID: Int?) throws(DeskError) -> SLA {
        guard let sla = catalog.slas[ref], sla.validity == .valid else { throw .invalid(field: "SLA", reason: "unknown SLA '\(ref)'") }
        guard let serviceID, sla.serviceIDs.contains(serviceID) else {
            throw .invalid(field: "SLA", reason: "SLA '\(sla.name)' does not cover the ticket's service")
        }
        return sla
    }

    func agent(_ ref: Ref, field: String) async throws -> Agent {
        let agent: Agent? = switch ref {
        case .id(let id): try await reader.agent(id: id)
        case .name(let login): try await reader.agent(login: login)
        }
        guard let agent, agent.validity == .valid else { throw DeskError.invalid(field: field, reason: "unknown agent '\(ref)'") }
        return agent
    }

    func senderType(_ ref: Ref?, principal: Principal) throws(DeskError) -> Lookup {
        let fallback: Ref = switch principal {
        case .agent: .name("agent")
        case .customer: .name("customer")
        }
        guard let sender = catalog.senderTypes[ref ?? fallback] else { throw .invalid(field: "SenderType", reason: "unknown sender type '\(ref ?? fallback)'") }
        return sender
    }

    func channel(_ ref: Ref?) throws(DeskError) -> Lookup {
        guard let channel = catalog.channels[ref ?? .name("Internal")] else {
            throw .invalid(field: "CommunicationChannel", reason: "unknown communication channel '\(ref ?? .name("Internal"))'")
        }
        return channel
    }

    func historyType(_ name: String) throws(DeskError) -> Int {
        guard let type = catalog.historyTypes[name] else { throw .invalid(field: "HistoryType", reason: "unknown history type '\(name)'") }
        return type.id
    }

    /// Resolves dynamic field inputs to (field, canonical values), checking the object type.
    func dynamicFields(_ inputs: [DynamicFieldInput]) throws(DeskError) -> [(field: DynamicField, values: [String])] {
        var result: [(DynamicField, [String])] = []
        for input in inputs {
            guard let field = catalog.dynamicFields[input.name], field.validity == .valid else {
                throw .invalid(field: "DynamicField", reason: "unknown dynamic field '\(input.name)'")
            }
            result.append((field, try DynamicFieldValidator.canonicalValues(input, for: field)))
        }
        return result
    }
}

/// Syntax checks shared by the faces and the core.
public enum MailAddress {
    /// A pragmatic check for `local@domain.tld`, optionally inside `Name <…>`.
    public static func isValid(_ text: String) -> Bool {
        var address = Substring(text.trimmingSpaces)
        if let open = address.lastIndex(of: "<"), address.hasSuffix(">") {
            address = address[address.index(after: open)..<address.index(before: address.endIndex)]
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !address.contains(where: { $0 == " " || $0 == "," || $0 == ";" || $0 == "\n" })
        else { return false }
        return true
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines.
    public var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
