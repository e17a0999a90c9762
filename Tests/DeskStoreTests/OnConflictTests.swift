import Testing

@testable import DeskStore

@Suite("Inserts with a conflict clause")
struct OnConflictTests {
    @Test("the clause names the key and the columns set; updating one key twice in one insert is found")
    func clauseAndTwiceUpdated() {
        let update = OnConflict.update(key: ["face", "attr_key"], set: ["attr_value"])
        #expect(update.sql == " ON CONFLICT (face, attr_key) DO UPDATE SET attr_value = excluded.attr_value")
        #expect(OnConflict.skip(key: ["login"]).sql == " ON CONFLICT (login) DO NOTHING")
        let columns = ["face", "attr_key", "attr_value"]
        let distinct: [[Bindable]] = [["a", "stage", "1"], ["a", "note", "1"], ["b", "stage", "1"]]
        #expect(!update.updatesTwice(distinct, columns: columns))
        #expect(update.updatesTwice(distinct + [["a", "stage", "2"]], columns: columns))
        // A skipped duplicate is no error for the database.
        #expect(!OnConflict.skip(key: ["face", "attr_key"]).updatesTwice(distinct + [["a", "stage", "2"]], columns: columns))
    }
}
