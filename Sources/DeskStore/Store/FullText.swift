/// Splitting search text into index words: letters and digits only, lower-cased, so nothing a
/// caller sends can change the full-text query syntax.
enum FullText {
    static func words(_ text: String) -> [String] {
        Array(text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).prefix(32).map(String.init))
    }
}
