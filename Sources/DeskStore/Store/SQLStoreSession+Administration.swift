import DeskCore
import Foundation
import SQLKit

/// Writes of the administration services: agents, customers, queues, states, dynamic fields and
/// settings (services and SLAs: `SQLStoreSession+Services`).
extension SQLStoreSession {
    func insertAgent(_ agent: NewAgent) async throws -> Int {
        touchDirectory()
        return try await db.insertRows(
            "agents", ["login", "password_hash", "first_name", "last_name", "email", "valid_id", "created_at", "changed_at"],
            [
                [
                    agent.login, agent.passwordHash, agent.firstName, agent.lastName, agent.email, 1, agent.createdAt, agent.createdAt,
                ]
            ], returningID: true)[0]
    }

    func setAgentPassword(agentID: Int, hash: String) async throws {
        touchDirectory()
        try await db.raw("UPDATE agents SET password_hash = \(bind: hash) WHERE id = \(bind: agentID)").run()
    }

    func grant(_ permissions: [GroupPermission], toAgent agentID: Int) async throws {
        touchDirectory()
        for permission in permissions {
            try await db.raw(
                """
                INSERT INTO agent_group_permissions (agent_id, group_id, permission)
                VALUES (\(bind: agentID), \(bind: permission.groupID), \(bind: permission.permission.rawValue)) ON CONFLICT DO NOTHING
                """
            ).run()
        }
    }

    /// Subscriptions are read when notifications are planned, not kept: no directory change.
    func setSubscriptions(_ kind: Subscription, agentID: Int, objectIDs: [Int]) async throws {
        let (table, column) = SQLStoreSession.subscriptionTable(kind)
        try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE agent_id = \(bind: agentID)").run()
        for objectID in Set(objectIDs).sorted() {
            try await db.raw(
                "INSERT INTO \(unsafeRaw: table) (agent_id, \(unsafeRaw: column)) VALUES (\(bind: agentID), \(bind: objectID)) ON CONFLICT DO NOTHING"
            ).run()
        }
    }

    /// A new customer user changes no principal resolved before it (a login and password are
    /// tried as an agent first, kept principals are those of users that exist, sessions name
    /// existing users), so, unlike the changes below, it does not touch the directory: kept
    /// principals stay valid while tickets register their submitters.
    func insertCustomerUser(_ customer: NewCustomerUser) async throws -> Int {
        try await db.insertRows("customer_users", Self.customerUserColumns, [Self.customerUserRow(customer)], returningID: true)[0]
    }

    static let customerUserColumns = [
        "login", "password_hash", "email", "first_name", "last_name", "customer_id", "valid_id", "phone", "comments", "created_at",
        "changed_at",
    ]

    /// A new customer user's values for `customerUserColumns`.
    static func customerUserRow(_ customer: NewCustomerUser) -> [Bindable] {
        [
            customer.login, customer.passwordHash, customer.email, customer.firstName, customer.lastName, customer.customerID,
            customer.validity.rawValue, customer.phone, customer.comment, customer.createdAt, customer.createdAt,
        ]
    }

    /// Two statements that need no answer, held on PostgreSQL (`insertLater`): the company
    /// (unless the login or the company exists) and the user (unless the login exists). Held
    /// together they run on one snapshot, so the company's check sees the state before the user.
    func insertCustomerUserIfAbsent(_ customer: NewCustomerUser) async throws {
        let time = customer.createdAt
        let company: SQLQueryString = """
            INSERT INTO customer_companies (customer_id, name, valid_id, created_at, changed_at)
            SELECT \(bind: customer.customerID), \(bind: customer.customerID), \(bind: Validity.valid.rawValue), \(bind: time), \(bind: time)
            WHERE NOT EXISTS (SELECT 1 FROM customer_users WHERE login = \(bind: customer.login))
            ON CONFLICT (customer_id) DO NOTHING
            """
        if let holding {
            try await holding.hold(company, into: "customer_companies", binds: 6)
        } else {
            try await db.raw(company).run()
        }
        try await insertLater(
            "customer_users", Self.customerUserColumns, [Self.customerUserRow(customer)], onConflict: .skip(key: ["login"]))
    }

    func setCustomerValidity(login: String, _ validity: Validity) async throws {
        touchDirectory()
        try await db.raw("UPDATE customer_users SET valid_id = \(bind: validity.rawValue) WHERE login = \(bind: login)").run()
    }

    func setCustomerPassword(login: String, hash: String) async throws {
        touchDirectory()
        try await db.raw("UPDATE customer_users SET password_hash = \(bind: hash) WHERE login = \(bind: login)").run()
    }

    func completeCustomerUser(login: String, passwordHash: String, email: String, firstName: String, lastName: String, at time: Int64)
        async throws
    {
        touchDirectory()
        try await db.raw(
            """
            UPDATE customer_users SET password_hash = \(bind: passwordHash), email = \(bind: email), first_name = \(bind: firstName),
            last_name = \(bind: lastName), changed_at = \(bind: time) WHERE login = \(bind: login)
            """
        ).run()
    }

    func insertCustomerCompany(_ company: CustomerCompany, at time: Int64) async throws {
        try await db.insertRows(
            "customer_companies", ["customer_id", "name", "valid_id", "created_at", "changed_at"],
            [
                [
                    company.customerID, company.name, company.validity.rawValue, time, time,
                ]
            ])
    }

