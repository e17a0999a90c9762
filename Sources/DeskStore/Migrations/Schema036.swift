/// History and articles by time: Znuny's `TicketChangeTime…` and `TicketCloseTime…` filters test
/// the ticket history's times, `ArticleCreateTime…` the articles' (`TicketSearchSQL`'s time
/// conditions), and neither table had an index that starts with its time. At 1 M tickets
/// (SQLite, a week of ~6,400 history rows among 2 M) "closed in that week" read every history
/// row (236 ms), "changed in that week" 165 ms, "an article in that week" every article (793
/// ms); through these indexes 5, 3 and 13 ms. Both tables are written in time order, so each
/// new row goes to the index's last page.
enum Schema036 {
    static let statements = [
        "CREATE INDEX ticket_events_created ON ticket_events (created_at)",
        "CREATE INDEX articles_created ON articles (created_at)",
    ]
}
