import SQLKit

/// What the osTicket, django-helpdesk and WHMCS faces need from the tables: a customer user's
/// phone number and comment (Znuny's `UserPhone`/`UserComment`), an exact e-mail lookup, and
/// finding a ticket by the `Message-ID` of one of its articles (mail threading).
enum Schema007 {
    static let statements: [String] = [
        "ALTER TABLE customer_users ADD COLUMN phone VARCHAR(150) NOT NULL DEFAULT ''",
        "ALTER TABLE customer_users ADD COLUMN comments VARCHAR(250) NOT NULL DEFAULT ''",
        "CREATE INDEX customer_users_email_lower ON customer_users (LOWER(email))",
        // A prefix: PostgreSQL's b-tree refuses keys longer than about 2.7 kB.
        "CREATE INDEX articles_message_id ON articles (SUBSTR(message_id, 1, 200))",
    ]
}
