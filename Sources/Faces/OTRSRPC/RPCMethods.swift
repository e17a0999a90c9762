import DeskCore
import DeskFaceKit
import Logging

/// The whitelisted `Object→Method` pairs of `rpc.pl`, with OTRS 3 parameter names and return
/// shapes (§8.5 of the spec), translated to core calls.
///
/// OTRS 3 methods do not die on bad input: they log "Need X!" and return nothing. The same happens
/// here for missing parameters and for errors the core reports (not found, not allowed, invalid),
/// so scripts that test `$som->result` for undef keep working; the reason goes to the log.
struct RPCMethods {
    let services: DeskServices
    let logger: Logger

    /// A refusal answered with a SOAP Fault.
    struct Failure: Error {
        let message: String
    }

    /// "Log and return nothing", OTRS 3's way of failing.
    struct Nothing: Error {
        let reason: String
    }

    /// The objects Znuny's (and OTRS 6's) `rpc.pl` builds; any other name (OTRS 3's `DBObject`
    /// and `MainObject` too) gets "No such Object".
    static let objects: Set<String> = [
        "ConfigObject", "CustomerCompanyObject", "CustomerUserObject", "EncodeObject", "GroupObject", "LinkObject", "LogObject",
        "PIDObject", "QueueObject", "SessionObject", "TicketObject", "TimeObject", "UserObject",
    ]

    /// Every pair SwiftDesk answers. Anything else is a Fault.
    static let supported: [String: Set<String>] = [
        "TicketObject": [
            "TicketCreate", "ArticleCreate", "TicketGet", "TicketSearch", "TicketNumberLookup", "TicketIDLookup",
            "TicketStateSet", "TicketQueueSet", "TicketOwnerSet", "TicketResponsibleSet", "TicketLockSet", "TicketPrioritySet",
            "TicketTypeSet", "TicketCustomerSet", "TicketTitleUpdate", "HistoryGet", "ArticleIndex", "ArticleGet",
            "TicketAccountTime", "TicketCreateNumber",
        ],
        "CustomerUserObject": ["CustomerName", "CustomerUserDataGet", "CustomerIDs", "CustomerSearch"],
        "UserObject": ["UserLookup", "GetUserData"],
        "QueueObject": ["QueueLookup", "GetAllQueues"],
    ]

    func call(object: String, method: String, parameters: [String: JSONValue]) async throws -> [PerlValue] {
        guard Self.supported[object]?.contains(method) == true else {
            throw Failure(message: "SwiftDesk rpc.pl does not support \(object)->\(method)")
        }
        return try await quietly(object, method) {
            switch object {
            case "TicketObject": try await RPCTicketMethods(services: services).call(method, RPCParameters(parameters))
            default: try await RPCLookupMethods(services: services).call(object, method, RPCParameters(parameters))
            }
        }
    }

    /// Runs `body`, turning a missing parameter or a core refusal into an empty return that is
    /// logged, as OTRS 3 does. Other errors (faults, failures) pass through.
    private func quietly(_ object: String, _ method: String, _ body: () async throws -> [PerlValue]) async throws -> [PerlValue] {
        let reason: String
        do {
            return try await body()
        } catch let nothing as Nothing {
            reason = nothing.reason
        } catch let error as DeskError {
            reason = "\(error)"
        }
        logger.notice(
            "rpc.pl method returned nothing",
            metadata: [
                "object": .string(object), "method": .string(method), "reason": .string(reason),
            ])
        return []
    }

    /// `DispatchMultipleTicketMethods`: each `{Method, Parameter}` in order; a first-position
    /// `TicketCreate` of `TicketObject` passes its TicketID to the later calls that lack one.
    /// Returns that TicketID. A leading TicketCreate followed by an ArticleCreate runs as one core
    /// create (one transaction); every other call is its own transaction, as each was in OTRS.
    func callMultiple(object: String, list: JSONValue) async throws -> [PerlValue] {
        var entries: [(method: String, parameters: [String: JSONValue])] = []
        for (index, entry) in (list.arrayValue ?? [list]).enumerated() {
            guard let method = entry["Method"]?.scalarString else {
                throw Failure(message: "DispatchMultipleTicketMethods: entry \(index + 1) has no Method")
            }
            entries.append((method, entry["Parameter"]?.objectValue ?? [:]))
        }
        var ticketID: String?
        if object == "TicketObject", entries.first?.method == "TicketCreate", entries.count > 1, entries[1].method == "ArticleCreate" {
            let created = try await quietly(object, "TicketCreate") {
                let id = try await RPCTicketMethods(services: services)
                    .createWithArticle(RPCParameters(entries[0].parameters), RPCParameters(entries[1].parameters))
                return [.int(id)]
            }
            guard case .scalar(let id)? = created.first else { return [.undef] }
            ticketID = id
            entries.removeFirst(2)
        }
        let leadingCreate = object == "TicketObject" && entries.first?.method == "TicketCreate"
        for (index, entry) in entries.enumerated() {
            var parameters = entry.parameters
            // rpc.pl's `!$Parameter{TicketID}`: absent, empty or "0".
            if let ticketID, !parameters.isTrue("TicketID") { parameters["TicketID"] = .string(ticketID) }
            let result = try await call(object: object, method: entry.method, parameters: parameters)
            if leadingCreate, index == 0, case .scalar(let id)? = result.first { ticketID = id }
        }
        // rpc.pl returns `$TicketID`, undef (`xsi:nil`) when no TicketCreate gave one.
        return [ticketID.map { .scalar($0) } ?? .undef]
    }
}

/// Parameters of one call with OTRS 3's conventions: `X`/`XID` pairs, required keys.
struct RPCParameters {
    let values: [String: JSONValue]

    init(_ values: [String: JSONValue]) {
        self.values = values
    }

    /// A non-empty scalar.
    func text(_ key: String) -> String? {
        guard let value = values[key]?.scalarString, !value.isEmpty else { return nil }
        return value
    }

    func required(_ key: String) throws -> String {
        guard let value = text(key) else { throw RPCMethods.Nothing(reason: "Need \(key)!") }
        return value
    }

    func int(_ key: String) throws -> Int? {
        guard let text = text(key) else { return nil }
        guard let value = Int(text) else { throw RPCMethods.Nothing(reason: "\(key) is not a number!") }
        return value
    }

    func requiredInt(_ key: String) throws -> Int {
        guard let value = try int(key) else { throw RPCMethods.Nothing(reason: "Need \(key)!") }
        return value
    }

    /// `Queue`/`QueueID`: the id wins.
    func ref(_ name: String) throws -> Ref? {
        if let id = try int(name + "ID") { return .id(id) }
        return text(name).map(Ref.name)
    }

    func requiredRef(_ name: String) throws -> Ref {
        guard let ref = try ref(name) else { throw RPCMethods.Nothing(reason: "Need \(name) or \(name)ID!") }
        return ref
    }
}
