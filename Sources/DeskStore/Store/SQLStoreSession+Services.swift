import DeskCore
import SQLKit

/// Services, SLAs and which customer users may use a service (`ServiceAssignment`). Services and
/// SLAs are catalog data; assignments are read by key when a ticket is given a service.
extension SQLStoreSession {
    func serviceAssignments(logins: [String]) async throws -> [(login: String, serviceID: Int)] {
        guard !logins.isEmpty else { return [] }
        return try await db.raw(
            """
            SELECT customer_user_login, service_id FROM service_customer_users
            WHERE customer_user_login IN (\(binds: logins.map { $0 as Bindable }))
            """
        ).all().map(Self.assignment)
    }

    func serviceAssignments() async throws -> [(login: String, serviceID: Int)] {
        try await db.raw("SELECT customer_user_login, service_id FROM service_customer_users ORDER BY customer_user_login, service_id")
            .all().map(Self.assignment)
    }

    private static func assignment(_ row: any SQLRow) throws -> (login: String, serviceID: Int) {
        (try row.decode(column: "customer_user_login", as: String.self), try row.decode(column: "service_id", as: Int.self))
    }

    func setServiceAssignment(serviceID: Int, login: String, assigned: Bool) async throws {
        if assigned {
            try await db.raw(
                """
                INSERT INTO service_customer_users (service_id, customer_user_login) VALUES (\(bind: serviceID), \(bind: login))
                ON CONFLICT DO NOTHING
                """
            ).run()
        } else {
            try await db.raw(
                "DELETE FROM service_customer_users WHERE service_id = \(bind: serviceID) AND customer_user_login = \(bind: login)"
            ).run()
        }
    }

    func insertService(name: String, validity: Validity) async throws -> Int {
        touchCatalog()
        return try await db.insertRows("services", ["name", "valid_id"], [[name, validity.rawValue]], returningID: true)[0]
    }

    func updateService(id: Int, name: String, validity: Validity) async throws {
        touchCatalog()
        try await db.raw("UPDATE services SET name = \(bind: name), valid_id = \(bind: validity.rawValue) WHERE id = \(bind: id)").run()
    }

    func insertSLA(_ sla: SLA) async throws -> Int {
        touchCatalog()
        let id = try await db.insertRows(
            "slas",
            [
                "name", "first_response_time", "update_time", "solution_time", "first_response_notify", "update_notify",
                "solution_notify", "calendar_name", "valid_id",
            ],
            [
                [
                    sla.name, sla.firstResponseMinutes, sla.updateMinutes, sla.solutionMinutes, sla.notify.firstResponse,
                    sla.notify.update, sla.notify.solution, sla.calendar, sla.validity.rawValue,
                ]
            ], returningID: true)[0]
        try await db.insertRows("sla_services", ["sla_id", "service_id"], sla.serviceIDs.map { [id, $0] as [Bindable] })
        return id
    }

    func updateSLA(_ sla: SLA) async throws {
        touchCatalog()
        try await db.raw(
            """
            UPDATE slas SET name = \(bind: sla.name), first_response_time = \(bind: sla.firstResponseMinutes),
                update_time = \(bind: sla.updateMinutes), solution_time = \(bind: sla.solutionMinutes),
                first_response_notify = \(bind: sla.notify.firstResponse), update_notify = \(bind: sla.notify.update),
                solution_notify = \(bind: sla.notify.solution), calendar_name = \(bind: sla.calendar),
                valid_id = \(bind: sla.validity.rawValue)
            WHERE id = \(bind: sla.id)
            """
        ).run()
        try await db.raw("DELETE FROM sla_services WHERE sla_id = \(bind: sla.id)").run()
        try await db.insertRows("sla_services", ["sla_id", "service_id"], sla.serviceIDs.map { [sla.id, $0] as [Bindable] })
    }
}
