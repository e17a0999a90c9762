import DeskCore
import Foundation
import SQLKit

/// Reads every catalog table. Run when the cached catalog has expired.
struct CatalogLoader {
    let db: any SQLDatabase

    /// The reads run one after another: a session's connection serves one statement at a time.
    func load() async throws -> Catalog {
        let stateTypes = try await lookups("ticket_state_types", valid: false)
        let priorities = try await lookups("ticket_priorities")
        let types = try await lookups("ticket_types")
        let locks = try await lookups("ticket_lock_types", valid: false)
        let groups = try await lookups("agent_groups")
        let senders = try await lookups("article_sender_types", valid: false)
        let channels = try await lookups("communication_channels", valid: false)
        let autoResponses = try await lookups("auto_response_types", valid: false)
        let services = try await lookups("services")
        var catalog = Catalog(
            stateTypes: stateTypes, states: try await states(), priorities: priorities,
            ticketTypes: types, locks: locks, groups: groups, queues: try await queues(),
            services: services.map { DeskServiceItem(id: $0.id, name: $0.name, validity: $0.validity) },
            slas: try await slas(), senderTypes: senders, channels: channels,
            autoResponseTypes: autoResponses,
            systemAddresses: try await systemAddresses(), dynamicFields: try await dynamicFields(), settings: try await settings())
        catalog.linkedAutoResponses = Set(
            try await db.raw("SELECT queue_id, type_id FROM queue_auto_responses").all().map {
                [try $0.decode(column: "queue_id", as: Int.self), try $0.decode(column: "type_id", as: Int.self)]
            })
        for row in try await db.raw("SELECT id, name, body FROM signatures ORDER BY id").all() {
            let id = try row.decode(column: "id", as: Int.self)
            catalog.signatures[id] = Signature(
                id: id, name: try row.decode(column: "name", as: String.self), text: try row.decode(column: "body", as: String.self))
        }
        return catalog
    }

    private func lookups(_ table: String, valid: Bool = true) async throws -> [Lookup] {
        let columns = valid ? "id, name, valid_id" : "id, name"
        return try await db.raw("SELECT \(unsafeRaw: columns) FROM \(ident: table) ORDER BY id").all().map { row in
            Lookup(
                id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
                validity: valid ? try Rows.validity(row) : .valid)
        }
    }

    private func states() async throws -> [TicketState] {
        try await db.raw("SELECT id, name, type_id, valid_id FROM ticket_states ORDER BY id").all().map { row in
            TicketState(
                id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
                typeID: try row.decode(column: "type_id", as: Int.self), validity: try Rows.validity(row))
        }
    }

    private func queues() async throws -> [Queue] {
        try await db.raw(
            """
            SELECT id, name, group_id, system_address_id, parent_id, unlock_timeout, follow_up_id, first_response_time,
                   update_time, solution_time, first_response_notify, update_notify, solution_notify, calendar_name, comments,
                   valid_id, signature_id FROM queues ORDER BY id
            """
        ).all().map { row in
            Queue(
                id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
                groupID: try row.decode(column: "group_id", as: Int.self),
                systemAddressID: try row.decode(column: "system_address_id", as: Int.self),
                parentID: try row.decode(column: "parent_id", as: Int?.self),
                unlockTimeout: try row.decode(column: "unlock_timeout", as: Int.self),
                followUpID: try row.decode(column: "follow_up_id", as: Int.self),
                firstResponseMinutes: try row.decode(column: "first_response_time", as: Int.self),
                updateMinutes: try row.decode(column: "update_time", as: Int.self),
                solutionMinutes: try row.decode(column: "solution_time", as: Int.self), notify: try Self.notify(row),
                calendar: try row.decode(column: "calendar_name", as: String.self),
                comment: try row.decode(column: "comments", as: String.self), validity: try Rows.validity(row),
                signatureID: try row.decode(column: "signature_id", as: Int?.self))
        }
    }

    private func slas() async throws -> [SLA] {
        let links = try await db.raw("SELECT sla_id, service_id FROM sla_services").all()
        var services: [Int: [Int]] = [:]
        for row in links {
            services[try row.decode(column: "sla_id", as: Int.self), default: []].append(try row.decode(column: "service_id", as: Int.self))
        }
        return try await db.raw(
            """
            SELECT id, name, first_response_time, update_time, solution_time, first_response_notify, update_notify,
                   solution_notify, calendar_name, valid_id FROM slas ORDER BY id
            """
        ).all()
            .map { row in
                let id = try row.decode(column: "id", as: Int.self)
                return SLA(
                    id: id, name: try row.decode(column: "name", as: String.self), serviceIDs: services[id] ?? [],
                    firstResponseMinutes: try row.decode(column: "first_response_time", as: Int.self),
                    updateMinutes: try row.decode(column: "update_time", as: Int.self),
                    solutionMinutes: try row.decode(column: "solution_time", as: Int.self), notify: try Self.notify(row),
                    calendar: try row.decode(column: "calendar_name", as: String.self), validity: try Rows.validity(row))
            }
    }

    /// A queue's or SLA's notify-before percentages.
    private static func notify(_ row: any SQLRow) throws -> EscalationNotify {
        EscalationNotify(
            firstResponse: try row.decode(column: "first_response_notify", as: Int.self),
            update: try row.decode(column: "update_notify", as: Int.self),
            solution: try row.decode(column: "solution_notify", as: Int.self))
    }

    private func systemAddresses() async throws -> [SystemAddress] {
        try await db.raw("SELECT id, address, realname, queue_id, valid_id FROM system_addresses ORDER BY id").all().map { row in
            SystemAddress(
                id: try row.decode(column: "id", as: Int.self), address: try row.decode(column: "address", as: String.self),
                realName: try row.decode(column: "realname", as: String.self), queueID: try row.decode(column: "queue_id", as: Int.self),
                validity: try Rows.validity(row))
        }
    }

    private func dynamicFields() async throws -> [DynamicField] {
        try await db.raw(
            """
            SELECT id, name, label, field_order, field_type, object_type, config, internal_field, valid_id
            FROM dynamic_fields ORDER BY id
            """
        ).all().compactMap { row in
            guard let type = DynamicFieldType(rawValue: try row.decode(column: "field_type", as: String.self)),
                let object = DynamicFieldObject(rawValue: try row.decode(column: "object_type", as: String.self))
            else { return nil }
            let json = try row.decode(column: "config", as: String.self)
            let config = try? JSONDecoder().decode(DynamicFieldConfig.self, from: Data(json.utf8))
            return DynamicField(
                id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
                label: try row.decode(column: "label", as: String.self), fieldOrder: try row.decode(column: "field_order", as: Int.self),
                type: type, object: object, possibleValues: config?.possibleValues ?? [], possibleNone: config?.possibleNone ?? false,
                isInternal: try row.decode(column: "internal_field", as: Int.self) == 1, validity: try Rows.validity(row))
        }
    }

    private func settings() async throws -> Settings {
        var values: [String: String] = [:]
        for row in try await db.raw("SELECT setting_key, setting_value FROM settings").all() {
            values[try row.decode(column: "setting_key", as: String.self)] = try row.decode(column: "setting_value", as: String.self)
        }
        return Settings(values)
    }
}
