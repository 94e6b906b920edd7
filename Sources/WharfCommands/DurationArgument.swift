/// Parses durations as Go and Distribution write them: `90s`, `15m`, `1h30m`, `7d`, or a
/// plain number of seconds; at most 100 years, so that no date computed from one
/// overflows.
enum DurationArgument {
    static let maximumSeconds: Int64 = 100 * 366 * 86_400

    static func parse(_ text: String) -> Duration? {
        if let seconds = Int64(text), seconds >= 0 {
            return seconds <= maximumSeconds ? .seconds(seconds) : nil
        }
        var total: Int64 = 0
        var number = ""
        for character in text {
            if character.isASCII && character.isNumber {
                number.append(character)
                continue
            }
            let unit: Int64
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: return nil
            }
            guard let value = Int64(number), value <= 1_000_000_000 else { return nil }
            total += value * unit
            guard total <= maximumSeconds else { return nil }
            number = ""
        }
        guard number.isEmpty, !text.isEmpty, total <= maximumSeconds else { return nil }
        return .seconds(total)
    }
}
