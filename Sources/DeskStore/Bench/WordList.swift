/// A small, fast, seedable generator so loads are repeatable.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next(upTo bound: Int) -> Int {
        Int(next() % UInt64(max(1, bound)))
    }
}

/// Words for generated text: a few very common ones, many ordinary ones and rare ones, so that
/// full-text queries of "common" and "rare" words mean something.
public enum WordList {
    public static let common = ["printer", "error", "please", "help", "server", "login", "update", "issue", "email", "network"]
    public static let ordinary = [
        "invoice", "billing", "password", "reset", "account", "access", "laptop", "monitor", "keyboard", "backup", "restore",
        "license", "renewal", "outage", "latency", "database", "firewall", "vpn", "certificate", "expired", "install", "driver",
        "crash", "freeze", "slow", "timeout", "refund", "order", "shipping", "delivery", "contract", "upgrade", "downgrade",
        "mailbox", "quota", "calendar", "meeting", "phone", "headset", "camera", "badge", "door", "parking", "office", "chair",
        "desk", "light", "heating", "cooling", "report", "dashboard", "export", "import", "spreadsheet", "macro", "plugin",
    ]
    /// One in a few thousand bodies carries a rare word.
    public static let rare = [
        "zephyrine", "quillwort", "obsidianite", "marzipanic", "flumadiddle", "gobbledygook", "snollygoster", "xylograph",
    ]

    /// The words as UTF-8 bytes: text is put together byte by byte, far cheaper than appending
    /// `String`s (the generator runs beside the writer of a bulk load and must keep up).
    private static let commonBytes = common.map { Array($0.utf8) }
    private static let ordinaryBytes = ordinary.map { Array($0.utf8) }

    static func word(_ random: inout SplitMix64) -> [UInt8] {
        switch random.next(upTo: 100) {
        case 0..<30: commonBytes[random.next(upTo: common.count)]
        default: ordinaryBytes[random.next(upTo: ordinary.count)]
        }
    }

    public static func title(_ random: inout SplitMix64) -> String {
        var text = words(3 + random.next(upTo: 4), &random)
        let first = text.removeFirst()
        return first.uppercased() + text
    }

    public static func body(_ random: inout SplitMix64) -> String {
        let count = 20 + random.next(upTo: 60)
        var rareAt = -1
        var rareWord = ""
        if random.next(upTo: 2_000) == 0 {
            rareAt = random.next(upTo: count)
            rareWord = rare[random.next(upTo: rare.count)]
        }
        return words(count, &random, replacing: rareAt, with: rareWord, ending: ".")
    }

    /// `count` words separated by spaces, then `ending`; the word at `replacing` (if any)
    /// becomes `word`.
    private static func words(
        _ count: Int, _ random: inout SplitMix64, replacing: Int = -1, with word: String = "", ending: String = ""
    ) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(count * 10 + word.utf8.count)
        for index in 0..<count {
            if index > 0 { text.append(UInt8(ascii: " ")) }
            let next = Self.word(&random)
            if index == replacing { text.append(contentsOf: word.utf8) } else { text.append(contentsOf: next) }
        }
        text.append(contentsOf: ending.utf8)
        return String(decoding: text, as: UTF8.self)
    }
}
