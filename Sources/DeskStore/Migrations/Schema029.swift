/// Znuny's `calendar_name` of queues and SLAs: the working calendar their escalation minutes
/// count in ("" the default one, "1" … "9" the numbered ones of `TimeWorkingHours::CalendarN`).
enum Schema029 {
    static let statements = ["queues", "slas"].map { table in
        "ALTER TABLE \(table) ADD COLUMN calendar_name VARCHAR(100) NOT NULL DEFAULT ''"
    }
}
