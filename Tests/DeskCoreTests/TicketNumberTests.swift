import DeskCore
import Testing

@Suite("Ticket numbers, dates and passwords")
struct TicketNumberTests {
    @Test("DateChecksum check digit follows Znuny's rule")
    func checkDigit() {
        // 2*1 + 0*2 + 2*1 + 6*2 + 1*1 + 1*2 + 2*1 + 5*2 + 1*1 + 0 + 0 + 0 + 0 + 0 + 1*1 = 33 → 10 - 3 = 7
        #expect(TicketNumberGenerator.checkDigit(of: "202611251000001") == 7)
        // A sum divisible by 10 gives 10, which becomes 1.
        #expect(TicketNumberGenerator.checkDigit(of: "0") == 1)
        #expect(TicketNumberGenerator.checkDigit(of: "19") == 1)
        // Perl splits by characters and counts a non-digit as 0: "é" takes one weight, and an
        // Arabic-Indic three is no 3.
        #expect(TicketNumberGenerator.checkDigit(of: "1é2") == 7)
        #expect(TicketNumberGenerator.checkDigit(of: "\u{663}") == 1)
        let generator = TicketNumberGenerator(kind: .dateChecksum, systemID: "10")
        #expect(generator.number(counter: 1, at: 1_795_600_800) == "2026112510000017")
        #expect(generator.number(counter: 123_456, at: 1_795_600_800).hasPrefix("2026112510123456"))
        #expect(generator.counterKey(at: 1_795_600_800) == "DateChecksum:20261125")
        let auto = TicketNumberGenerator(kind: .autoIncrement, systemID: "7", minCounterSize: 3)
        #expect(auto.number(counter: 5, at: 0) == "7005")
        #expect(auto.counterKey(at: 0) == auto.counterKey(at: 10_000_000))
    }

    @Test("civil dates round-trip and reject impossible dates")
    func civilDates() {
        let date = CivilDate(unixSeconds: 1_795_600_800)
        #expect(date.timestampString == "2026-11-25 10:00:00")
        #expect(date.unixSeconds == 1_795_600_800)
        #expect(CivilDate(timestamp: "2024-02-29 23:59:59")?.unixSeconds == 1_709_251_199)
        #expect(CivilDate(timestamp: "2023-02-29") == nil)
        #expect(CivilDate(timestamp: "2023-13-01") == nil)
        #expect(CivilDate(timestamp: "yesterday") == nil)
        #expect(CivilDate(unixSeconds: 0).timestampString == "1970-01-01 00:00:00")
        // The ends of Int64 neither trap nor wrap: days round down, absurd years have no seconds.
        #expect(CivilDate(unixSeconds: -1).timestampString == "1969-12-31 23:59:59")
        #expect(CivilDate.dayNumber(unixSeconds: Int64.min) == -106_751_991_167_301)
        #expect(CivilDate(unixSeconds: Int64.min).second == 52)
        #expect(CivilDate(unixSeconds: Int64.max).year == 292_277_026_596)
        #expect(CivilDate(year: 100_000_001, month: 1, day: 1).unixSeconds == nil)
        #expect(CivilDate(year: Int.max, month: 1, day: 1).unixSeconds == nil)
        #expect(CivilDate.moving(100, minutes: 2, later: true) == 220)
        #expect(CivilDate.moving(100, minutes: 2, later: false) == -20)
        #expect(CivilDate.moving(100, minutes: Int64.max, later: true) == Int64.max)
        #expect(CivilDate.moving(100, minutes: Int64.max, later: false) == Int64.min)
        #expect(CivilDate.moving(100, minutes: Int64.min, later: false) == Int64.max)
        #expect(CivilDate.moving(Int64.max - 30, minutes: 1, later: true) == Int64.max)
        for text in ["2024-02-29 23:59:59", "0999-01-02 03:04:05", "2000-10-10 10:10:10"] {
            #expect(CivilDate(timestamp: text)?.timestampString == text)
            #expect(CivilDate(timestamp: text)?.isoString == String(text.map { $0 == " " ? "T" : $0 }) + "Z")
        }
        #expect(date.isoString == "2026-11-25T10:00:00Z")
    }

    @Test("passwords verify against their own hash only; salts differ")
    func passwords() {
        let hasher = PasswordHasher(iterations: 1_000)
        let first = hasher.hash("correct horse")
        let second = hasher.hash("correct horse")
        #expect(first != second)
        #expect(hasher.verify("correct horse", against: first))
        #expect(!hasher.verify("correct horsf", against: first))
        #expect(!hasher.verify("correct horse", against: "garbage"))
        #expect(!hasher.verify("correct horse", against: "pbkdf2-sha256$1000$zz$zz"))
        #expect(first.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(RandomToken.alphanumeric(32).count == 32)
        #expect(RandomToken.alphanumeric(32) != RandomToken.alphanumeric(32))
    }

    @Test("dynamic field values are checked per type")
    func dynamicFieldValidation() throws {
        let dropdown = DynamicField(
            id: 9, name: "Sev", label: "Sev", fieldOrder: 1, type: .dropdown, object: .ticket,
            possibleValues: [.init(key: "low", label: "Low")])
        #expect(try DynamicFieldValidator.canonicalValues(DynamicFieldInput(name: "Sev", value: "low"), for: dropdown) == ["low"])
        #expect(throws: Reason.notPossible("mid")) {
            try DynamicFieldValidator.canonicalValues(DynamicFieldInput(name: "Sev", value: "mid"), for: dropdown)
        }
        #expect(throws: Reason.singleValue) {
            try DynamicFieldValidator.canonicalValues(DynamicFieldInput(name: "Sev", values: ["low", "low"]), for: dropdown)
        }
        let date = DynamicField(id: 10, name: "Due", label: "Due", fieldOrder: 2, type: .date, object: .ticket)
        #expect(
            try DynamicFieldValidator.canonicalValues(DynamicFieldInput(name: "Due", value: "2026-01-31"), for: date) == [
                "2026-01-31 00:00:00"
            ])
        let checkbox = DynamicField(id: 11, name: "Ok", label: "Ok", fieldOrder: 3, type: .checkbox, object: .ticket)
        #expect(throws: Reason.malformed(expected: "0 or 1")) {
            try DynamicFieldValidator.canonicalValues(DynamicFieldInput(name: "Ok", value: "yes"), for: checkbox)
        }
        #expect(try DynamicFieldValidator.canonicalValues(DynamicFieldInput(name: "Ok", values: []), for: checkbox) == [])
        // Znuny's checkbox stores "" as unchecked; its text fields take line breaks.
        #expect(try DynamicFieldValidator.canonicalValues(DynamicFieldInput(name: "Ok", value: ""), for: checkbox) == ["0"])
        let text = DynamicField(id: 12, name: "Ref", label: "Ref", fieldOrder: 4, type: .text, object: .ticket)
        #expect(try DynamicFieldValidator.canonicalValues(DynamicFieldInput(name: "Ref", value: "a\nb"), for: text) == ["a\nb"])
    }
}