    func insertQueue(_ queue: NewQueue) async throws -> Int {
        touchCatalog()
        return try await db.insertRows(
            "queues",
            [
                "name", "group_id", "system_address_id", "parent_id", "unlock_timeout", "follow_up_id", "first_response_time",
                "update_time", "solution_time", "first_response_notify", "update_notify", "solution_notify", "calendar_name",
                "comments", "valid_id", "created_at", "changed_at", "signature_id",
            ],
            [
                [
                    queue.name, queue.groupID, queue.systemAddressID, queue.parentID, queue.unlockTimeout, queue.followUpID,
                    queue.firstResponseMinutes, queue.updateMinutes, queue.solutionMinutes, queue.notify.firstResponse,
                    queue.notify.update, queue.notify.solution, queue.calendar, queue.comment, 1, queue.createdAt, queue.createdAt,
                    queue.signatureID,
                ]
            ], returningID: true)[0]
    }

    func updateQueue(id: Int, _ changes: QueueChanges, at time: Int64) async throws {
        touchCatalog()
        var assignments: [SQLQueryString] = ["changed_at = \(bind: time)"]
        if let name = changes.name { assignments.append("name = \(bind: name)") }
        if let id = changes.systemAddressID { assignments.append("system_address_id = \(bind: id)") }
        if let id = changes.signatureID { assignments.append("signature_id = \(bind: id)") }
        if let parentID = changes.parentID { assignments.append("parent_id = \(bind: parentID)") }
        if let minutes = changes.firstResponseMinutes { assignments.append("first_response_time = \(bind: minutes)") }
        if let minutes = changes.updateMinutes { assignments.append("update_time = \(bind: minutes)") }
        if let minutes = changes.solutionMinutes { assignments.append("solution_time = \(bind: minutes)") }
        if let notify = changes.notify {
            assignments.append("first_response_notify = \(bind: notify.firstResponse)")
            assignments.append("update_notify = \(bind: notify.update)")
            assignments.append("solution_notify = \(bind: notify.solution)")
        }
        if let calendar = changes.calendar { assignments.append("calendar_name = \(bind: calendar)") }
        if let comment = changes.comment { assignments.append("comments = \(bind: comment)") }
        if let validity = changes.validity { assignments.append("valid_id = \(bind: validity.rawValue)") }
        try await db.raw("UPDATE queues SET \(assignments.joined(separator: ", ")) WHERE id = \(bind: id)").run()
    }

    func insertSignature(name: String, text: String, at time: Int64) async throws -> Int {
        touchCatalog()
        return try await db.insertRows("signatures", ["name", "body", "created_at"], [[name, text, time]], returningID: true)[0]
    }

    func updateSignature(id: Int, text: String) async throws {
        touchCatalog()
        try await db.raw("UPDATE signatures SET body = \(bind: text) WHERE id = \(bind: id)").run()
    }

    func insertSystemAddress(address: String, realName: String, queueID: Int, at time: Int64) async throws -> Int {
        touchCatalog()
        return try await db.insertRows(
            "system_addresses", ["address", "realname", "queue_id", "valid_id"], [[address, realName, queueID, 1]], returningID: true)[0]
    }

    func insertState(name: String, typeID: Int) async throws -> Int {
        touchCatalog()
        return try await db.insertRows("ticket_states", ["name", "type_id", "valid_id"], [[name, typeID, 1]], returningID: true)[0]
    }

    func insertPriority(name: String) async throws -> Int {
        touchCatalog()
        return try await db.insertRows("ticket_priorities", ["name", "valid_id"], [[name, 1]], returningID: true)[0]
    }

    func insertTicketType(name: String, validity: Validity) async throws -> Int {
        touchCatalog()
        return try await db.insertRows("ticket_types", ["name", "valid_id"], [[name, validity.rawValue]], returningID: true)[0]
    }

    func updateTicketType(id: Int, name: String, validity: Validity) async throws {
        touchCatalog()
        try await db.raw("UPDATE ticket_types SET name = \(bind: name), valid_id = \(bind: validity.rawValue) WHERE id = \(bind: id)").run()
    }

    func updateAgentProfile(id: Int, firstName: String, lastName: String, email: String, validity: Validity, at time: Int64) async throws {
        touchDirectory()
        try await db.raw(
            """
            UPDATE agents SET first_name = \(bind: firstName), last_name = \(bind: lastName), email = \(bind: email),
                valid_id = \(bind: validity.rawValue), changed_at = \(bind: time)
            WHERE id = \(bind: id)
            """
        ).run()
    }

    func insertDynamicField(_ field: NewDynamicField) async throws -> Int {
        touchCatalog()
        let order =
            try await db.raw("SELECT COALESCE(MAX(field_order), 0) + 1 AS next FROM dynamic_fields").first()?.decode(
                column: "next", as: Int.self) ?? 1
        let config = DynamicFieldConfig(possibleValues: field.possibleValues, possibleNone: field.possibleNone)
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        return try await db.insertRows(
            "dynamic_fields",
            [
                "name", "label", "field_order", "field_type", "object_type", "config", "internal_field", "valid_id", "created_at",
                "changed_at",
            ],
            [
                [
                    field.name, field.label, order, field.type.rawValue, field.object.rawValue, json, 0, 1, field.createdAt,
                    field.createdAt,
                ]
            ], returningID: true)[0]
    }

    func setSetting(key: String, value: String) async throws {
        touchCatalog()
        try await db.raw(
            """
            INSERT INTO settings (setting_key, setting_value) VALUES (\(bind: key), \(bind: value))
            ON CONFLICT (setting_key) DO UPDATE SET setting_value = excluded.setting_value
            """
        ).run()
    }
}

/// The JSON kept in `dynamic_fields.config`.
struct DynamicFieldConfig: Codable {
    var possibleValues: [DynamicField.PossibleValue]
    var possibleNone: Bool
}
