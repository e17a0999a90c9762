/// Customer users by lower-cased login: a login not found as written is looked up without case
/// (Znuny's `CustomerUserDataGet`), and every ticket create naming an address that is no
/// customer's login takes that path; without the index it read the whole table.
enum Schema022 {
    static let statements = ["CREATE INDEX customer_users_login_lower ON customer_users (LOWER(login))"]
}
