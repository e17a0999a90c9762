import Testing

@testable import DjangoHelpdesk

@Suite("Python's datetime parsing, as DRF's DateTimeField reads a value")
struct PythonDateTimeTests {
    /// Each text with what Django 5.2's `parse_datetime` on Python 3.11 made of it, as Unix
    /// seconds and microseconds in UTC (naive read as UTC), or nil where it found no date.
    static let cases: [(String, PythonDateTime.Instant?)] = [
        ("2024-01-01T10:00:00+0100", .init(seconds: 1_704_099_600, microsecond: 0)),
        ("2024-01-01T10:00:00.5+01", .init(seconds: 1_704_099_600, microsecond: 500_000)),
        ("2024-01-01T10", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("20240101T100000Z", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01 10:00", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-W01-2T10:00", .init(seconds: 1_704_189_600, microsecond: 0)),
        ("2024-W01", .init(seconds: 1_704_067_200, microsecond: 0)),
        ("2024W012", .init(seconds: 1_704_153_600, microsecond: 0)),
        ("2024W01", .init(seconds: 1_704_067_200, microsecond: 0)),
        ("2020-W53-7", .init(seconds: 1_609_632_000, microsecond: 0)),
        ("2021-W53-1", nil),
        ("2024-01-01T10:00:00.1234567", .init(seconds: 1_704_103_200, microsecond: 123_456)),
        ("2024-01-01T10:00:00,5Z", .init(seconds: 1_704_103_200, microsecond: 500_000)),
        ("2024-01-01x10:00", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T1000", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T10:00:00+01:00:30", .init(seconds: 1_704_099_570, microsecond: 0)),
        ("2024-01-01T24:00", nil),
        ("2024-1-1T10:00", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-1-1 9:5", .init(seconds: 1_704_099_900, microsecond: 0)),
        ("2024-01-01T10:00:00 +01:00", .init(seconds: 1_704_099_600, microsecond: 0)),
        ("2024-01-01T10:00Z", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T10:00:00-0130", .init(seconds: 1_704_108_600, microsecond: 0)),
        ("2024-01-01", .init(seconds: 1_704_067_200, microsecond: 0)),
        ("20240101", .init(seconds: 1_704_067_200, microsecond: 0)),
        ("2024-01", nil),
        ("2024-01-01T10:00:00.123+0100", .init(seconds: 1_704_099_600, microsecond: 123_000)),
        ("2024-01-01T10:00:00Zx", nil),
        ("2024-01-01T10:00:00x", nil),
        (" 2024-01-01T10:00", nil),
        ("2024-01-01T10:00 ", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T10:00:00.", nil),
        ("2024-01-01T10:00:00:5", .init(seconds: 1_704_103_200, microsecond: 500_000)),
        ("2024-01-01T10:00:00+1", nil),
        ("2024-01-01T10:00:00+01:0", nil),
        ("2024-01-01T10:00:00+24:00", nil),
        ("2024-01-01T10:00:00+23:59", .init(seconds: 1_704_016_860, microsecond: 0)),
        ("2024-02-30T10:00", nil),
        ("2024-02-29T23:59:59.999999-00:00", .init(seconds: 1_709_251_199, microsecond: 999_999)),
        ("2023-02-29", nil),
        ("0000-01-01T00:00", nil),
        ("2024-01-01T10:00:00.1234567891234", .init(seconds: 1_704_103_200, microsecond: 123_456)),
        ("2024-01-01T10:00:00.1234567890123", .init(seconds: 1_704_103_200, microsecond: 123_456)),
        ("2024-01-01 10:00:00  Z", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T10:00:00+01:99", .init(seconds: 1_704_093_660, microsecond: 0)),
        ("2024-01-01T10:00\n", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T10:00+01:00\n", .init(seconds: 1_704_099_600, microsecond: 0)),
        ("2024-01-01T10:00:00.5 +0100", .init(seconds: 1_704_099_600, microsecond: 500_000)),
        ("2024-01-01T1", nil),
        ("2024-01-01T10:0", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T100", nil),
        ("2024-01-01T10:00:00.12x", nil),
        ("abcdefghij", nil),
        ("2024-01-01T10:00:00-00:00", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T10:00:00+00:00:00.5", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T10:00:00+0100.5", .init(seconds: 1_704_099_599, microsecond: 500_000)),
        ("1970-01-01T00:00:00.000001-00:00:01", .init(seconds: 1, microsecond: 1)),
        ("2024-01-01T10-05", .init(seconds: 1_704_121_200, microsecond: 0)),
        ("2024-01-01T10:00-05", .init(seconds: 1_704_121_200, microsecond: 0)),
        ("1969-12-31T23:59:59.5Z", .init(seconds: -1, microsecond: 500_000)),
        ("2024-01-01T10:00:00Z ", nil),
        ("2024/01/01T10:00", nil),
        ("2024-01-01T10:00:00.000+00:00", .init(seconds: 1_704_103_200, microsecond: 0)),
        ("2024-01-01T10:00:00,123456789Z", .init(seconds: 1_704_103_200, microsecond: 123_456)),
    ]

    /// What Django 5.2's `parse_time(text).isoformat()` gave on Python 3.11 (nil: no time).
    static let times: [(String, String?)] = [
        ("10:11:12.123456", "10:11:12.123456"), ("10:11:12.5", "10:11:12.500000"), ("10:11", "10:11:00"), ("1011", "10:11:00"),
        ("10", "10:00:00"), ("10:11:12+01:00", "10:11:12"), ("9:5", "09:05:00"), ("10:11:12,5", "10:11:12.500000"),
        ("25:00", nil), ("10:11:12.1234567", "10:11:12.123456"), ("x", nil), ("10:11:12Z", "10:11:12"), ("10:11:1", "10:11:01"),
        // Python's `\d` and `int()` read any decimal digit; other numerals are no digits.
        ("10:11:12.\u{663}", "10:11:12.300000"), ("\u{661}\u{660}:\u{661}\u{661}", "10:11:00"), ("10:11:12.\u{BD}", nil),
    ]

    @Test("times as parse_time reads them, written as isoformat writes them", arguments: times)
    func time(text: String, expected: String?) {
        #expect(PythonDateTime.time(text) == expected)
    }

    @Test("ISO 8601 as fromisoformat reads it, Django's pattern after it", arguments: cases)
    func parse(text: String, expected: PythonDateTime.Instant?) {
        #expect(PythonDateTime.parse(text) == expected)
    }

    /// Time units pile up per article without a bound; past ±9·10¹² seconds the microseconds
    /// would not fit an Int64 (the conversion trapped).
    @Test("time units as a DRF duration, held where microseconds fit")
    func durations() {
        #expect(DjangoSerializers.duration(minutes: 90) == "01:30:00")
        #expect(DjangoSerializers.duration(minutes: 0.5) == "00:00:30")
        #expect(DjangoSerializers.duration(minutes: 1e30) == DjangoSerializers.duration(minutes: 150_000_000_000))
        #expect(DjangoSerializers.duration(minutes: 1e30) == "104166666 16:00:00")
        #expect(DjangoSerializers.duration(minutes: -1e30).hasPrefix("-104166667 "))
    }
}

@Suite("Django's parse_date, as DRF's DateField reads a custom date field")
struct PythonDateTests {
    @Test("date.fromisoformat's forms, then Django's YYYY-M-D; real dates only")
    func dates() {
        let cases: [(String, String?)] = [
            ("2024-02-03", "2024-02-03"), ("20240203", "2024-02-03"), ("2024-W05-6", "2024-02-03"), ("2024W056", "2024-02-03"),
            ("2024-W05", "2024-01-29"), ("2024-2-3", "2024-02-03"), ("2024-02-3\n", "2024-02-03"), ("2024-02-30", nil),
            ("2024-2-3x", nil), ("24-02-03", nil), ("2024/02/03", nil), ("", nil), ("2024-02-03T10:00", nil),
        ]
        for (text, expected) in cases {
            #expect(PythonDateTime.date(text) == expected, "\(text.debugDescription)")
        }
    }
}
