import DeskCore
import Testing

/// `GetUserData`: away from the start day's 00:00:00 to the end day's 23:59:59, both ends
/// excluded (`$TimeStart < $CurrentTime && $TimeEnd > $CurrentTime`).
@Suite("Out of office")
struct OutOfOfficeTests {
    func agent(_ on: Bool, _ start: String?, _ end: String?) -> Agent {
        Agent(
            id: 2, login: "olga", firstName: "Olga", lastName: "Owner", email: "olga@example.com", outOfOffice: on,
            outOfOfficeStart: start, outOfOfficeEnd: end)
    }

    func at(_ text: String) throws -> Int64 { try #require(CivilDate(timestamp: text)?.unixSeconds) }

    @Test("the period's seconds, its ends excluded; the flag, the dates and their order count")
    func period() throws {
        let away = agent(true, "2026-12-01", "2026-12-14")
        let start = try at("2026-12-01 00:00:00")
        let end = try at("2026-12-14 23:59:59")
        #expect(away.outOfOfficePeriod?.start == start)
        #expect(away.outOfOfficePeriod?.end == end)
        #expect(!away.isOutOfOffice(at: try at("2026-12-01 00:00:00")))
        #expect(away.isOutOfOffice(at: try at("2026-12-01 00:00:01")))
        #expect(away.isOutOfOffice(at: try at("2026-12-14 23:59:58")))
        #expect(!away.isOutOfOffice(at: try at("2026-12-14 23:59:59")))
        #expect(!agent(false, "2026-12-01", "2026-12-14").isOutOfOffice(at: try at("2026-12-05 12:00:00")))
        #expect(agent(true, "2026-12-01", "2026-02-30").outOfOfficePeriod == nil)
        #expect(agent(true, nil, "2026-12-14").outOfOfficePeriod == nil)
        let backwards = agent(true, "2026-12-14", "2026-12-01")
        #expect(backwards.outOfOfficePeriod != nil)
        #expect(!backwards.isOutOfOffice(at: try at("2026-12-05 12:00:00")))
    }
}
